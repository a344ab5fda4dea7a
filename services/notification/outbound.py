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
STATUSES = ("queued", "sent", "delivered", "failed", "dead", "skipped")


_QUEUE = deliveries.insert()  # built once: it runs for every notice


def queue(session: Session, now: datetime, **row) -> None:
    session.execute(
        _QUEUE,
        {"status": "queued", "attempts": 0, "next_attempt_at": now, "created_at": now, **row},
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
            claimed_until=now + timedelta(seconds=CLAIM_SECONDS),
            attempts=deliveries.c.attempts + 1,
            parts=None,
            delivered_parts=0,
        )
    ).rowcount
    if not claimed:
        return None
    return session.execute(select(deliveries).where(deliveries.c.id == delivery_id)).one()


def sent(session: Session, delivery_id: int, now: datetime, parts: int | None = None) -> str:
    """Sent, unless a delivery report came first: then it stays as that report left it
    (failed, or delivered once every part is). Returns the status it has now."""
    session.execute(
        update(deliveries)
        .where(_in_flight(), deliveries.c.id == delivery_id)
        .values(status="sent", sent_at=now, last_error=None, parts=parts, claimed_until=None)
    )
    _complete(session, delivery_id, now)
    return session.execute(
        select(deliveries.c.status).where(deliveries.c.id == delivery_id)
    ).scalar_one()


def reported_delivered(
    session: Session, delivery_id: int, attempt: int, part: int, now: datetime
) -> str | None:
    """A part of this attempt reached the phone: the new status, None if the report is stale."""
    applied = session.execute(
        update(deliveries)
        .where(_reportable(delivery_id, attempt))
        .values(delivered_parts=deliveries.c.delivered_parts.op("|")(1 << part))
    ).rowcount
    return _complete(session, delivery_id, now) if applied else None


def reported_failed(
    session: Session, delivery_id: int, attempt: int, now: datetime, policy: RetryPolicy
) -> str | None:
    """The SMSC gave up on (a part of) this attempt: like a failed send, retried with backoff,
    then dead. The new status, None if the report is stale (an earlier attempt, or settled)."""
    row = session.execute(select(deliveries).where(_reportable(delivery_id, attempt))).one_or_none()
    if row is None:
        return None
    status = "dead" if policy.exhausted(row.attempts) else "failed"
    values = {"status": status, "last_error": "SMS delivery report: not delivered"}
    if status == "failed":
        values["next_attempt_at"] = now + timedelta(seconds=policy.delay(row.attempts))
    applied = session.execute(
        update(deliveries)
        .where(_reportable(delivery_id, attempt))
        .values(claimed_until=None, **values)
    ).rowcount
    return status if applied else None


def _in_flight():
    """Claimed and not yet settled: the send of the current attempt is under way."""
    return and_(deliveries.c.status.in_(OPEN), deliveries.c.claimed_until.is_not(None))


def _reportable(delivery_id: int, attempt: int):
    return and_(
        deliveries.c.id == delivery_id,
        deliveries.c.attempts == attempt,
        or_(deliveries.c.status == "sent", _in_flight()),
    )


def _complete(session: Session, delivery_id: int, now: datetime) -> str | None:
    """Delivered once every part of a sent delivery is reported delivered."""
    row = session.execute(
        select(deliveries.c.status, deliveries.c.parts, deliveries.c.delivered_parts).where(
            deliveries.c.id == delivery_id
        )
    ).one()
    if row.status != "sent" or not row.parts or row.delivered_parts != (1 << row.parts) - 1:
        return row.status
    session.execute(
        update(deliveries)
        .where(deliveries.c.id == delivery_id, deliveries.c.status == "sent")
        .values(status="delivered", delivered_at=now)
    )
    return "delivered"


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
