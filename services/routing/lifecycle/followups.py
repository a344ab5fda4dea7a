"""What the holding agency answers (tindak lanjut) and what the reporter says back (SPEC §4, §5).

interim follow-up  → in_progress; the first-follow-up clock stops
final follow-up    → awaiting_feedback; resolution stops, the feedback clock starts
field inspection   → the resolution clock becomes 60 working days from dispatch
satisfied          → completed
not satisfied      → in_progress with the same agency, resolution clock again; escalated after
                     the second round (counted here, the only round counter)
withdrawn/archived → archived; every clock stops
"""

from __future__ import annotations

from sqlalchemy import insert, select

from services.routing.errors import DuplicateSubmission, WrongState
from services.routing.lifecycle.escalation import escalate
from services.routing.models import closed_reports, followups
from services.routing.rules import deadlines
from services.routing.rules.deadlines import FEEDBACK, FIRST_FOLLOWUP, RESOLUTION
from services.routing.state import clocks, followup_files
from services.routing.state.held import Held
from services.routing.state.holding import Actor, Context, change, load
from shared import lifecycle
from shared.db import aware


def post(
    ctx: Context,
    held: Held,
    actor: Actor,
    text: str,
    final: bool,
    field_inspection: bool,
    idempotency_key: str | None = None,
    files: list[dict] = (),
) -> dict:
    """Record a follow-up of the holding agency, with the references of the files attached to
    it (followup_files.stored); the follow-up as the desk shows it."""
    if not lifecycle.allowed(held.status, "final_follow_up" if final else "follow_up"):
        raise WrongState(_why_closed(held.status))
    _check_repeat(ctx, held, text, final, idempotency_key)
    followup_id = ctx.session.execute(
        insert(followups).values(
            tracking_id=held.tracking_id,
            agency_code=held.agency_code,
            text=text,
            final=final,
            field_inspection=field_inspection,
            staff_id=actor.staff_id,
            staff_username=actor.username,
            idempotency_key=idempotency_key,
            posted_at=ctx.now,
        )
    ).inserted_primary_key[0]
    attachments = list(files)
    followup_files.record(ctx.session, held.tracking_id, followup_id, attachments)
    status = lifecycle.next_status(held.status, "final_follow_up" if final else "follow_up")
    longer = field_inspection and not held.field_inspection
    change(ctx, held, status=status, field_inspection=bool(held.field_inspection or longer))
    clocks.stop(ctx.session, held.tracking_id, ctx.now, FIRST_FOLLOWUP)
    resolution_due = feedback_due = None
    running = clocks.running(ctx.session, held.tracking_id)
    if final:
        clocks.stop(ctx.session, held.tracking_id, ctx.now, RESOLUTION)
        feedback_due = _start(ctx, held, FEEDBACK, ctx.deadlines.days(FEEDBACK), ctx.now).due_at
    elif longer and RESOLUTION in running and running[RESOLUTION].breached_at is None:
        days = ctx.deadlines.days(RESOLUTION, long=True)
        resolution_due = _start(ctx, held, RESOLUTION, days, held.routed_at).due_at
    elif RESOLUTION in running:
        resolution_due = aware(running[RESOLUTION].due_at)
    ctx.tx.emit(
        "followup_posted",
        held.tracking_id,
        {
            "tracking_id": held.tracking_id,
            "followup_id": followup_id,
            "agency_code": held.agency_code,
            "agency_name": ctx.name_of(held.agency_code),
            "text": text,
            "final": final,
            "field_inspection": field_inspection,
            "status": status,
            "privacy": held.privacy,
            "language": held.language or "id",
            "posted_at": ctx.now,
            "feedback_due_at": feedback_due,
            "resolution_due_at": resolution_due,
            "version": held.version,
            "attachments": attachments,
        },
    )
    return {
        "id": followup_id,
        "tracking_id": held.tracking_id,
        "agency_code": held.agency_code,
        "text": text,
        "final": final,
        "field_inspection": field_inspection,
        "status": status,
        "posted_at": ctx.now,
        "feedback_due_at": feedback_due,
        "resolution_due_at": resolution_due,
        "attachments": attachments,
    }


