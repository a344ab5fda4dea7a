"""What routing does when a clock comes due (SPEC §5): one working day before, a reminder;
at the deadline, the breach action. Each reminder and each breach is claimed in the transaction
that acts on it (clocks.claim), so with several routing processes each is acted on once."""

from __future__ import annotations

from services.routing.lifecycle.dispatching import AWAITING
from services.routing.lifecycle.escalation import escalate
from services.routing.lifecycle.followups import complete
from services.routing.lifecycle.queueing import pass_up
from services.routing.rules import hierarchy
from services.routing.rules.deadlines import (
    BREACH_ACTION,
    FEEDBACK,
    FIRST_FOLLOWUP,
    RESOLUTION,
    VERIFICATION,
)
from services.routing.rules.trace import step
from services.routing.state import clocks
from services.routing.state.holding import Context, load, publish_regional
from shared.db import aware


def remind(ctx: Context, clock_id: int) -> bool:
    """deadline_approaching for one clock, if this transaction claims it."""
    row = clocks.claim(ctx.session, clock_id, ctx.now, "reminder")
    if row is None:
        return False
    held = load(ctx.session, row.tracking_id)
    if held is None:
        return False
    ctx.tx.emit(
        "deadline_approaching",
        held.tracking_id,
        {
            "tracking_id": held.tracking_id,
            "clock": row.clock,
            "agency_code": held.agency_code,
            "coordinator_code": _coordinator(ctx, held),
            "due_at": aware(row.due_at),
            "privacy": held.privacy,
            "region_code": held.region_code,
        },
    )
    return True


def breach(ctx: Context, clock_id: int) -> bool:
    """The breach action for one clock, if this transaction claims it."""
    row = clocks.claim(ctx.session, clock_id, ctx.now, "breach")
    if row is None:
        return False
    held = load(ctx.session, row.tracking_id)
    if held is None:
        return False
    responsible = held.agency_code
    action, escalated_to = BREACH_ACTION[row.clock], []
    if row.clock == VERIFICATION and held.status == AWAITING:
        line = step("not_verified", agency=responsible, days=row.days)
        nxt = pass_up(ctx, held, "escalated", line)
        if nxt is None:
            action = "marked_overdue"  # the national coordinator has nobody above it
        else:
            escalated_to = [nxt]
            _escalated(ctx, held, escalated_to)
    elif row.clock == RESOLUTION:
        escalated_to = escalate(ctx, held, "resolution_breached")
    elif row.clock == FEEDBACK and held.status == "awaiting_feedback":
        complete(ctx, held, "feedback_timeout")
    elif row.clock == FIRST_FOLLOWUP:
        pass  # marked overdue: the clock stays breached until the first follow-up
    else:
        return False  # the report moved on under the clock; nothing to do
    ctx.tx.emit(
        "deadline_breached",
        held.tracking_id,
        {
            "tracking_id": held.tracking_id,
            "clock": row.clock,
            "agency_code": responsible,
            "coordinator_code": _coordinator(ctx, held, responsible),
            "due_at": aware(row.due_at),
            "breached_at": ctx.now,
            "action": action,
            "escalated_to": escalated_to,
            "privacy": held.privacy,
            "region_code": held.region_code,
        },
    )
    return True


def _escalated(ctx: Context, held, escalated_to: list[str]) -> None:
    ctx.tx.emit(
        "report_escalated",
        held.tracking_id,
        {
            "tracking_id": held.tracking_id,
            "agency_code": held.agency_code,
            "escalated_to": escalated_to,
            "reason": "verification_breached",
            "privacy": held.privacy,
            "escalated_at": ctx.now,
        },
    )
    publish_regional(ctx, held, "escalated", "verification_breached")


def _coordinator(ctx: Context, held, responsible: str | None = None) -> str | None:
    return hierarchy.coordinator_of(ctx.directory, responsible or held.agency_code)
