"""Changes to a staff account's authority, told to every service that checks staff tokens.

A deactivation, reactivation, role change, move or an admin's password reset writes a row here
and emits ``staff_changed`` in the same transaction; the other services refuse the account's
tokens issued at an older version (shared/staff_changes.py). A name or e-mail change, or the
holder changing their own password, does not count: it leaves the holder's sessions as they
were.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from services.agency_registry.models import staff_changes
from shared.db import utcnow

AUTHORITY = ("status", "role", "agency_code", "password")


def record(session: Session, emit: Callable, after: dict, scope_code: str, changed) -> None:
    """``after``: the account's view after the change; ``changed``: the fields that changed."""
    changed = sorted(field for field in changed if field in AUTHORITY)
    if not changed:
        return
    now = utcnow()
    session.execute(
        insert(staff_changes).values(staff_id=after["id"], version=after["version"], changed_at=now)
    )
    emit(
        "staff_changed",
        after["id"],
        {
            "staff_id": after["id"],
            "version": after["version"],
            "status": after["status"],
            "role": after["role"],
            "agency_code": after["agency_code"],
            "scope_code": scope_code,
            "changed": changed,
            "changed_at": now,
        },
    )


def recent(session: Session, seconds: int) -> list[dict]:
    """[{"staff_id", "version"}] for the latest change of each account in the last ``seconds``."""
    cutoff = utcnow() - timedelta(seconds=seconds)
    rows = session.execute(
        select(staff_changes.c.staff_id, staff_changes.c.version)
        .where(staff_changes.c.changed_at >= cutoff)
        .order_by(staff_changes.c.id)
    ).all()
    latest: dict[str, int] = {}
    for row in rows:
        latest[row.staff_id] = max(row.version, latest.get(row.staff_id, 0))
    return [{"staff_id": staff_id, "version": v} for staff_id, v in latest.items()]