def feedback(ctx: Context, body: dict) -> bool:
    """Apply the reporter's feedback (intake's ``feedback_given``): routing decides the status
    and announces it (report_status_changed). False if it no longer applies (a repeat, or the
    report moved on)."""
    held = load(ctx.session, body["tracking_id"])
    action = lifecycle.feedback_action(bool(body["satisfied"]))
    if held is None or not lifecycle.allowed(held.status, action):
        return False
    if body["satisfied"]:
        complete(ctx, held, "satisfied")
        return True
    rounds = (held.unsatisfied_rounds or 0) + 1
    change(
        ctx,
        held,
        status=lifecycle.next_status(held.status, action),
        unsatisfied_rounds=rounds,
    )
    clocks.stop(ctx.session, held.tracking_id, ctx.now, FEEDBACK)
    long = deadlines.long_resolution(held.supervision, held.field_inspection)
    _start(ctx, held, RESOLUTION, ctx.deadlines.days(RESOLUTION, long), ctx.now)
    _status_changed(ctx, held, "awaiting_feedback", "not_satisfied")
    if lifecycle.escalates(rounds):
        escalate(ctx, held, "not_satisfied_twice")
    return True


def complete(ctx: Context, held: Held, reason: str) -> None:
    """awaiting_feedback → completed (the reporter is satisfied, or silent too long)."""
    action = "satisfied" if reason == "satisfied" else "feedback_timeout"
    change(ctx, held, status=lifecycle.next_status(held.status, action))
    clocks.stop(ctx.session, held.tracking_id, ctx.now)
    _status_changed(ctx, held, "awaiting_feedback", reason)


def close(ctx: Context, tracking_id: str, reason: str) -> bool:
    """The report was withdrawn or archived in intake: stop everything. Remembered even if the
    report was never routed, so a late report_submitted does not route it."""
    seen = ctx.session.execute(
        select(closed_reports.c.tracking_id).where(closed_reports.c.tracking_id == tracking_id)
    ).first()
    if seen is None:
        ctx.session.execute(
            insert(closed_reports).values(tracking_id=tracking_id, reason=reason, closed_at=ctx.now)
        )
    held = load(ctx.session, tracking_id)
    action = "withdraw" if reason == "withdrawn" else "archive"
    if held is None or not lifecycle.allowed(held.status, action):
        return False
    previous = held.status
    change(ctx, held, status=lifecycle.next_status(previous, action))
    clocks.stop(ctx.session, tracking_id, ctx.now)
    _status_changed(ctx, held, previous, reason)
    return True


def _start(ctx: Context, held, clock: str, days: int, since):
    return clocks.start(
        ctx.session,
        ctx.calendar,
        held.tracking_id,
        clock,
        held.agency_code,
        ctx.zone_of(held.agency_code),
        days,
        since,
    )


def _status_changed(ctx: Context, held, previous: str, reason: str) -> None:
    ctx.tx.emit(
        "report_status_changed",
        held.tracking_id,
        {
            "tracking_id": held.tracking_id,
            "status": held.status,
            "previous_status": previous,
            "agency_code": held.agency_code,
            "reason": reason,
            "privacy": held.privacy,
            "language": held.language or "id",
            "changed_at": ctx.now,
            "version": held.version,
        },
    )


def _check_repeat(ctx: Context, held, text: str, final: bool, key: str | None) -> None:
    """A second submission of the same follow-up (same key, or the same text and kind as the
    agency's last one) changes nothing."""
    query = select(followups.c.id, followups.c.text, followups.c.final, followups.c.agency_code)
    if key is not None:
        first = ctx.session.execute(
            query.where(followups.c.tracking_id == held.tracking_id).where(
                followups.c.idempotency_key == key
            )
        ).first()
        if first is not None:
            raise DuplicateSubmission(
                "Tindak lanjut ini sudah dikirim / This follow-up was sent already",
                followup_id=first.id,
            )
    last = ctx.session.execute(
        query.where(followups.c.tracking_id == held.tracking_id)
        .order_by(followups.c.id.desc())
        .limit(1)
    ).first()
    if last is not None and (last.agency_code, last.text, last.final) == (
        held.agency_code,
        text,
        final,
    ):
        raise DuplicateSubmission(
            "Tindak lanjut yang sama baru saja dikirim / The same follow-up was just sent",
            followup_id=last.id,
        )


def _why_closed(status: str) -> str:
    return {
        "awaiting_verification": "Belum didisposisikan / Not dispatched yet",
        "awaiting_feedback": "Tindak lanjut akhir sudah dikirim; menunggu pelapor / "
        "The final follow-up was sent; waiting for the reporter",
        "completed": "Laporan sudah selesai / The report is completed",
        "archived": "Laporan sudah diarsipkan / The report is archived",
    }.get(status, f"Status {status}")
