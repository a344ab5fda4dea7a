"""Applying one event to the projections, inside the handler's transaction.

A report event: fold all of the report's journalled events again (services.reporting.facts),
compare the new rows with the stored ones, and add the difference of their contributions to the
figures. An agency event: keep the newest version of the agency and, if that moves it to
another government or province, move the figures of every report it holds or held. Where an
agency sits: services.reporting.places.

On PostgreSQL several copies of reporting may apply events at once: the events of one report are
applied one at a time (a transaction-scoped advisory lock on its tracking id), and an agency
event waits for report events in flight and holds new ones back (a shared/exclusive lock), so
a difference is always taken against the rows it will replace.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import bindparam, delete, func, insert, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from services.reporting import facts, figures, journal, places, rows
from services.reporting.indicators import contributions, difference
from services.reporting.models import agencies, dispatches, reports
from services.reporting.models import figures as figure_rows
from services.reporting.placing import Places, announced, carried, remember

_REPORT_LOCK, _AGENCY_LOCK = 7152025, 7152026

# built once: they run for every event
_ID = bindparam("tracking_id")
_LOAD_REPORT = select(reports).where(reports.c.tracking_id == _ID)
_LOAD_HOPS = select(dispatches).where(dispatches.c.tracking_id == _ID).order_by(dispatches.c.hop)
# SET takes the columns its parameters name
_UPDATE_REPORT = update(reports).where(reports.c.tracking_id == bindparam("_tracking_id"))
_DELETE_HOPS = delete(dispatches).where(dispatches.c.tracking_id == _ID)
_INSERT_REPORT = insert(reports)
_INSERT_HOPS = insert(dispatches)


@dataclass(frozen=True)
class Change:
    """What one report event changed: the report's rows before and after."""

    before: rows.ReportRow | None
    after: rows.ReportRow


def apply(session, event) -> Change | None:
    """Journal ``event`` (shared.events.Event) and bring the projections up to date with it."""
    if not journal.record(session, event):
        return None
    if event.event_type in journal.AGENCY_EVENTS:
        apply_agency(session, event.body)
        return None
    if event.event_type in facts.REPORT_EVENTS:
        return refresh(session, event.aggregate_id)
    return None


def refresh(session, tracking_id: str) -> Change:
    """Re-fold one report from the journal and move the figures by the difference."""
    _lock_report(session, tracking_id)
    report = facts.fold(tracking_id, journal.stream(session, tracking_id))
    where = Places(session)
    row, hops = rows.rows_of(report, where.place_of)
    before_row, before_hops = load(session, tracking_id)
    before, _ = contributions(before_row, before_hops)
    after, parents = contributions(row, hops)
    figures.add(session, difference(before, after), parents)
    save(session, row, hops, before_row, before_hops)
    remember(session, *where.news(*carried(report)))
    return Change(before_row, row)


def load(session, tracking_id: str) -> tuple[rows.ReportRow | None, list[rows.DispatchRow]]:
    key = {"tracking_id": tracking_id}
    found = session.execute(_LOAD_REPORT, key).first()
    if found is None:
        return None, []
    hops = session.execute(_LOAD_HOPS, key)
    return (
        rows.ReportRow(**found._mapping),
        [rows.DispatchRow(**hop._mapping) for hop in hops],
    )


def save(
    session,
    row: rows.ReportRow,
    hops: list[rows.DispatchRow],
    before_row: rows.ReportRow | None,
    before_hops: list[rows.DispatchRow],
) -> None:
    """Store a report's rows in place of those ``load`` gave (``before_row``, ``before_hops``)."""
    values = vars(row).copy()
    if before_row is None:
        session.execute(_INSERT_REPORT, values)
    elif row != before_row:
        session.execute(_UPDATE_REPORT, {"_tracking_id": row.tracking_id, **values})
    if hops == before_hops:
        return
    if before_hops:
        session.execute(_DELETE_HOPS, {"tracking_id": row.tracking_id})
    if hops:
        session.execute(_INSERT_HOPS, [vars(hop).copy() for hop in hops])


def apply_agency(session, body: dict) -> bool:
    """Keep the newest state of an agency; True if it changed. Reports follow a move."""
    state = body["agency"]
    code, version = state["code"], state["version"]
    _lock_agencies(session, exclusive=True)
    current = session.execute(
        select(agencies.c.version).where(agencies.c.code == code)
    ).scalar_one_or_none()
    if current is not None and current >= version:
        return False
    place = announced(session, body)
    values = {
        "name": state["name"],
        "kind": state["kind"],
        "path": state["path"],
        "status": state["status"],
        "version": version,
        "government_code": place.government,
        "province_code": place.province,
    }
    if current is None:
        session.execute(insert(agencies).values(code=code, **values))
    else:
        session.execute(update(agencies).where(agencies.c.code == code).values(**values))
    reattribute(session, code, place)
    return True


def reattribute(session, code: str, place: places.Place) -> int:
    """Move the figures of every report ``code`` holds or held to ``place``; how many moved."""
    stale = set(
        session.execute(
            select(reports.c.tracking_id).where(
                reports.c.agency_code == code, _elsewhere(reports, place)
            )
        ).scalars()
    ) | set(
        session.execute(
            select(dispatches.c.tracking_id).where(
                dispatches.c.agency_code == code, _elsewhere(dispatches, place)
            )
        ).scalars()
    )
    for tracking_id in sorted(stale):
        before_row, before_hops = load(session, tracking_id)
        row = before_row
        if row is not None and row.agency_code == code:
            row = replace(row, government_code=place.government, province_code=place.province)
        hops = [
            replace(hop, government_code=place.government, province_code=place.province)
            if hop.agency_code == code
            else hop
            for hop in before_hops
        ]
        before, _ = contributions(before_row, before_hops)
        after, parents = contributions(row, hops)
        figures.add(session, difference(before, after), parents)
        save(session, row, hops, before_row, before_hops)
    parent = place.government or place.province or places.NATION
    session.execute(
        update(figure_rows)
        .where(figure_rows.c.scope_kind == "a", figure_rows.c.scope_code == code)
        .values(parent_code=parent)
    )
    return len(stale)


def _elsewhere(table, place: places.Place):
    return or_(
        func.coalesce(table.c.government_code, "") != (place.government or ""),
        func.coalesce(table.c.province_code, "") != (place.province or ""),
    )


def _dialect(session):
    return postgresql if session.bind.dialect.name == "postgresql" else sqlite


def _lock_report(session, tracking_id: str) -> None:
    if session.bind.dialect.name == "postgresql":
        session.execute(
            text(
                "SELECT pg_advisory_xact_lock_shared(:agencies, 0), "
                "pg_advisory_xact_lock(:reports, hashtext(:id))"
            ),
            {"agencies": _AGENCY_LOCK, "reports": _REPORT_LOCK, "id": tracking_id},
        )


def _lock_agencies(session, exclusive: bool) -> None:
    if session.bind.dialect.name == "postgresql":
        function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
        session.execute(text(f"SELECT {function}(:kind, 0)"), {"kind": _AGENCY_LOCK})
