"""The rest of a report's life as intake sees it: the reporter's comments, feedback and
withdrawal, the dispatch routing announces, and archiving returned reports past their deadline.
Each function runs inside the caller's transaction and emits what happened."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import or_, select, update

from services.intake import history, records
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
    if satisfied:
        texts = ("Pelapor menyatakan puas.", "The reporter is satisfied.")
    else:
        texts = ("Pelapor menyatakan belum puas.", "The reporter is not satisfied.")
    history.add(
        tx, row.tracking_id, now, row.status, *texts, kind="feedback", actor="reporter", note=note
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
    history.add(
        tx,
        row.tracking_id,
        now,
        "archived",
        "Laporan dicabut oleh pelapor.",
        "The reporter withdrew the report.",
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


def overdue(session, now: datetime, limit: int = 200) -> list[str]:
    """Returned reports past their deadline, oldest deadline first."""
    return list(
        session.execute(
            select(reports.c.tracking_id)
            .where(reports.c.status == "returned", reports.c.deadline_at < now)
            .order_by(reports.c.deadline_at, reports.c.tracking_id)
            .limit(limit)
        ).scalars()
    )


def archive_if_overdue(tx, tracking_id: str, now: datetime) -> bool:
    """Archive one returned report as incomplete if it is still returned and past its deadline.

    The update is conditional, so when several copies of intake sweep at once, one of them
    changes the row and emits the event; the others change nothing.
    """
    row = tx.session.execute(
        select(reports.c.language).where(reports.c.tracking_id == tracking_id)
    ).first()
    changed = tx.session.execute(
        update(reports)
        .where(
            reports.c.tracking_id == tracking_id,
            reports.c.status == "returned",
            reports.c.deadline_at < now,
        )
        .values(status="archived", archived_reason="incomplete", updated_at=now)
    ).rowcount
    if not changed:
        return False
    history.add(
        tx,
        tracking_id,
        now,
        "archived",
        "Laporan diarsipkan karena tidak dilengkapi sampai batas waktu.",
        "The report was archived: it was not completed by the deadline.",
    )
    tx.emit(
        "report_archived",
        tracking_id,
        {
            "tracking_id": tracking_id,
            "reason": "incomplete",
            "previous_status": "returned",
            "language": row.language if row else "id",
            "archived_at": now,
        },
    )
    return True


def mirror(tx, body: dict, values: dict, *legacy, now: datetime) -> bool:
    """Apply what routing decided to intake's copy (after submission routing decides every
    status). An event carrying routing's ``version`` applies unless intake has mirrored that
    version or a later one, so routing's events end in routing's state whatever order and
    however often they arrive; one without it (an older producer) applies only where the
    ``legacy`` conditions hold. A closed report never reopens (shared.lifecycle)."""
    where = [reports.c.tracking_id == body["tracking_id"], reports.c.status.in_(lifecycle.OPEN)]
    version = body.get("version")
    if version is None:
        where.extend(legacy)
    else:
        where.append(or_(reports.c.routing_version.is_(None), reports.c.routing_version < version))
        values = {**values, "routing_version": version}
    changed = tx.session.execute(
        update(reports).where(*where).values(**values, updated_at=now)
    ).rowcount
    return bool(changed)


def mirror_fields(tx, tracking_id: str, version: int | None, values: dict, now) -> bool:
    """What the report is about (category, region, classification, privacy) as routing's
    event of ``version`` says, unless a later routing event said otherwise."""
    if not values:
        return False
    where = [reports.c.tracking_id == tracking_id]
    if version is not None:
        where.append(or_(reports.c.fields_version.is_(None), reports.c.fields_version <= version))
        values = {**values, "fields_version": version}
    changed = tx.session.execute(
        update(reports).where(*where).values(**values, updated_at=now)
    ).rowcount
    return bool(changed)


def mark_routed(tx, routed: dict, now: datetime) -> bool:
    """Dispatched to an agency — or re-dispatched to another after a decline. Routing's own
    events (with its version) also carry what the report is about now (corrections)."""
    values = {
        "status": "dispatched",
        "agency_code": routed["agency_code"],
        "agency_name": routed["agency_name"],
    }
    if routed.get("version") is not None:
        about = {key: routed[key] for key in ("category_id", "region_code") if routed.get(key)}
        mirror_fields(tx, routed["tracking_id"], routed["version"], about, now)
    changed = mirror(
        tx,
        routed,
        values,
        or_(reports.c.agency_code.is_(None), reports.c.agency_code != routed["agency_code"]),
        now=now,
    )
    if changed:
        name = routed["agency_name"]
        history.add(
            tx,
            routed["tracking_id"],
            now,
            "dispatched",
            f"Laporan diteruskan ke {name}.",
            f"Report dispatched to {name}.",
        )
    return changed


AFTER_DISPATCH = lifecycle.HELD


def queued_for_manual_dispatch(tx, body: dict, now: datetime) -> bool:
    """Rules could not settle it: a coordinator holds it until dispatching it by hand."""
    changed = mirror(
        tx,
        body,
        {
            "status": "awaiting_verification",
            "agency_code": body["coordinator_code"],
            "agency_name": body["coordinator_name"],
        },
        reports.c.status.in_(("awaiting_verification", *AFTER_DISPATCH)),
        now=now,
    )
    if changed:
        name = body["coordinator_name"]
        history.add(
            tx,
            body["tracking_id"],
            now,
            "awaiting_verification",
            f"Laporan menunggu disposisi oleh {name}.",
            f"Report waits for {name} to dispatch it.",
        )
    return changed


def noted(tx, tracking_id: str, status_now: str, text_id: str, text_en: str, now: datetime):
    """A timeline line that changes no status (a decline, an escalation)."""
    history.add(tx, tracking_id, now, status_now, text_id, text_en)


def followup_posted(tx, body: dict, now: datetime) -> bool:
    """The holding agency's follow-up goes on the reporter's timeline (even when it arrives
    after a later change); a final one asks the reporter for feedback."""
    changed = mirror(
        tx,
        body,
        {
            "status": body["status"],
            "agency_code": body["agency_code"],
            "agency_name": body["agency_name"],
        },
        reports.c.status.in_(AFTER_DISPATCH),
        now=now,
    )
    late = body.get("version") is not None and not changed
    if late and _has_followup(tx, body):
        return False
    if changed or late:
        name = body["agency_name"]
        if body["final"]:
            texts = (
                f"{name} memberi tindak lanjut akhir. Mohon beri tanggapan: puas atau tidak puas.",
                f"{name} posted its final follow-up. Please say whether you are satisfied.",
            )
        else:
            texts = (f"{name} menindaklanjuti laporan.", f"{name} followed up on the report.")
        history.add(
            tx,
            body["tracking_id"],
            now,
            body["status"],
            *texts,
            kind="followup",
            actor="agency",
            note=body["text"],
        )
    return changed


def _has_followup(tx, body: dict) -> bool:
    return (
        tx.session.execute(
            select(timeline.c.id)
            .where(
                timeline.c.tracking_id == body["tracking_id"],
                timeline.c.kind == "followup",
                timeline.c.note == body["text"],
                timeline.c.status == body["status"],
            )
            .limit(1)
        ).first()
        is not None
    )


STATUS_TEXTS = {
    "satisfied": ("Pelapor puas; laporan selesai.", "The reporter is satisfied; completed."),
    "feedback_timeout": (
        "Laporan selesai: tidak ada tanggapan pelapor dalam batas waktu.",
        "Completed: the reporter gave no feedback before the deadline.",
    ),
    "not_satisfied": (
        "Laporan kembali diproses instansi.",
        "The agency works on the report again.",
    ),
    "withdrawn": ("Laporan dicabut.", "The report was withdrawn."),
    "archived": ("Laporan diarsipkan.", "The report was archived."),
}


def status_changed(tx, body: dict, now: datetime) -> bool:
    """A transition routing decided (completed, reopened, closed); without routing's version,
    applied only from the status the event says it left."""
    values = {"status": body["status"]}
    if body["status"] == "archived":
        values["archived_reason"] = "withdrawn" if body["reason"] == "withdrawn" else None
    changed = mirror(tx, body, values, reports.c.status == body["previous_status"], now=now)
    if changed:
        history.add(tx, body["tracking_id"], now, body["status"], *STATUS_TEXTS[body["reason"]])
    return changed
