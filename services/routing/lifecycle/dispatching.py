"""Sending a report to the agency that acts on it (SPEC §4, §5, §7): the holder changes, the
hop is kept, the agency's clocks start, watchers are copied, and everyone hears of it.

Every function runs in the caller's transaction (``ctx.tx``) and writes the change, the hop,
the clocks and the events together.
"""

from __future__ import annotations

from sqlalchemy import select

from services.routing.models import routing_history
from services.routing.rules import deadlines, hierarchy
from services.routing.rules.deadlines import FEEDBACK, FIRST_FOLLOWUP, RESOLUTION, VERIFICATION
from services.routing.rules.trace import english
from services.routing.state import clocks
from services.routing.state.held import Held
from services.routing.state.holding import (
    RULES,
    Actor,
    Context,
    add_readers,
    change,
    hop,
    publish_regional,
)

NEW = "new"  # only inside the transaction that first routes a report
AWAITING = "awaiting_verification"
DISPATCHED = "dispatched"


def dispatch(
    ctx: Context,
    held: Held,
    agency_code: str,
    rule: str,
    trace: list,
    actor: Actor = RULES,
    note: str | None = None,
) -> Held:
    """``agency_code`` holds the report from now on; its clocks start (SPEC §5)."""
    new = held.status == NEW
    previous = previous_holder(held)
    kind = (
        "dispatched"
        if new or not ever_dispatched(ctx.session, held.tracking_id)
        else "redispatched"
    )
    agency = ctx.agency(agency_code)
    change(
        ctx,
        held,
        agency_code=agency_code,
        agency_name=agency.name,
        status=DISPATCHED,
        rule=rule,
        routed_at=ctx.now,
        coordinator_code=hierarchy.coordinator_of(ctx.directory, agency_code),
        proposed_agency_code=None,
        proposed_rule=None,
        proposed_trace=None,
        queue_reason=None,
        field_inspection=False,
    )
    hop(ctx, held.tracking_id, kind, agency_code, rule, trace, actor, previous, note=note)
    if not new:
        clocks.stop(ctx.session, held.tracking_id, ctx.now, VERIFICATION, FEEDBACK)
    started = clocks.start_all(
        ctx.session,
        ctx.calendar,
        held.tracking_id,
        {
            FIRST_FOLLOWUP: ctx.deadlines.days(FIRST_FOLLOWUP),
            RESOLUTION: ctx.deadlines.days(
                RESOLUTION, deadlines.long_resolution(held.supervision, False)
            ),
        },
        agency_code,
        agency.timezone,
        ctx.now,
        new,
    )
    first, resolution = started[FIRST_FOLLOWUP], started[RESOLUTION]
    watching = []
    if held.supervision:
        watching = hierarchy.watchers(ctx.directory, agency_code, held.region_code, ctx.oversight)
        add_readers(ctx, held.tracking_id, watching, "watcher")
    ctx.tx.emit(
        "report_routed",
        held.tracking_id,
        {
            "tracking_id": held.tracking_id,
            "agency_code": agency_code,
            "agency_name": agency.name,
            "rule": rule,
            "trace": english(trace),
            "category_id": held.category_id,
            "region_code": held.region_code,
            "privacy": held.privacy,
            "channel": held.channel,
            "language": held.language or "id",
            "routed_at": ctx.now,
            "kind": kind,
            "previous_agency_code": previous if kind == "redispatched" else None,
            "watchers": watching,
            "first_followup_due_at": first.due_at,
            "resolution_due_at": resolution.due_at,
            "version": held.version,
            **ctx.place_fields("agency", agency_code),
        },
    )
    publish_regional(ctx, held, kind, rule)
    return held


def previous_holder(held) -> str | None:
    return None if held.status == NEW else held.agency_code


def ever_dispatched(session, tracking_id: str) -> bool:
    return (
        session.execute(
            select(routing_history.c.id)
            .where(
                routing_history.c.tracking_id == tracking_id,
                routing_history.c.kind.in_(("dispatched", "redispatched")),
            )
            .limit(1)
        ).first()
        is not None
    )


def verification_clock(ctx: Context, held, coordinator: str, since, new=False) -> deadlines.Due:
    return clocks.start(
        ctx.session,
        ctx.calendar,
        held.tracking_id,
        VERIFICATION,
        coordinator,
        ctx.zone_of(coordinator),
        ctx.deadlines.days(VERIFICATION),
        since or ctx.now,
        new,
    )
