"""Putting a report before the agency's coordinator and oversight (SPEC §4, §5): after the
resolution clock runs out, or after the reporter's second "not satisfied". The holder keeps the
report; the coordinator, the government's Inspektorat and Ombudsman RI get read access and are
told (``report_escalated``), and regional instances see it."""

from __future__ import annotations

from services.routing.rules import hierarchy
from services.routing.state.held import Held
from services.routing.state.holding import Context, add_readers, hop, publish_regional


def escalate(ctx: Context, held: Held, reason: str) -> list[str]:
    """Escalate ``held`` for ``reason``; the agencies it went to."""
    targets = hierarchy.escalation_targets(
        ctx.directory, held.agency_code, held.region_code, ctx.oversight
    )
    add_readers(ctx, held.tracking_id, targets, "escalated")
    hop(
        ctx,
        held.tracking_id,
        "escalated",
        held.agency_code,
        held.rule,
        [line(reason, targets)],
    )
    ctx.tx.emit(
        "report_escalated",
        held.tracking_id,
        {
            "tracking_id": held.tracking_id,
            "agency_code": held.agency_code,
            "escalated_to": targets,
            "reason": reason,
            "privacy": held.privacy,
            "escalated_at": ctx.now,
        },
    )
    publish_regional(ctx, held, "escalated", reason)
    return targets


def line(reason: str, targets: list[str]) -> str:
    """The escalation's line in the report's routing trace."""
    return f"escalated ({reason}) to {', '.join(targets) or 'nobody above'}"
