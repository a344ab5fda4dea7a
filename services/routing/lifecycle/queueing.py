"""A coordinator's queue (SPEC §4, §7): proposals waiting for verification in review mode,
reports no rule could settle (three declines, a loop, no competent agency), and passing either
to the coordinator above (referred by a person, or escalated by the verification clock)."""

from __future__ import annotations

from services.routing.lifecycle.dispatching import (
    AWAITING,
    NEW,
    dispatch,
    ever_dispatched,
    previous_holder,
    verification_clock,
)
from services.routing.rules import hierarchy, policy
from services.routing.rules.deadlines import FEEDBACK, FIRST_FOLLOWUP, RESOLUTION
from services.routing.rules.trace import english, step
from services.routing.state import clocks
from services.routing.state.held import Held
from services.routing.state.holding import RULES, Actor, Context, change, hop, publish_regional


def propose(
    ctx: Context,
    held: Held,
    decision: policy.Decision,
    reviewer: str,
    since=None,
) -> Held:
    """Review mode: the coordinator holds the report until it confirms or changes the proposal."""
    new = held.status == NEW
    change(
        ctx,
        held,
        agency_code=reviewer,
        agency_name=ctx.name_of(reviewer),
        status=AWAITING,
        rule=decision.rule,
        routed_at=ctx.now,
        coordinator_code=reviewer,
        proposed_agency_code=decision.agency_code,
        proposed_rule=decision.rule,
        proposed_trace=list(decision.trace),
        queue_reason=None,
    )
    line = step("review_mode", agency=reviewer)
    hop(
        ctx,
        held.tracking_id,
        "proposed",
        reviewer,
        decision.rule,
        [*decision.trace, line],
        proposed_agency_code=decision.agency_code,
    )
    due = verification_clock(ctx, held, reviewer, since, new)
    ctx.tx.emit(
        "disposition_proposed",
        held.tracking_id,
        {
            "tracking_id": held.tracking_id,
            "agency_code": decision.agency_code,
            "agency_name": ctx.name_of(decision.agency_code),
            "coordinator_code": reviewer,
            **ctx.place_fields("coordinator", reviewer),
            "rule": decision.rule,
            "trace": english(decision.trace),
            "category_id": held.category_id,
            "region_code": held.region_code,
            "privacy": held.privacy,
            "verification_due_at": due.due_at,
            "proposed_at": ctx.now,
        },
    )
    return held


def queue_manual(
    ctx: Context,
    held: Held,
    coordinator: str,
    reason: str,
    trace: list,
    actor: Actor = RULES,
    since=None,
) -> Held:
    """The coordinator holds the report and dispatches it by hand (three declines, a loop, or
    no competent agency)."""
    new = held.status == NEW
    previous = previous_holder(held)
    was_dispatched = not new and ever_dispatched(ctx.session, held.tracking_id)
    change(
        ctx,
        held,
        agency_code=coordinator,
        agency_name=ctx.name_of(coordinator),
        status=AWAITING,
        rule="coordinator",
        routed_at=ctx.now,
        coordinator_code=coordinator,
        queue_reason=reason,
        proposed_agency_code=None,
        proposed_rule=None,
        proposed_trace=None,
    )
    hop(ctx, held.tracking_id, "queued", coordinator, "coordinator", trace, actor, previous)
    if not new:
        clocks.stop(ctx.session, held.tracking_id, ctx.now, FIRST_FOLLOWUP, RESOLUTION, FEEDBACK)
    verification_clock(ctx, held, coordinator, since, new)
    _announce_queue(ctx, held, reason)
    publish_regional(ctx, held, "redispatched" if was_dispatched else "dispatched", "coordinator")
    return held


def pass_up(
    ctx: Context, held: Held, kind: str, line: str, actor: Actor = RULES, note=None
) -> str | None:
    """A coordinator's queue (a proposal, or a manual dispatch) goes to the next coordinator up
    ("referred" by a person, "escalated" by the verification clock). A proposal reaching a
    coordinator in auto mode is dispatched. The new holder, or None at the top."""
    nxt = hierarchy.coordinator_of(ctx.directory, held.agency_code)
    if nxt is None:
        return None
    agency = ctx.agency(nxt)
    if held.proposed_agency_code and agency.verification_mode == "auto":
        proposed = ctx.agency(held.proposed_agency_code)
        if proposed is not None and proposed.status == "active":
            trace = [*(held.proposed_trace or []), line, step("auto_mode", agency=nxt)]
            dispatch(ctx, held, proposed.code, held.proposed_rule, trace, actor, note)
            return nxt
    previous = held.agency_code
    change(ctx, held, agency_code=nxt, agency_name=agency.name, coordinator_code=nxt)
    hop(
        ctx,
        held.tracking_id,
        kind,
        nxt,
        held.rule,
        [line],
        actor,
        previous,
        proposed_agency_code=held.proposed_agency_code,
        note=note,
    )
    due = verification_clock(ctx, held, nxt, None)
    if held.proposed_agency_code:
        ctx.tx.emit(
            "disposition_proposed",
            held.tracking_id,
            {
                "tracking_id": held.tracking_id,
                "agency_code": held.proposed_agency_code,
                "agency_name": ctx.name_of(held.proposed_agency_code),
                "coordinator_code": nxt,
                **ctx.place_fields("coordinator", nxt),
                "rule": held.proposed_rule or held.rule,
                "trace": english(held.proposed_trace or []),
                "category_id": held.category_id,
                "region_code": held.region_code,
                "privacy": held.privacy,
                "verification_due_at": due.due_at,
                "proposed_at": ctx.now,
            },
        )
    else:
        _announce_queue(ctx, held, held.queue_reason or "no_competent_agency")
    return nxt


def _announce_queue(ctx: Context, held, reason: str) -> None:
    ctx.tx.emit(
        "manual_dispatch_queued",
        held.tracking_id,
        {
            "tracking_id": held.tracking_id,
            "coordinator_code": held.agency_code,
            "coordinator_name": held.agency_name or held.agency_code,
            **ctx.place_fields("coordinator", held.agency_code),
            "reason": reason,
            "category_id": held.category_id,
            "region_code": held.region_code,
            "privacy": held.privacy,
            "queued_at": ctx.now,
            "version": held.version,
        },
    )
