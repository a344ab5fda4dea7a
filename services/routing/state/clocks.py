"""The clocks table: start, restart, stop, and claiming a due reminder or breach exactly once.

Several routing processes sweep the same database. A claim selects the clock row ``FOR UPDATE
SKIP LOCKED`` (PostgreSQL: a row another process is acting on is skipped, not waited for) and
then marks it with a conditional update that names the ``seq`` it saw; the claim commits with
the action it causes, so a breach is acted on once, or not at all if the transaction fails.

start() and stop() are the only writers of which clocks run; each ends with refresh(), which
stores the report's earliest running deadlines on its dispositions row in the same
transaction (the desk sorts and filters on them: listing.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from services.routing.models import clocks, dispositions
from services.routing.rules import deadlines
from shared.calendar import WorkingCalendar

# built once: these run for every report, and building a statement costs more than running it
_STARTED = (
    "agency_code",
    "zone",
    "days",
    "started_at",
    "remind_at",
    "due_at",
    "reminded_at",
    "breached_at",
    "stopped_at",
)
_RESTART = (
    update(clocks)
    .where(clocks.c.tracking_id == bindparam("_tid"), clocks.c.clock == bindparam("_clock"))
    .values(seq=clocks.c.seq + 1, **{name: bindparam(f"_{name}") for name in _STARTED})
)
_INSERT = insert(clocks)
_RUNNING = (clocks.c.tracking_id == bindparam("_tid"), clocks.c.stopped_at.is_(None))
_STOP_ALL = update(clocks).where(*_RUNNING).values(stopped_at=bindparam("_now"))
_STOP_SOME = (
    update(clocks)
    .where(*_RUNNING, clocks.c.clock.in_(bindparam("_names", expanding=True)))
    .values(stopped_at=bindparam("_now"))
)


def next_due_of(tracking_id, *names: str):
    """The earliest deadline of a report's running clocks (of the named ones, when named)."""
    query = select(func.min(clocks.c.due_at)).where(
        clocks.c.tracking_id == tracking_id, clocks.c.stopped_at.is_(None)
    )
    return query.where(clocks.c.clock.in_(names)) if names else query


_REFRESH = (
    update(dispositions)
    .where(dispositions.c.tracking_id == bindparam("_tid"))
    .values(
        next_due_at=next_due_of(bindparam("_tid")).scalar_subquery(),
        overdue_at=next_due_of(bindparam("_tid"), *deadlines.OVERDUE_CLOCKS).scalar_subquery(),
    )
)


def start(
    session: Session,
    calendar: WorkingCalendar,
    tracking_id: str,
    clock: str,
    agency_code: str,
    zone: str,
    days: int,
    started_at: datetime,
    new: bool = False,
) -> deadlines.Due:
    """Start ``clock`` afresh (a running one is restarted: new holder, new length); ``new``
    says the report has no clocks yet (its first transaction)."""
    return start_all(
        session, calendar, tracking_id, {clock: days}, agency_code, zone, started_at, new
    )[clock]


def start_all(
    session: Session,
    calendar: WorkingCalendar,
    tracking_id: str,
    lengths: dict[str, int],
    agency_code: str,
    zone: str,
    started_at: datetime,
    new: bool = False,
) -> dict[str, deadlines.Due]:
    """Start each clock of ``lengths`` ({clock: working days}) afresh, as ``start`` does, with
    one refresh of the report's deadlines for all of them."""
    dues, inserts = {}, []
    for clock, days in lengths.items():
        due = dues[clock] = deadlines.due(calendar, started_at, days, zone)
        values = {
            "agency_code": agency_code,
            "zone": zone,
            "days": days,
            "started_at": started_at,
            "remind_at": due.remind_at,
            "due_at": due.due_at,
            "reminded_at": None,
            "breached_at": None,
            "stopped_at": None,
        }
        restarted = (
            not new
            and session.execute(
                _RESTART,
                {"_tid": tracking_id, "_clock": clock, **{f"_{k}": v for k, v in values.items()}},
            ).rowcount
        )
        if not restarted:
            inserts.append({"tracking_id": tracking_id, "clock": clock, "seq": 1, **values})
    if inserts:
        session.execute(_INSERT, inserts)
    refresh(session, tracking_id)
    return dues


def stop(session: Session, tracking_id: str, now: datetime, *names: str) -> int:
    """Stop the named clocks (all of them when none is named); how many were running."""
    params = {"_tid": tracking_id, "_now": now}
    if names:
        stopped = session.execute(_STOP_SOME, {**params, "_names": list(names)}).rowcount
    else:
        stopped = session.execute(_STOP_ALL, params).rowcount
    if stopped:
        refresh(session, tracking_id)
    return stopped


def refresh(session: Session, tracking_id: str) -> None:
    """Store the report's earliest running deadline (``next_due_at``) and the earliest of the
    clocks whose breach makes it overdue (``overdue_at``) on its dispositions row; None when
    none runs. Called by every write above, in its transaction."""
    session.execute(_REFRESH, {"_tid": tracking_id})


def running(session: Session, tracking_id: str) -> dict[str, object]:
    """{clock name: row} of the report's running clocks."""
    rows = session.execute(
        select(clocks).where(clocks.c.tracking_id == tracking_id, clocks.c.stopped_at.is_(None))
    ).all()
    return {row.clock: row for row in rows}


def of_reports(session: Session, tracking_ids: list[str]) -> dict[str, dict[str, object]]:
    """{tracking id: {clock: row}} of every clock (running or not) of these reports."""
    found: dict[str, dict[str, object]] = {}
    if tracking_ids:
        for row in session.execute(select(clocks).where(clocks.c.tracking_id.in_(tracking_ids))):
            found.setdefault(row.tracking_id, {})[row.clock] = row
    return found


def due_reminders(session: Session, now: datetime, limit: int) -> list[int]:
    return list(
        session.execute(
            select(clocks.c.id)
            .where(
                clocks.c.stopped_at.is_(None),
                clocks.c.reminded_at.is_(None),
                clocks.c.breached_at.is_(None),
                clocks.c.remind_at <= now,
                clocks.c.due_at > now,
            )
            .order_by(clocks.c.remind_at)
            .limit(limit)
        ).scalars()
    )


def due_breaches(session: Session, now: datetime, limit: int) -> list[int]:
    return list(
        session.execute(
            select(clocks.c.id)
            .where(
                clocks.c.stopped_at.is_(None),
                clocks.c.breached_at.is_(None),
                clocks.c.due_at <= now,
            )
            .order_by(clocks.c.due_at)
            .limit(limit)
        ).scalars()
    )


def claim(session: Session, clock_id: int, now: datetime, what: str):
    """The clock row if this transaction may act on its due ``what`` ("reminder" or "breach"),
    marked as done; None if it is not due, already done, or another process holds it."""
    column = clocks.c.reminded_at if what == "reminder" else clocks.c.breached_at
    moment = clocks.c.remind_at if what == "reminder" else clocks.c.due_at
    query = select(clocks).where(
        clocks.c.id == clock_id,
        clocks.c.stopped_at.is_(None),
        clocks.c.breached_at.is_(None),
        column.is_(None),
        moment <= now,
    )
    row = session.execute(query.with_for_update(skip_locked=True)).first()
    if row is None:
        return None
    claimed = session.execute(
        update(clocks)
        .where(clocks.c.id == clock_id, clocks.c.seq == row.seq, column.is_(None))
        .values({column.key: now})
    ).rowcount
    return row if claimed else None
