"""Returned reports that were not completed by their deadline: found, and archived as
incomplete, inside the caller's transaction, emitting report_archived."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from services.intake import history
from services.intake.models import reports


def overdue(session, now: datetime, limit: int = 200) -> list[str]:
    """Returned reports past their deadline, oldest deadline first."""
    return list(
        session.execute(
            select(reports.c.tracking_id)
            .where(reports.c.status == "returned", reports.c.deadline_at < now)
            .order_by(reports.c.deadline_at, reports.c.tracking_id)
            .limit(limit)
        ).scalars()
    )


def archive_if_overdue(tx, tracking_id: str, now: datetime) -> bool:
    """Archive one returned report as incomplete if it is still returned and past its deadline.

    The update is conditional, so when several copies of intake sweep at once, one of them
    changes the row and emits the event; the others change nothing.
    """
    row = tx.session.execute(
        select(reports.c.language).where(reports.c.tracking_id == tracking_id)
    ).first()
    changed = tx.session.execute(
        update(reports)
        .where(
            reports.c.tracking_id == tracking_id,
            reports.c.status == "returned",
            reports.c.deadline_at < now,
        )
        .values(status="archived", archived_reason="incomplete", updated_at=now)
    ).rowcount
    if not changed:
        return False
    history.add(
        tx,
        tracking_id,
        now,
        "archived",
        "Laporan diarsipkan karena tidak dilengkapi sampai batas waktu.",
        "The report was archived: it was not completed by the deadline.",
    )
    tx.emit(
        "report_archived",
        tracking_id,
        {
            "tracking_id": tracking_id,
            "reason": "incomplete",
            "previous_status": "returned",
            "language": row.language if row else "id",
            "archived_at": now,
        },
    )
    return True
