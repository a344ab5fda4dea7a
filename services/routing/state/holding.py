"""Who holds a report: the one row per report, its hops, its readers, and what is announced.

Every change to a disposition goes through ``change()``: a conditional update on the row's
``version``. Two changes that race (a decline and a coordinator's re-dispatch, two routing
processes acting on one clock) cannot both win; the loser gets ConcurrentChange and nothing it
did is committed. The holder is a column of that one row, so exactly one agency holds a report
at every moment, and every hop is a line in ``routing_history``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, insert, select, update

from services.routing.errors import ConcurrentChange
from services.routing.models import dispositions, readers, routing_history
from services.routing.rules import regional
from services.routing.rules.deadlines import Deadlines
from services.routing.rules.policy import AgencyView, Directory
from services.routing.state.held import Held
from shared.agencies import place_in
from shared.calendar import WorkingCalendar
from shared.db import UnitOfWork

ROUTING = "routing"  # the actor of what the rules and the clocks do

# built once: these run for every report, and building a statement costs more than running it
_LOAD = select(dispositions).where(dispositions.c.tracking_id == bindparam("_tid"))
_CHANGE = update(dispositions).where(
    dispositions.c.tracking_id == bindparam("_tid"),
    dispositions.c.version.is_not_distinct_from(bindparam("_version")),
)
_INSERT_HOP = insert(routing_history)


@dataclass
class Context:
    """What one unit of routing work needs: its transaction, the replica, the time, the rules."""

    tx: UnitOfWork
    directory: Directory
    now: datetime
    calendar: WorkingCalendar
    deadlines: Deadlines
    oversight: tuple[str, ...] = ("OMBUDSMAN",)
    max_declines: int = 3

    @property
    def session(self):
        return self.tx.session

    def agency(self, code: str) -> AgencyView | None:
        return self.directory.get(code)

    def name_of(self, code: str) -> str:
        agency = self.directory.get(code)
        return agency.name if agency is not None else code

    def zone_of(self, code: str) -> str:
        agency = self.directory.get(code)
        return agency.timezone if agency is not None else "Asia/Jakarta"

    def place_fields(self, prefix: str, code: str) -> dict:
        """Where ``code`` sits, for the events that name it as holder (reporting counts the
        report there): ``{prefix}_government_code`` and ``{prefix}_province_code``."""
        place = place_in(self.directory, code)
        return {
            f"{prefix}_government_code": place.government,
            f"{prefix}_province_code": place.province,
        }


@dataclass(frozen=True)
class Actor:
    """Who did it: a staff member (username, agency) or routing itself."""

    username: str = ROUTING
    agency_code: str | None = None
    staff_id: str | None = None


RULES = Actor()


def load(session, tracking_id: str) -> Held | None:
    row = session.execute(_LOAD, {"_tid": tracking_id}).first()
    return Held.of(row) if row is not None else None


def change(ctx: Context, held: Held, **values) -> Held:
    """Apply ``values`` to the disposition if nobody changed it since ``held`` was read."""
    values = {**values, "version": (held.version or 0) + 1, "updated_at": ctx.now}
    changed = ctx.session.execute(
        _CHANGE, {**values, "_tid": held.tracking_id, "_version": held.version}
    ).rowcount
    if not changed:
        raise ConcurrentChange(
            f"{held.tracking_id} baru saja berubah / {held.tracking_id} changed meanwhile"
        )
    for key, value in values.items():
        setattr(held, key, value)
    return held


def hop(
    ctx: Context,
    tracking_id: str,
    kind: str,
    agency_code: str,
    rule: str,
    trace: list,
    actor: Actor = RULES,
    from_agency_code: str | None = None,
    proposed_agency_code: str | None = None,
    note: str | None = None,
) -> None:
    ctx.session.execute(
        _INSERT_HOP,
        {
            "tracking_id": tracking_id,
            "kind": kind,
            "agency_code": agency_code,
            "rule": rule,
            "trace": list(trace),
            "at": ctx.now,
            "actor": actor.username,
            "actor_agency_code": actor.agency_code,
            "from_agency_code": from_agency_code,
            "proposed_agency_code": proposed_agency_code,
            "note": note,
        },
    )


def add_readers(ctx: Context, tracking_id: str, codes: list[str], kind: str) -> list[str]:
    """Give read access to ``codes``; the ones that did not have it yet."""
    have = set(
        ctx.session.execute(
            select(readers.c.agency_code).where(
                readers.c.tracking_id == tracking_id, readers.c.kind == kind
            )
        ).scalars()
    )
    new = [code for code in codes if code not in have]
    if new:
        ctx.session.execute(
            insert(readers),
            [
                {"tracking_id": tracking_id, "agency_code": c, "kind": kind, "since": ctx.now}
                for c in new
            ],
        )
    return new


def readers_of(session, tracking_id: str) -> dict[str, list[str]]:
    """{"watcher": [...], "escalated": [...]}"""
    return readers_of_many(session, [tracking_id]).get(
        tracking_id, {"watcher": [], "escalated": []}
    )


def readers_of_many(session, tracking_ids: list[str]) -> dict[str, dict[str, list[str]]]:
    """{tracking id: {"watcher": [...], "escalated": [...]}} for a page of reports."""
    found: dict[str, dict[str, list[str]]] = {
        tid: {"watcher": [], "escalated": []} for tid in tracking_ids
    }
    if not tracking_ids:
        return found
    for tid, code, kind in session.execute(
        select(readers.c.tracking_id, readers.c.agency_code, readers.c.kind)
        .where(readers.c.tracking_id.in_(tracking_ids))
        .order_by(readers.c.since, readers.c.agency_code)
    ):
        found[tid].setdefault(kind, []).append(code)
    return found


def hops_of(session, tracking_id: str) -> list:
    return session.execute(
        select(routing_history)
        .where(routing_history.c.tracking_id == tracking_id)
        .order_by(routing_history.c.id)
    ).all()


def held_before(session, tracking_id: str, agency_code: str) -> bool:
    """True if ``agency_code`` was dispatched this report before (a loop, if it comes back)."""
    return (
        session.execute(
            select(routing_history.c.id)
            .where(
                routing_history.c.tracking_id == tracking_id,
                routing_history.c.agency_code == agency_code,
                routing_history.c.kind.in_(("dispatched", "redispatched")),
            )
            .limit(1)
        ).first()
        is not None
    )


def publish_regional(ctx: Context, held: Held, kind: str, rule: str) -> None:
    """The public column of the decision, to satupintu.regional (SPEC §3, §7)."""
    agency = ctx.agency(held.agency_code)
    report = {
        "tracking_id": held.tracking_id,
        "region_code": held.region_code,
        "privacy": held.privacy,
        "category_id": held.category_id,
        "title": held.title,
    }
    aggregate_id, body = regional.public_decision(
        kind, report, agency or _Named(held.agency_code, held.agency_name), rule, ctx.now
    )
    ctx.tx.emit(
        "regional_decision",
        aggregate_id,
        body,
        routing_key=regional.routing_key(held.region_code, held.agency_code),
    )


@dataclass(frozen=True)
class _Named:
    code: str
    name: str | None
