"""What a coordinator decided at routing's desk, as intake mirrors it on the reporter's record
(SPEC §4): archived (a duplicate points its reporter to the original), postponed (returned with
the coordinator's note as what is missing, the completion clock started), corrected. Routing
decides; each function applies the move only where the one table (shared.lifecycle) allows it
from the status intake has, so a repeated or late event changes nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from services.intake import duplicates, filing, history
from services.intake.mirroring import mirror, mirror_fields
from services.intake.models import reports
from shared import lifecycle
from shared.calendar import zone_of

ARCHIVE_TEXTS = {
    "duplicate": ("sama dengan laporan lain", "it repeats another report"),
    "spam": ("spam", "spam"),
    "not_public_service": ("bukan tentang pelayanan publik", "not about a public service"),
    "withdrawn": ("dicabut", "withdrawn"),
}


def archived(tx, body: dict, now: datetime) -> bool:
    """A coordinator archived the report (routing decided): mirrored, on the timeline, and
    told to the reporter (report_archived). A duplicate points its reporter to the original."""
    row = _row(tx, body["tracking_id"])
    if row is None:
        return False
    values = {"status": "archived", "archived_reason": body["reason"]}
    values.update(missing=None, deadline_at=None)
    legacy = reports.c.status.in_(lifecycle.sources("archive"))
    if not mirror(tx, body, values, legacy, now=now):
        return False
    duplicates.forget(tx.session, row.tracking_id)
    why_id, why_en = ARCHIVE_TEXTS.get(body["reason"], (body["reason"], body["reason"]))
    text_id, text_en = f"Laporan diarsipkan: {why_id}.", f"The report was archived: {why_en}."
    original = body.get("duplicate_of")
    if original:
        text_id = (
            f"Laporan ini sama dengan laporan {original} dan diarsipkan; "
            f"ikuti perkembangannya di laporan {original}."
        )
        text_en = (
            f"This report repeats report {original} and was archived; "
            f"follow report {original} for what happens next."
        )
    history.add(
        tx, row.tracking_id, now, "archived", text_id, text_en, actor="coordinator",
        note=body.get("note"),
    )  # fmt: skip
    tx.emit(
        "report_archived",
        row.tracking_id,
        {
            "tracking_id": row.tracking_id,
            "reason": body["reason"],
            "duplicate_of": original,
            "previous_status": row.status,
            "language": row.language,
            "archived_at": now,
        },
    )
    return True


def postponed(tx, body: dict, settings, now: datetime) -> bool:
    """A coordinator postponed the report: back to the reporter with the coordinator's note as
    what is missing; the completion clock (SPEC §5, the archive sweep) starts now."""
    row = _row(tx, body["tracking_id"])
    if row is None:
        return False
    deadline = settings.calendar.add_working_days(
        now, settings.returned_days, zone_of(row.region_code)
    )
    missing = ["coordinator_note"]
    values = {"status": "returned", "missing": missing, "deadline_at": deadline}
    legacy = reports.c.status.in_(lifecycle.sources("postpone"))
    if not mirror(tx, body, values, legacy, now=now):
        return False
    history.add(
        tx,
        row.tracking_id,
        now,
        "returned",
        "Verifikator mengembalikan laporan untuk dilengkapi.",
        "The coordinator returned the report for completion.",
        actor="coordinator",
        note=body["note"],
    )
    filing.emit_returned(tx, row, missing, now, deadline=deadline, note=body["note"])
    return True


CORRECTED_NAMES = {
    "category_id": ("kategori", "category"),
    "region_code": ("lokasi", "location"),
    "classification": ("jenis laporan", "classification"),
    "privacy": ("tingkat kerahasiaan", "privacy"),
}


def corrected(tx, body: dict, now: datetime) -> bool:
    """Staff corrected what the report is about: intake's copy follows, and the timeline says
    what changed (a repeated event finds nothing left to change)."""
    row = _row(tx, body["tracking_id"])
    after = {k: v for k, v in body["after"].items() if k in CORRECTED_NAMES}
    if row is None or all(getattr(row, key) == value for key, value in after.items()):
        return False
    if not mirror_fields(tx, row.tracking_id, body.get("version"), after, now):
        return False  # a later routing event said what the report is about
    after = {key: value for key, value in after.items() if getattr(row, key) != value}
    if {"category_id", "region_code"} & after.keys():
        duplicates.moved(tx.session, row.tracking_id, after)
    names_id = ", ".join(CORRECTED_NAMES[key][0] for key in after)
    names_en = ", ".join(CORRECTED_NAMES[key][1] for key in after)
    history.add(
        tx,
        row.tracking_id,
        now,
        row.status,
        f"Petugas mengoreksi {names_id} laporan.",
        f"Staff corrected the report's {names_en}.",
        actor="coordinator",
    )
    return True


def _row(tx, tracking_id: str):
    return tx.session.execute(select(reports).where(reports.c.tracking_id == tracking_id)).first()
