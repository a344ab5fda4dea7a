"""The audit log: who did what, when, to which agency or account, with before and after.

Written in the same transaction as the change it describes, so there is never a change without
its line nor a line without its change. Password hashes never enter it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from services.agency_registry import hierarchy
from services.agency_registry.models import agencies, audit_log
from shared.db import utcnow


@dataclass(frozen=True)
class Who:
    id: str  # a staff id, or "cli:<command>"
    name: str
    role: str | None = None


class AuditLog:
    """``log.add(action, target_type, target_id, agency_code, before, after, reason)``.

    With ``buffered=True`` (bulk loads) lines are kept and written by ``flush()`` in one go.
    """

    def __init__(
        self, session: Session, who: Who, correlation_id: str | None, buffered: bool = False
    ):
        self.session = session
        self.who = who
        self.correlation_id = correlation_id
        self.buffered = buffered
        self._lines: list[dict] = []
        self.at = utcnow()

    def add(
        self,
        action: str,
        target_type: str,
        target_id: str,
        agency_code: str | None,
        before: dict | None = None,
        after: dict | None = None,
        reason: str | None = None,
    ) -> None:
        line = {
            "at": self.at,
            "actor_id": self.who.id,
            "actor_name": self.who.name,
            "actor_role": self.who.role,
            "action": action,
            "target_type": target_type,
            "target_id": target_id,
            "agency_code": agency_code,
            "before": _plain(before),
            "after": _plain(after),
            "reason": reason,
            "correlation_id": self.correlation_id,
        }
        if self.buffered:
            self._lines.append(line)
        else:
            self.session.execute(insert(audit_log).values(**line))

    def flush(self) -> int:
        lines, self._lines = self._lines, []
        for start in range(0, len(lines), 5000):
            self.session.execute(insert(audit_log), lines[start : start + 5000])
        return len(lines)


def _plain(value):
    """JSON-ready: datetimes as ISO 8601 text."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def entries(
    session: Session, scope_path: str, before_id: int | None = None, limit: int = 50
) -> dict:
    """Newest first: lines about agencies in the subtree at ``scope_path`` (as it is now)."""
    low, high = hierarchy.subtree_range(scope_path)
    query = (
        select(audit_log)
        .join(agencies, agencies.c.code == audit_log.c.agency_code)
        .where(agencies.c.path >= low, agencies.c.path < high)
        .order_by(audit_log.c.id.desc())
        .limit(limit + 1)
    )
    if before_id is not None:
        query = query.where(audit_log.c.id < before_id)
    rows = session.execute(query).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "items": [
            {
                "id": line.id,
                "at": line.at,
                "actor": {"id": line.actor_id, "name": line.actor_name, "role": line.actor_role},
                "action": line.action,
                "target": {"type": line.target_type, "id": line.target_id},
                "agency_code": line.agency_code,
                "before": line.before,
                "after": line.after,
                "reason": line.reason,
                "correlation_id": line.correlation_id,
            }
            for line in rows
        ],
        "next_before_id": rows[-1].id if more else None,
    }
