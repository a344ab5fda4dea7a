""" "Not our authority" (bukan kewenangan, SPEC §7): the holding agency gives a reason and may
suggest another agency. Routing re-runs the policy without every agency that declined,
preferring a valid suggestion; after three declines, or on a loop (a suggestion that declined
already, or an agency that held the report before), the report goes to the coordinator's manual
queue. A coordinator that declines its own queue passes it to the coordinator above."""

from __future__ import annotations

from sqlalchemy import func, insert, select

from services.routing.errors import DuplicateSubmission, WrongState
from services.routing.lifecycle import correcting
from services.routing.lifecycle.dispatching import AWAITING, dispatch
from services.routing.lifecycle.queueing import pass_up, queue_manual
from services.routing.models import declines
from services.routing.rules import hierarchy, policy
from services.routing.rules.trace import step
from services.routing.state.held import Held
from services.routing.state.holding import RULES, Actor, Context, held_before

DECLINABLE = ("dispatched", "in_progress", AWAITING)


def decline(
    ctx: Context,
    held: Held,
    actor: Actor,
    reason: str,
    suggested: str | None,
    idempotency_key: str | None = None,
    corrected_category: str | None = None,
) -> dict:
    """Record the decline and move the report on; {"decline_id", "declines", "agency_code"}.
    With ``corrected_category`` the report's category is corrected first (audited, announced),
    so the suggestion and the policy are judged against what the report is really about."""
    if held.status not in DECLINABLE:
        raise WrongState(
            f"{held.tracking_id} berstatus {held.status}: tidak dapat ditolak lagi / "
            f"{held.tracking_id} is {held.status}: it can no longer be declined"
        )
    _check_repeat(ctx, held.tracking_id, idempotency_key)
    decliner = held.agency_code
    if held.status == AWAITING and hierarchy.coordinator_of(ctx.directory, decliner) is None:
        raise WrongState(
            f"{decliner} adalah koordinator terakhir: disposisikan secara manual / "
            f"{decliner} is the coordinator of last resort: dispatch it by hand"
        )
    decline_id = ctx.session.execute(
        insert(declines).values(
            tracking_id=held.tracking_id,
            agency_code=decliner,
            reason=reason,
            suggested_agency_code=suggested,
            staff_id=actor.staff_id,
            staff_username=actor.username,
            idempotency_key=idempotency_key,
            declined_at=ctx.now,
        )
    ).inserted_primary_key[0]
    count, decliners = _declined(ctx, held.tracking_id)
    if corrected_category and corrected_category != held.category_id:
        correcting.correct(ctx, held, actor, {"category_id": corrected_category}, reroute=False)
    ctx.tx.emit(
        "disposition_declined",
        held.tracking_id,
        {
            "tracking_id": held.tracking_id,
            "agency_code": decliner,
            "agency_name": ctx.name_of(decliner),
            "reason": reason,
            "suggested_agency_code": suggested,
            "declines": count,
            "privacy": held.privacy,
            "declined_at": ctx.now,
        },
    )
    note = f"declined by {decliner}: {reason}"
    if held.status == AWAITING:  # a coordinator's own queue: the level above takes it
        line = step("referred", agency=decliner, reason=reason)
        pass_up(ctx, held, "referred", line, actor, note)
    else:
        _move_on(ctx, held, decliner, decliners, count, suggested, note)
    return {"decline_id": decline_id, "declines": count, "agency_code": held.agency_code}


def _move_on(ctx, held, decliner, decliners, count, suggested, note) -> None:
    coordinator = hierarchy.location_coordinator(ctx.directory, held.region_code)
    if count >= ctx.max_declines:
        line = step("declines", count=count, agency=coordinator)
        queue_manual(ctx, held, coordinator, "three_declines", [line], RULES)
        return
    if suggested and suggested in decliners:
        line = step("loop_suggested", agency=decliner, target=suggested)
        queue_manual(ctx, held, coordinator, "loop", [line], RULES)
        return
    decision = policy.decide(
        ctx.directory,
        held.category_id,
        held.region_code,
        suggested or held.target_agency_code,
        frozenset(decliners),
        suggested_by=decliner if suggested else None,
    )
    if decision.rule == "coordinator":
        queue_manual(ctx, held, decision.agency_code, "no_competent_agency", decision.trace, RULES)
    elif held_before(ctx.session, held.tracking_id, decision.agency_code):
        line = step("loop_held", agency=decision.agency_code)
        queue_manual(ctx, held, coordinator, "loop", [*decision.trace, line], RULES)
    else:
        dispatch(ctx, held, decision.agency_code, decision.rule, decision.trace, RULES, note)


def _declined(ctx: Context, tracking_id: str) -> tuple[int, set[str]]:
    rows = ctx.session.execute(
        select(declines.c.agency_code, func.count())
        .where(declines.c.tracking_id == tracking_id)
        .group_by(declines.c.agency_code)
    ).all()
    return sum(n for _, n in rows), {code for code, _ in rows}


def _check_repeat(ctx: Context, tracking_id: str, key: str | None) -> None:
    if key is None:
        return
    first = ctx.session.execute(
        select(declines.c.id).where(
            declines.c.tracking_id == tracking_id, declines.c.idempotency_key == key
        )
    ).scalar()
    if first is not None:
        raise DuplicateSubmission(
            "Penolakan ini sudah dikirim / This decline was sent already", decline_id=first
        )
