"""Correcting what a report is about (SPEC §2, §3, §7): its category, region, classification or
privacy, by a coordinator at the desk or by the agency declining it with the right category.

Privacy only goes up (public → anonymous → confidential); lowering it is the reporter's call
alone. Every correction is an audit line (who, before, after) and an event; when it changes
who is competent, routing's policy places the report again, like a decline would.
"""

from __future__ import annotations

from sqlalchemy import insert, select

from services.routing.errors import WrongState
from services.routing.lifecycle.dispatching import AWAITING, dispatch
from services.routing.lifecycle.queueing import queue_manual
from services.routing.models import corrections
from services.routing.rules import policy
from services.routing.rules.trace import step
from services.routing.state.held import Held
from services.routing.state.holding import RULES, Actor, Context, change
from shared import categories, lifecycle
from shared.problems import InvalidInput

FIELDS = ("category_id", "region_code", "classification", "privacy")
WHO_IS_COMPETENT = ("category_id", "region_code")
LOWER_PRIVACY = (
    "Tingkat kerahasiaan hanya dapat dinaikkan; menurunkannya hanya atas permintaan pelapor / "
    "Privacy can only be raised; lowering it needs the reporter's own request"
)


def correct(
    ctx: Context,
    held: Held,
    actor: Actor,
    wanted: dict,
    regions=None,
    reroute: bool = True,
) -> dict:
    """Apply the fields of ``wanted`` that differ; {"before", "after", "rerouted", ...}."""
    if not lifecycle.allowed(held.status, "correct"):
        raise WrongState(
            f"{held.tracking_id} berstatus {held.status}: tidak dapat dikoreksi lagi / "
            f"{held.tracking_id} is {held.status}: it can no longer be corrected"
        )
    after = {
        key: value
        for key, value in wanted.items()
        if key in FIELDS and value is not None and value != getattr(held, key)
    }
    _check(held, after, regions)
    before = {key: getattr(held, key) for key in after}
    if not after:
        return {"before": {}, "after": {}, "rerouted": False, **_state(held)}
    values = dict(after)
    if "category_id" in after:
        values["supervision"] = categories.is_supervision(after["category_id"])
    if after.get("privacy") == "confidential":
        values["title"] = None  # routing keeps only what the public may read
    change(ctx, held, **values)
    rerouted = bool(reroute and set(after) & set(WHO_IS_COMPETENT) and _reroute(ctx, held, actor))
    ctx.session.execute(
        insert(corrections).values(
            tracking_id=held.tracking_id,
            staff_id=actor.staff_id,
            staff_username=actor.username,
            staff_agency_code=actor.agency_code,
            before=before,
            after=after,
            rerouted=rerouted,
            at=ctx.now,
        )
    )
    ctx.tx.emit(
        "disposition_corrected",
        held.tracking_id,
        {
            "tracking_id": held.tracking_id,
            "before": before,
            "after": after,
            "by_agency_code": actor.agency_code,
            "rerouted": rerouted,
            "status": held.status,
            "privacy": held.privacy,
            "language": held.language or "id",
            "corrected_at": ctx.now,
            "version": held.version,
        },
    )
    return {"before": before, "after": after, "rerouted": rerouted, **_state(held)}


def audit_of(session, tracking_id: str) -> list[dict]:
    rows = session.execute(
        select(corrections)
        .where(corrections.c.tracking_id == tracking_id)
        .order_by(corrections.c.id)
    ).all()
    return [
        {
            "by": row.staff_username,
            "agency_code": row.staff_agency_code,
            "before": row.before,
            "after": row.after,
            "rerouted": row.rerouted,
            "at": row.at,
        }
        for row in rows
    ]


def _check(held: Held, after: dict, regions) -> None:
    errors = []
    if "privacy" in after and not lifecycle.raises_privacy(held.privacy, after["privacy"]):
        errors.append({"field": "privacy", "message": LOWER_PRIVACY})
    region = after.get("region_code")
    if region is not None and regions is not None:
        level = regions.level(region) if regions.exists(region) else None
        if level is None or level < 2:
            errors.append(
                {
                    "field": "region_code",
                    "message": "Kode wilayah tidak dikenal (minimal kabupaten/kota) / "
                    "Unknown region code (regency or deeper)",
                }
            )
    if errors:
        raise InvalidInput(errors=errors)


def _reroute(ctx: Context, held: Held, actor: Actor) -> bool:
    """Place the report again if, with its new category or region, the policy picks another
    agency than the one holding (or proposed for) it. True if it moved."""
    decision = policy.decide(
        ctx.directory, held.category_id, held.region_code, held.target_agency_code
    )
    line = step(
        "corrected", agency=actor.agency_code, username=actor.username, target=decision.agency_code
    )
    if held.status == AWAITING:
        if held.proposed_agency_code and decision.agency_code != held.proposed_agency_code:
            change(
                ctx,
                held,
                proposed_agency_code=decision.agency_code,
                proposed_rule=decision.rule,
                proposed_trace=[*decision.trace, line],
            )
            return True
        return False
    if decision.agency_code == held.agency_code:
        return False
    if decision.rule == "coordinator":
        queue_manual(ctx, held, decision.agency_code, "no_competent_agency", decision.trace, RULES)
    else:
        dispatch(ctx, held, decision.agency_code, decision.rule, [*decision.trace, line], actor)
    return True


def _state(held: Held) -> dict:
    return {
        "tracking_id": held.tracking_id,
        "status": held.status,
        "agency_code": held.agency_code,
        "category_id": held.category_id,
        "region_code": held.region_code,
        "classification": held.classification,
        "privacy": held.privacy,
        "version": held.version,
    }
