"""A coordinator's verdicts at the desk (SPEC §4): archive a report (duplicate, spam, not about
public service, withdrawn) or postpone it (back to the reporter, ``returned``, with a note of
what to complete). Both are moves of the one table (shared.lifecycle); each stops every clock,
keeps a hop and is announced; nothing changes when one is refused.

Intake mirrors both: it archives the report (a duplicate's reporter is pointed to the
original), or returns it with the note as the missing items and starts the completion clock
of SPEC §5 (its archive sweep). The reporter's supplement is a new report_submitted, which
routing routes again (first_decision.route_again).
"""

from __future__ import annotations

from sqlalchemy import insert, select

from services.routing.errors import WrongState
from services.routing.models import closed_reports
from services.routing.rules.trace import step
from services.routing.state import clocks
from services.routing.state.held import Held
from services.routing.state.holding import Actor, Context, change, hop, load
from shared import lifecycle
from shared.problems import InvalidInput

QUIET = {"proposed_agency_code": None, "proposed_rule": None, "proposed_trace": None}


def archive(
    ctx: Context,
    held: Held,
    actor: Actor,
    reason: str,
    duplicate_of: str | None,
    note: str | None,
) -> dict:
    """Archive ``held`` for ``reason``; a duplicate names an original routing knows."""
    _check(held, "archive")
    if duplicate_of is not None:
        _check_original(ctx, held, duplicate_of)
    previous = held.status
    change(
        ctx,
        held,
        status=lifecycle.next_status(previous, "archive"),
        archived_reason=reason,
        duplicate_of=duplicate_of,
        queue_reason=None,
        **QUIET,
    )
    clocks.stop(ctx.session, held.tracking_id, ctx.now)
    line = step("archived", agency=actor.agency_code, username=actor.username, reason=reason)
    if duplicate_of:
        line = {**line, "step": "archived_duplicate", "duplicate_of": duplicate_of}
    hop(ctx, held.tracking_id, "archived", held.agency_code, held.rule, [line], actor, note=note)
    _remember_closed(ctx, held.tracking_id, reason)
    ctx.tx.emit(
        "disposition_archived",
        held.tracking_id,
        {
            "tracking_id": held.tracking_id,
            "reason": reason,
            "duplicate_of": duplicate_of,
            "note": note,
            "previous_status": previous,
            "agency_code": held.agency_code,
            "by_agency_code": actor.agency_code,
            "privacy": held.privacy,
            "language": held.language or "id",
            "archived_at": ctx.now,
            "version": held.version,
        },
    )
    return _state(held)


def postpone(ctx: Context, held: Held, actor: Actor, note: str) -> dict:
    """Back to the reporter with ``note``: what they must complete."""
    _check(held, "postpone")
    previous = held.status
    change(
        ctx,
        held,
        status=lifecycle.next_status(previous, "postpone"),
        queue_reason=None,
        **QUIET,
    )
    clocks.stop(ctx.session, held.tracking_id, ctx.now)
    line = step("postponed", agency=actor.agency_code, username=actor.username)
    hop(ctx, held.tracking_id, "postponed", held.agency_code, held.rule, [line], actor, note=note)
    ctx.tx.emit(
        "disposition_postponed",
        held.tracking_id,
        {
            "tracking_id": held.tracking_id,
            "note": note,
            "previous_status": previous,
            "by_agency_code": actor.agency_code,
            "privacy": held.privacy,
            "language": held.language or "id",
            "postponed_at": ctx.now,
            "version": held.version,
        },
    )
    return _state(held)


def _check(held: Held, action: str) -> None:
    if not lifecycle.allowed(held.status, action, lifecycle.COORDINATOR):
        raise WrongState(
            f"Laporan berstatus {held.status}: tidak dapat di-{action} / "
            f"{held.tracking_id} is {held.status}: it cannot be {action}d"
        )


def _check_original(ctx: Context, held: Held, original: str) -> None:
    if original == held.tracking_id:
        raise InvalidInput(
            errors=[
                {
                    "field": "duplicate_of",
                    "message": "Laporan tidak dapat menjadi duplikat dirinya sendiri / "
                    "A report cannot be a duplicate of itself",
                }
            ]
        )
    found = load(ctx.session, original)
    if found is None:
        raise InvalidInput(
            errors=[
                {
                    "field": "duplicate_of",
                    "message": f"Laporan {original} tidak ditemukan / No report {original}",
                }
            ]
        )
    if found.duplicate_of:
        raise InvalidInput(
            errors=[
                {
                    "field": "duplicate_of",
                    "message": f"{original} sendiri duplikat dari {found.duplicate_of} / "
                    f"{original} is itself a duplicate of {found.duplicate_of}",
                }
            ]
        )


def _remember_closed(ctx: Context, tracking_id: str, reason: str) -> None:
    seen = ctx.session.execute(
        select(closed_reports.c.tracking_id).where(closed_reports.c.tracking_id == tracking_id)
    ).first()
    if seen is None:
        ctx.session.execute(
            insert(closed_reports).values(tracking_id=tracking_id, reason=reason, closed_at=ctx.now)
        )


def _state(held: Held) -> dict:
    return {
        "tracking_id": held.tracking_id,
        "status": held.status,
        "agency_code": held.agency_code,
        "archived_reason": getattr(held, "archived_reason", None),
        "duplicate_of": getattr(held, "duplicate_of", None),
        "version": held.version,
    }
