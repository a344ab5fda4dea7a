"""The first decision for a complete report (SPEC §7): once per report, whatever the broker
redelivers — dispatched at once, proposed to a coordinator in review mode, or queued for a
coordinator when no rule finds an agency."""

from __future__ import annotations

from datetime import UTC

from sqlalchemy import bindparam, insert, select

from services.routing.lifecycle.dispatching import NEW, dispatch
from services.routing.lifecycle.queueing import propose, queue_manual
from services.routing.models import closed_reports, dispositions
from services.routing.rules import hierarchy, policy
from services.routing.state.held import Held
from services.routing.state.holding import Context, change, load
from shared import categories, lifecycle
from shared.db import aware

_INSERT = insert(dispositions)
_CLOSED = select(closed_reports.c.tracking_id).where(
    closed_reports.c.tracking_id == bindparam("_tid")
)


def route_new(ctx: Context, report: dict) -> Held | None:
    """Route a complete report once: dispatch it, propose it to a coordinator in review mode,
    or queue it for a coordinator when no rule finds an agency. None if it was seen before."""
    tracking_id = report["tracking_id"]
    if _closed(ctx.session, tracking_id):
        return None  # closed already
    known = load(ctx.session, tracking_id)
    if known is not None:
        if lifecycle.allowed(known.status, "supplement_complete"):
            return route_again(ctx, known, report)  # postponed, and now completed
        return None  # submitted again under another event id
    category_id, region_code = report["category_id"], report["region_code"]
    decision = policy.decide(
        ctx.directory, category_id, region_code, report.get("target_agency_code")
    )
    row = {
        "tracking_id": tracking_id,
        "agency_code": decision.agency_code,
        "agency_name": ctx.name_of(decision.agency_code),
        "category_id": category_id,
        "region_code": region_code,
        "privacy": report["privacy"],
        "rule": decision.rule,
        "status": NEW,
        "routed_at": ctx.now,
        "classification": report.get("classification"),
        "channel": report.get("channel"),
        "language": report.get("language") or "id",
        "title": report.get("title"),
        "supervision": bool(report.get("supervision")) or categories.is_supervision(category_id),
        "target_agency_code": report.get("target_agency_code"),
        "proposed_agency_code": None,
        "proposed_rule": None,
        "proposed_trace": None,
        "coordinator_code": None,
        "queue_reason": None,
        "received_at": aware(report.get("submitted_at") or ctx.now).astimezone(UTC),
        "field_inspection": False,
        "unsatisfied_rounds": 0,
        "version": 1,
        "updated_at": ctx.now,
    }
    ctx.session.execute(_INSERT, row)
    held = Held(**row)
    return _place(ctx, held, decision, held.received_at)


def route_again(ctx: Context, held: Held, report: dict) -> Held:
    """A report a coordinator postponed came back complete: placed again as a new one would
    be, from what the reporter's supplement says about it now."""
    category_id, region_code = report["category_id"], report["region_code"]
    change(
        ctx,
        held,
        category_id=category_id,
        region_code=region_code,
        classification=report.get("classification") or held.classification,
        supervision=bool(report.get("supervision")) or categories.is_supervision(category_id),
        title=report.get("title"),
        received_at=aware(report.get("submitted_at") or ctx.now).astimezone(UTC),
    )
    decision = policy.decide(ctx.directory, category_id, region_code, held.target_agency_code)
    return _place(ctx, held, decision, held.received_at)


def _place(ctx: Context, held: Held, decision, started) -> Held:
    if decision.rule == "coordinator":
        return queue_manual(
            ctx, held, decision.agency_code, "no_competent_agency", decision.trace, since=started
        )
    reviewer = hierarchy.coordinator_of(ctx.directory, decision.agency_code)
    agency = ctx.agency(reviewer) if reviewer else None
    if agency is not None and agency.verification_mode == "review":
        return propose(ctx, held, decision, reviewer, since=started)
    return dispatch(ctx, held, decision.agency_code, decision.rule, decision.trace)


def _closed(session, tracking_id: str) -> bool:
    return session.execute(_CLOSED, {"_tid": tracking_id}).first() is not None
