"""The journal: every event reporting applied, as it travelled. The projections are built from
it, live (one report's events at a time) and by the rebuild (all of them)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import bindparam, func, select

from services.reporting.facts import REPORT_EVENTS, Event
from services.reporting.models import journal
from shared.db import insert_unless_present, utcnow

AGENCY_EVENTS = frozenset({"agency_registered", "agency_updated", "agency_status_changed"})

_INSERT = insert_unless_present(journal)
_STREAM = select(
    journal.c.event_type, journal.c.event_id, journal.c.occurred_at, journal.c.body
).where(journal.c.aggregate_id == bindparam("aggregate_id"))


def record(session, event) -> bool:
    """Add a received event (shared.events.Event); False if the journal has it already."""
    inserted = session.execute(
        _INSERT[session.bind.dialect.name],
        {
            "event_id": event.event_id,
            "event_type": event.event_type,
            "aggregate_id": event.aggregate_id,
            "occurred_at": event.occurred_at,
            "body": event.wire["body"],  # JSON-ready, as it travelled
            "applied_at": utcnow(),
        },
    )
    return inserted.rowcount == 1


def stream(session, aggregate_id: str) -> list[Event]:
    """Every report event of one report."""
    return [
        Event(row.event_type, row.event_id, row.occurred_at, row.body)
        for row in session.execute(_STREAM, {"aggregate_id": aggregate_id})
        if row.event_type in REPORT_EVENTS
    ]


def report_ids(session) -> list[str]:
    """Every report in the journal, in order."""
    query = (
        select(journal.c.aggregate_id)
        .where(journal.c.event_type.in_(sorted(REPORT_EVENTS)))
        .group_by(journal.c.aggregate_id)
        .order_by(journal.c.aggregate_id)
    )
    return list(session.execute(query).scalars())


def streams(session, first: str, last: str) -> Iterator[tuple[str, list[Event]]]:
    """(tracking id, its events) for every report with first <= id <= last."""
    query = (
        select(
            journal.c.aggregate_id,
            journal.c.event_type,
            journal.c.event_id,
            journal.c.occurred_at,
            journal.c.body,
        )
        .where(
            journal.c.aggregate_id.between(first, last),
            journal.c.event_type.in_(sorted(REPORT_EVENTS)),
        )
        .order_by(journal.c.aggregate_id)
    )
    current, events = None, []
    for row in session.execute(query):
        if row.aggregate_id != current:
            if current is not None:
                yield current, events
            current, events = row.aggregate_id, []
        events.append(Event(row.event_type, row.event_id, row.occurred_at, row.body))
    if current is not None:
        yield current, events


def agency_bodies(session) -> list[dict]:
    """Every agency event's body, lowest version first."""
    rows = session.execute(
        select(journal.c.body).where(journal.c.event_type.in_(sorted(AGENCY_EVENTS)))
    ).scalars()
    return sorted(rows, key=lambda body: (body["code"], body["version"]))


def size(session) -> int:
    return session.execute(select(func.count()).select_from(journal)).scalar_one()
