"""Routing's decisions as intake mirrors them on the reporter's record (SPEC §4): after
submission routing decides every status; intake applies what its events say — dispatched,
queued for a coordinator, followed up, completed, reopened, closed — and puts each on the
timeline. Every routing event carries the disposition's ``version``: an event applies unless
intake has mirrored that version or a later one, so any order and any repeat of routing's
events ends in routing's state; a closed report never reopens (shared.lifecycle)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, or_, select, update

from services.intake import history, timeline_words
from services.intake.models import reports, timeline
from shared import lifecycle

# built once, for events that carry routing's version (every current producer's): SET takes
# the columns the parameters name
_THIS_REPORT = reports.c.tracking_id == bindparam("_tid")
_MIRROR = update(reports).where(
    _THIS_REPORT,
    reports.c.status.in_(lifecycle.OPEN),
    or_(reports.c.routing_version.is_(None), reports.c.routing_version < bindparam("_version")),
)
_MIRROR_FIELDS = update(reports).where(
    _THIS_REPORT,
    or_(reports.c.fields_version.is_(None), reports.c.fields_version <= bindparam("_version")),
)


def mirror(tx, body: dict, values: dict, *legacy, now: datetime) -> bool:
    """Apply what routing decided to intake's copy (after submission routing decides every
    status). An event carrying routing's ``version`` applies unless intake has mirrored that
    version or a later one, so routing's events end in routing's state whatever order and
    however often they arrive; one without it (an older producer) applies only where the
    ``legacy`` conditions hold. A closed report never reopens (shared.lifecycle)."""
    version = body.get("version")
    if version is not None:
        changed = tx.session.execute(
            _MIRROR,
            {
                **values,
                "routing_version": version,
                "updated_at": now,
                "_tid": body["tracking_id"],
                "_version": version,
            },
        ).rowcount
        return bool(changed)
    where = [reports.c.tracking_id == body["tracking_id"], reports.c.status.in_(lifecycle.OPEN)]
    changed = tx.session.execute(
        update(reports).where(*where, *legacy).values(**values, updated_at=now)
    ).rowcount
    return bool(changed)


def mirror_fields(tx, tracking_id: str, version: int | None, values: dict, now) -> bool:
    """What the report is about (category, region, classification, privacy) as routing's
    event of ``version`` says, unless a later routing event said otherwise."""
    if not values:
        return False
    if version is not None:
        changed = tx.session.execute(
            _MIRROR_FIELDS,
            {
                **values,
                "fields_version": version,
                "updated_at": now,
                "_tid": tracking_id,
                "_version": version,
            },
        ).rowcount
        return bool(changed)
    changed = tx.session.execute(
        update(reports).where(reports.c.tracking_id == tracking_id).values(**values, updated_at=now)
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
            *timeline_words.dispatched(name),
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
        texts = timeline_words.followed_up(name, body["final"])
        history.add(
            tx,
            body["tracking_id"],
            now,
            body["status"],
            *texts,
            kind="followup",
            actor="agency",
            note=body["text"],
            files=[
                {key: file[key] for key in ("id", "name", "media_type", "size")}
                for file in body.get("attachments") or ()
            ],
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
