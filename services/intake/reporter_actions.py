"""What the reporter asks of a report after filing it: a comment, feedback on the agency's
final follow-up, withdrawal; each checked against shared.lifecycle's table, run inside the
caller's transaction, and emitted."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import select, update

from services.intake import duplicates, history, records, timeline_words
from services.intake.models import reports, timeline
from services.intake.problems import WrongState
from shared import lifecycle, privacy

OPEN_FOR_COMMENTS = lifecycle.sources("comment")
WITHDRAWABLE = lifecycle.sources("withdraw")


def comment(tx, row, text: str, now: datetime) -> int:
    """The reporter's comment, as a timeline line; its id."""
    if row.status not in OPEN_FOR_COMMENTS:
        raise WrongState("Laporan sudah ditutup / The report is closed")
    comment_id = history.add(
        tx,
        row.tracking_id,
        now,
        row.status,
        "Pelapor menambahkan tanggapan.",
        "The reporter added a comment.",
        kind="comment",
        actor="reporter",
        note=text,
    )
    tx.session.execute(
        update(reports).where(reports.c.tracking_id == row.tracking_id).values(updated_at=now)
    )
    rec = records.record(SimpleNamespace(**{**row._asdict(), "missing": row.missing}))
    public = privacy.view({**rec, "body": text}, privacy.THE_PUBLIC, privacy.EVENT) or {}
    tx.emit(
        "report_commented",
        row.tracking_id,
        {
            "tracking_id": row.tracking_id,
            "comment_id": comment_id,
            "author": "reporter",
            "text": public.get("body"),
            "privacy": row.privacy,
            "channel": row.channel,
            "language": row.language,
            "commented_at": now,
            "agency_code": row.agency_code,
        },
    )
    return comment_id


def feedback(tx, row, satisfied: bool, note: str | None, now: datetime) -> str:
    """Record what the reporter said after the final follow-up and tell routing, which decides
    the status (satisfied → completed; not satisfied → in_progress, escalated after the
    second round: routing counts the rounds) and announces it in report_status_changed; intake
    mirrors that. Returns the status the feedback leads to."""
    action = lifecycle.feedback_action(satisfied)
    if not lifecycle.allowed(row.status, action, lifecycle.REPORTER):
        raise WrongState(
            "Tanggapan hanya dapat diberikan setelah tindak lanjut akhir / "
            "Feedback is possible only after the agency's final follow-up"
        )
    if _answered_already(tx, row.tracking_id):
        raise WrongState(
            "Tanggapan Anda atas tindak lanjut ini sudah diterima / "
            "Your feedback on this follow-up was received already"
        )
    history.add(
        tx,
        row.tracking_id,
        now,
        row.status,
        *timeline_words.feedback(satisfied),
        kind="feedback",
        actor="reporter",
        note=note,
    )
    tx.session.execute(
        update(reports).where(reports.c.tracking_id == row.tracking_id).values(updated_at=now)
    )
    tx.emit(
        "feedback_given",
        row.tracking_id,
        {
            "tracking_id": row.tracking_id,
            "satisfied": satisfied,
            "note": note if row.privacy != privacy.CONFIDENTIAL else None,
            "agency_code": row.agency_code,
            "language": row.language,
            "given_at": now,
        },
    )
    return lifecycle.next_status(row.status, action)


def _answered_already(tx, tracking_id: str) -> bool:
    """The reporter gave feedback after the agency's latest follow-up (routing has not
    answered yet): one answer per final follow-up."""
    last = (
        select(timeline.c.kind)
        .where(timeline.c.tracking_id == tracking_id, timeline.c.kind.in_(("followup", "feedback")))
        .order_by(timeline.c.id.desc())
        .limit(1)
    )
    return tx.session.execute(last).scalar() == "feedback"


def withdraw(tx, row, reason: str | None, now: datetime) -> None:
    changed = tx.session.execute(
        update(reports)
        .where(reports.c.tracking_id == row.tracking_id, reports.c.status.in_(WITHDRAWABLE))
        .values(
            status="archived",
            archived_reason="withdrawn",
            missing=None,
            deadline_at=None,
            updated_at=now,
        )
    ).rowcount
    if not changed:
        raise WrongState(
            "Laporan ini tidak dapat dicabut lagi / This report can no longer be withdrawn"
        )
    duplicates.forget(tx.session, row.tracking_id)
    history.add(
        tx,
        row.tracking_id,
        now,
        "archived",
        *timeline_words.WITHDRAWN,
        kind="status",
        actor="reporter",
        note=reason,
    )
    tx.emit(
        "report_withdrawn",
        row.tracking_id,
        {
            "tracking_id": row.tracking_id,
            "previous_status": row.status,
            "agency_code": row.agency_code,
            "language": row.language,
            "withdrawn_at": now,
        },
    )
