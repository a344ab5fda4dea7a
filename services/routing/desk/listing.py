"""The desk's list: the dispositions a person may see, filtered (status, overdue, category,
dates of receipt, agency, access, queue), sorted (newest first by default; oldest, the
earliest running deadline, last changed) and totalled (all that match, per status)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, func, or_, select, true

from services.routing.models import dispositions, readers
from services.routing.state.held import Held
from shared.regions import NATIONAL_TIMEZONE

READER_KINDS = {"watching": ("watcher",), "escalated": ("escalated",)}


def dispositions_for(
    session,
    codes: set[str] | None,
    query: dict,
    now: datetime,
    places: list[str] | None = None,
) -> list[Held]:
    """Rows visible to someone whose subtree is ``codes`` (None: the whole tree), and, for a
    coordinator, rows about a place in ``places`` (region codes) wherever they are held."""
    rows = session.execute(page_statement(codes, query, now, places)).all()
    return [Held.of(row) for row in rows]


def page_statement(codes: set[str] | None, query: dict, now: datetime, places=None):
    """The SELECT of one page of dispositions_for."""
    return (
        select(dispositions)
        .where(and_(*_filters(codes, query, now, places)))
        .order_by(*_order(query.get("sort") or "-received"))
        .offset(query["offset"])
        .limit(query["limit"])
    )


def totals_for(
    session,
    codes: set[str] | None,
    query: dict,
    now: datetime,
    places: list[str] | None = None,
) -> dict:
    """{"total": n, "by_status": {status: n}} of every row the filters match (not one page)."""
    where = _filters(codes, query, now, places)
    counted = session.execute(
        select(dispositions.c.status, func.count())
        .where(and_(*where))
        .group_by(dispositions.c.status)
    ).all()
    by_status = {status: n for status, n in counted}
    return {"total": sum(by_status.values()), "by_status": by_status}


def _filters(codes, query: dict, now: datetime, places) -> list:
    where = [_access(codes, query["access"], places)]
    if query["status"]:
        where.append(dispositions.c.status.in_(query["status"]))
    if query["category"]:
        category = query["category"]
        where.append(
            or_(
                dispositions.c.category_id == category,
                dispositions.c.category_id.like(category.replace("%", "") + ".%"),
            )
        )
    if query["date_from"]:
        where.append(dispositions.c.received_at >= _start_of(query["date_from"]))
    if query["date_to"]:
        where.append(dispositions.c.received_at < _start_of(query["date_to"] + timedelta(days=1)))
    if query["overdue"] is not None:
        # overdue_at: the earliest running deadline whose breach makes a report overdue
        # (deadlines.OVERDUE_CLOCKS), kept by clocks.refresh
        late = dispositions.c.overdue_at <= now
        where.append(late if query["overdue"] else or_(dispositions.c.overdue_at.is_(None), ~late))
    if query["queue"] == "proposals":
        where.append(dispositions.c.proposed_agency_code.is_not(None))
    elif query["queue"] == "manual":
        where.append(dispositions.c.queue_reason.is_not(None))
    if query.get("ids") is not None:
        where.append(dispositions.c.tracking_id.in_(sorted(query["ids"])))
    return where


SORTS = ("-received", "received", "due", "-updated", "updated")


def _order(sort: str) -> list:
    """ORDER BY for ``sort``; the tracking id last, so pages never overlap."""
    tid = dispositions.c.tracking_id
    if sort == "received":
        return [dispositions.c.received_at, tid]
    if sort == "updated":
        return [dispositions.c.updated_at, tid]
    if sort == "-updated":
        return [dispositions.c.updated_at.desc(), tid]
    if sort == "due":
        # the earliest running deadline, kept by clocks.refresh; reports with no running clock
        # (closed, returned) come last. One agency's: read in order from ix_dispositions_agency_due
        return [dispositions.c.next_due_at.asc().nulls_last(), tid]
    return [dispositions.c.received_at.desc(), tid]


def _access(codes: set[str] | None, access: str, places: list[str] | None = None):
    held = true() if codes is None else dispositions.c.agency_code.in_(sorted(codes))
    if codes is not None and places:
        region = dispositions.c.region_code
        held = or_(
            held, *(or_(region == code, region.like(code + ".%")) for code in sorted(places))
        )
    if access == "held":
        return held
    kinds = READER_KINDS.get(access, ("watcher", "escalated"))
    reader = select(readers.c.tracking_id).where(
        readers.c.tracking_id == dispositions.c.tracking_id, readers.c.kind.in_(kinds)
    )
    if codes is not None:
        reader = reader.where(readers.c.agency_code.in_(sorted(codes)))
    if access in READER_KINDS:
        return exists(reader)
    return or_(held, exists(reader))


def _start_of(day: date) -> datetime:
    """Midnight of ``day`` in WIB (national dates), in UTC as stored."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(NATIONAL_TIMEZONE)).astimezone(UTC)
