"""The desk's list: the dispositions a person may see, filtered (status, overdue, category,
dates of receipt, agency, access, queue), sorted (newest first by default; oldest, the
earliest running deadline, last changed), a page at a time after a cursor (shared.keyset: the
tracking id breaks ties), and totalled per status up to COUNT_CAP rows (a count over a whole
national scope would read every row; past the cap the desk says "more than")."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, not_, or_, select, true

from services.routing.models import dispositions, readers
from services.routing.state.held import Held
from shared import keyset
from shared.regions import NATIONAL_TIMEZONE

READER_KINDS = {"watching": ("watcher",), "escalated": ("escalated",)}


COUNT_CAP = 1_000  # past it the desk says "more than 1,000" (the portal: "lebih dari 1000")


def dispositions_for(
    session,
    codes: set[str] | None,
    query: dict,
    now: datetime,
    places: list[str] | None = None,
) -> tuple[list[Held], str | None]:
    """(rows, next cursor or None): a page of the rows visible to someone whose subtree is
    ``codes`` (None: the whole tree), and, for a coordinator, rows about a place in ``places``
    (region codes) wherever they are held; after ``query["cursor"]`` (BadCursor for one this
    sort did not make)."""
    order = ORDERS[query.get("sort") or "-received"]
    after = order.after(query.get("cursor"))
    rows, following = keyset.read_page(
        session, page_statements(codes, query, now, places), order, after, query["limit"]
    )
    return [Held.of(row) for row in rows], following


def page_statements(codes: set[str] | None, query: dict, now: datetime, places=None) -> list:
    """The SELECTs whose union is dispositions_for's list (what is held, what is read), before
    their order, cursor and limit (shared.keyset)."""
    narrowed = _narrowed(query, now)
    return [
        select(dispositions).where(source, *narrowed)
        for source in _sources(codes, query["access"], places)
    ]


def totals_for(
    session,
    codes: set[str] | None,
    query: dict,
    now: datetime,
    places: list[str] | None = None,
) -> dict:
    """{"total": n, "by_status": {status: n}, "capped": False} of the rows the filters match
    (not one page); past COUNT_CAP rows {"total": COUNT_CAP, "by_status": None, "capped":
    True}: each source (held, read) counts no more than COUNT_CAP + 1 rows, from its index."""
    narrowed = _narrowed(query, now)
    by_status = Counter()
    for source in _sources(codes, query["access"], places):
        some = (
            select(dispositions.c.status).where(source, *narrowed).limit(COUNT_CAP + 1).subquery()
        )
        by_status.update(
            dict(session.execute(select(some.c.status, func.count()).group_by(some.c.status)).all())
        )
    if by_status.total() > COUNT_CAP:
        return {"total": COUNT_CAP, "by_status": None, "capped": True}
    return {"total": by_status.total(), "by_status": dict(by_status), "capped": False}


def _narrowed(query: dict, now: datetime) -> list:
    """The filters beside access: status, category, dates, overdue, queue, words."""
    where = []
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


def _order(tag: str, column, descending: bool) -> keyset.Order:
    return keyset.Order(tag, column, dispositions.c.tracking_id, descending)


# each sort's order, the tracking id breaking ties in the same direction; a report without the
# sort's time (no running clock for "due": closed, returned) comes last. One agency's page is
# read in order from ix_dispositions_agency_received / _agency_due / _agency_updated, the whole
# tree's from ix_dispositions_received_id / _due_id / _updated_id.
ORDERS = {
    "-received": _order("-received", dispositions.c.received_at, True),
    "received": _order("received", dispositions.c.received_at, False),
    "due": _order("due", dispositions.c.next_due_at, False),
    "-updated": _order("-updated", dispositions.c.updated_at, True),
    "updated": _order("updated", dispositions.c.updated_at, False),
}
SORTS = tuple(ORDERS)


def _sources(codes: set[str] | None, access: str, places: list[str] | None = None) -> list:
    """The conditions, never true of the same row, whose union is what the person may list:
    the reports held in their subtree (or about one of their places), and those their subtree
    watches or had escalated to it; each served by its own index."""
    held = true() if codes is None else dispositions.c.agency_code.in_(sorted(codes))
    if codes is not None and places:
        region = dispositions.c.region_code
        held = or_(
            held, *(or_(region == code, region.like(code + ".%")) for code in sorted(places))
        )
    if access == "held" or (codes is None and access not in READER_KINDS):
        return [held]
    kinds = READER_KINDS.get(access, ("watcher", "escalated"))
    reader = select(readers.c.tracking_id).where(readers.c.kind.in_(kinds))
    if codes is not None:
        reader = reader.where(readers.c.agency_code.in_(sorted(codes)))
    read = dispositions.c.tracking_id.in_(reader)
    # read and not held: the parts never share a row (columns of json have no equality)
    return [read] if access in READER_KINDS else [held, and_(read, not_(held))]


def _start_of(day: date) -> datetime:
    """Midnight of ``day`` in WIB (national dates), in UTC as stored."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(NATIONAL_TIMEZONE)).astimezone(UTC)
