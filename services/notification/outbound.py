"""The deliveries table's life: queue, find what is due, claim, and record the outcome.

A claim is a conditional update, so with several notification processes each delivery is
attempted by one of them at a time; a claim expires (a process died mid-send) and the delivery
becomes due again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from services.notification.delivery import RetryPolicy
from services.notification.models import deliveries

CLAIM_SECONDS = 120
OPEN = ("queued", "failed")


def queue(session: Session, now: datetime, **row) -> None:
    session.execute(
        deliveries.insert().values(
            status="queued", attempts=0, next_attempt_at=now, created_at=now, **row
        )
    )


def due(session: Session, now: datetime, limit: int) -> list[int]:
    return list(
        session.execute(
            select(deliveries.c.id)
            .where(
                deliveries.c.status.in_(OPEN),
                deliveries.c.next_attempt_at <= now,
                or_(deliveries.c.claimed_until.is_(None), deliveries.c.claimed_until < now),
            )
            .order_by(deliveries.c.next_attempt_at)
            .limit(limit)
        ).scalars()
    )


def claim(session: Session, delivery_id: int, now: datetime):
    """The delivery's row if this process got it, else None."""
    claimed = session.execute(
        update(deliveries)
        .where(
            deliveries.c.id == delivery_id,
            deliveries.c.status.in_(OPEN),
            or_(deliveries.c.claimed_until.is_(None), deliveries.c.claimed_until < now),
        )
        .values(
            claimed_until=now + timedelta(seconds=CLAIM_SECONDS), attempts=deliveries.c.attempts + 1
        )
    ).rowcount
    if not claimed:
        return None
    return session.execute(select(deliveries).where(deliveries.c.id == delivery_id)).one()


def sent(session: Session, delivery_id: int, now: datetime) -> None:
    _finish(session, delivery_id, status="sent", sent_at=now, last_error=None)


def skipped(session: Session, delivery_id: int, reason: str) -> None:
    _finish(session, delivery_id, status="skipped", last_error=reason)


def failed(
    session: Session, row, now: datetime, reason: str, permanent: bool, policy: RetryPolicy
) -> str:
    """Schedule the next attempt, or give up: returns the new status."""
    if permanent or policy.exhausted(row.attempts):
        _finish(session, row.id, status="dead", last_error=reason[:200])
        return "dead"
    _finish(
        session,
        row.id,
        status="failed",
        last_error=reason[:200],
        next_attempt_at=now + timedelta(seconds=policy.delay(row.attempts)),
    )
    return "failed"


def replay(session: Session, delivery_ids: list[int], now: datetime) -> int:
    """Dead deliveries back to the queue, their attempts counted afresh."""
    return session.execute(
        update(deliveries)
        .where(and_(deliveries.c.id.in_(delivery_ids), deliveries.c.status == "dead"))
        .values(status="queued", attempts=0, next_attempt_at=now, claimed_until=None)
    ).rowcount


def _finish(session: Session, delivery_id: int, **values) -> None:
    session.execute(
        update(deliveries)
        .where(deliveries.c.id == delivery_id)
        .values(claimed_until=None, **values)
    )
