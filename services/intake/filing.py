"""The one way a report is filed and supplemented, whatever the channel: each function runs
inside the caller's transaction (``tx``), writes the report and its timeline, and emits the
events that say what happened. No identity ever goes into an event.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from marshmallow import ValidationError
from sqlalchemy import delete, insert, update

from services.intake import completeness, duplicates, history, records, timeline_words
from services.intake.models import attachments, reports
from services.intake.problems import WrongState
from services.intake.report_keys import key_digest, report_key_for
from services.intake.schemas import MAX_BODY, today
from shared import categories, privacy
from shared.calendar import WorkingCalendar, zone_of
from shared.tracking import new_tracking_id


@dataclass(frozen=True)
class Settings:
    calendar: WorkingCalendar
    returned_days: int = 10


@dataclass
class Filed:
    tracking_id: str
    status: str
    missing: list
    deadline_at: datetime | None = None
    report_key: str | None = None
    row: SimpleNamespace | None = None  # the report as written: answered from without a re-read


def file_report(
    tx,
    draft: dict,
    identity: dict,
    settings: Settings,
    now: datetime,
    *,
    idempotency_key: str | None = None,
    request_digest: str | None = None,
    report_key_secret: str | None = None,
) -> Filed:
    """Store a validated draft (schemas.ReportDraft) as a new report: complete ones wait for
    verification and go to routing, incomplete ones are returned with the missing items.

    ``identity``: reporter_id, reporter_name/phone/email/handle/social_id, integrator,
    open311_token — whichever the channel knows. ``idempotency_key``: the stored form
    (services.intake.idempotency.scoped), with the digest of the payload it came with.
    ``report_key_secret``: give the reporter a report key (services.intake.report_keys) to prove it later.
    """
    tracking_id = new_tracking_id()
    location = draft["location"]
    facts = {
        "classification": draft["classification"],
        "category_id": draft["category_id"],
        "body": draft["body"],
        "region_code": location["region_code"],
        "event_date": draft["event_date"],
        "parties": draft["parties"],
        "target_agency_code": draft["target_agency_code"],
    }
    missing = completeness.missing(facts, today())
    status = "returned" if missing else "awaiting_verification"
    deadline = _deadline(settings, now, location["region_code"]) if missing else None
    report_key = report_key_for(report_key_secret, tracking_id) if report_key_secret else None
    values = {
        "tracking_id": tracking_id,
        "idempotency_key": idempotency_key,
        "request_digest": request_digest,
        "classification": draft["classification"],
        "category_id": draft["category_id"],
        "title": draft["title"],
        "body": draft["body"],
        "event_date": draft["event_date"],
        "region_code": location["region_code"],
        "address": location["address"],
        "latitude": location["latitude"],
        "longitude": location["longitude"],
        "parties": draft["parties"] or None,
        "target_agency_code": draft["target_agency_code"],
        "privacy": draft["privacy"],
        "channel": draft["channel"],
        "language": draft["language"],
        "reporter_id": identity.get("reporter_id"),
        "reporter_name": identity.get("reporter_name"),
        "reporter_phone": identity.get("reporter_phone"),
        "reporter_email": identity.get("reporter_email"),
        "reporter_handle": identity.get("reporter_handle"),
        "reporter_social_id": identity.get("reporter_social_id"),
        "on_behalf_of": draft.get("on_behalf_of"),
        "report_key_hash": key_digest(report_key) if report_key else None,
        "integrator": identity.get("integrator"),
        "open311_token": identity.get("open311_token"),
        "status": status,
        "missing": missing or None,
        "deadline_at": deadline,
        "archived_reason": None,
        "unsatisfied_rounds": 0,
        "agency_code": None,
        "agency_name": None,
        "submitted_at": now,
        "updated_at": now,
    }
    tx.session.execute(insert(reports), values)  # one cached statement, values as parameters
    _claim_attachments(tx, tracking_id, draft["attachments"])
    row = SimpleNamespace(**values)
    if missing:
        history.add(tx, tracking_id, now, "returned", *_returned_text(missing))
        emit_returned(tx, row, missing, now)
    else:
        history.add(
            tx,
            tracking_id,
            now,
            "awaiting_verification",
            *timeline_words.RECEIVED,
        )
        _emit_submitted(tx, row, now)
    return Filed(tracking_id, status, missing, deadline, report_key, row)


def supplement(tx, row, changes: dict, settings: Settings, now: datetime) -> Filed:
    """Add to a returned report; re-check it; a complete one goes on to routing."""
    if row.status != "returned":
        raise WrongState(
            "Hanya laporan yang dikembalikan yang dapat dilengkapi / "
            "Only a returned report can be supplemented"
        )
    updated = {}
    if "body_addition" in changes:
        body = f"{row.body}\n\n{changes['body_addition']}"
        if len(body) > MAX_BODY:
            raise ValidationError(
                {
                    "body_addition": [
                        f"Uraian melebihi {MAX_BODY} karakter / Body over {MAX_BODY} characters"
                    ]
                }
            )
        updated["body"] = body
    for key in ("category_id", "title", "event_date", "target_agency_code"):
        if key in changes:
            updated[key] = changes[key]
    if "parties" in changes:
        updated["parties"] = changes["parties"] or None
    for key in ("region_code", "address", "latitude", "longitude"):
        if key in changes.get("location", {}):
            updated[key] = changes["location"][key]
    merged = {**row._asdict(), **updated}
    missing = completeness.missing(merged, today())
    status = "returned" if missing else "awaiting_verification"
    updated.update(
        status=status,
        missing=missing or None,
        deadline_at=row.deadline_at if missing else None,
        updated_at=now,
    )
    changed = tx.session.execute(
        update(reports)
        .where(reports.c.tracking_id == row.tracking_id, reports.c.status == "returned")
        .values(**updated)
    ).rowcount
    if not changed:
        raise WrongState("Laporan sudah berubah / The report changed meanwhile")
    _claim_attachments(tx, row.tracking_id, changes.get("attachments", []))
    after = SimpleNamespace(**{**merged, **updated})
    if missing:
        text_id, text_en = _returned_text(missing)
        history.add(
            tx,
            row.tracking_id,
            now,
            "returned",
            "Pelapor melengkapi laporan. " + text_id,
            "The reporter supplemented the report. " + text_en,
            kind="supplement",
            actor="reporter",
        )
    else:
        history.add(
            tx,
            row.tracking_id,
            now,
            "awaiting_verification",
            "Pelapor melengkapi laporan; laporan lengkap dan menunggu disposisi.",
            "The reporter supplemented the report; it is complete and awaits dispatch.",
            kind="supplement",
            actor="reporter",
        )
    tx.emit(
        "report_supplemented",
        row.tracking_id,
        {
            "tracking_id": row.tracking_id,
            "complete": not missing,
            "missing": missing,
            "channel": row.channel,
            "language": row.language,
            "supplemented_at": now,
        },
    )
    if not missing:
        _emit_submitted(tx, after, now)
    return Filed(row.tracking_id, status, missing, after.deadline_at)


def new_attachment_id() -> str:
    return uuid.uuid4().hex


def forget_unclaimed(tx, before: datetime) -> int:
    """Uploads no report named within shared.blob_sweep's grace are forgotten (their files go
    with the next sweep); how many."""
    return tx.session.execute(
        delete(attachments).where(
            attachments.c.tracking_id.is_(None), attachments.c.uploaded_at < before
        )
    ).rowcount


def _claim_attachments(tx, tracking_id: str, ids: list[str]) -> None:
    if not ids:
        return
    claimed = tx.session.execute(
        update(attachments)
        .where(attachments.c.id.in_(ids), attachments.c.tracking_id.is_(None))
        .values(tracking_id=tracking_id)
    ).rowcount
    if claimed != len(set(ids)):
        raise ValidationError(
            {
                "attachments": [
                    "Lampiran tidak ditemukan atau sudah dipakai / Attachment unknown or already used"
                ]
            }
        )


def _deadline(settings: Settings, now: datetime, region_code: str | None) -> datetime:
    return settings.calendar.add_working_days(now, settings.returned_days, zone_of(region_code))


def _returned_text(missing: list[str]) -> tuple[str, str]:
    items_id = "; ".join(completeness.ITEMS[item]["id"] for item in missing)
    items_en = "; ".join(completeness.ITEMS[item]["en"] for item in missing)
    return (
        f"Laporan dikembalikan untuk dilengkapi: {items_id}.",
        f"Report returned for completion: {items_en}.",
    )


def _emit_submitted(tx, row, now: datetime) -> None:
    rec = records.record(row)
    # a fact for everyone who listens; the title only where the public may read it
    public = privacy.view(rec, privacy.THE_PUBLIC, privacy.EVENT) or {}
    category_id = completeness.routing_category(rec)
    duplicates.remember(
        tx.session, row.tracking_id, row.title, row.body, row.region_code, category_id, now
    )
    tx.emit(
        "report_submitted",
        row.tracking_id,
        {
            "tracking_id": row.tracking_id,
            "classification": row.classification,
            "category_id": category_id,
            "region_code": row.region_code or "",
            "target_agency_code": row.target_agency_code,
            "privacy": row.privacy,
            "channel": row.channel,
            "language": row.language,
            "title": public.get("title"),
            "submitted_at": now,
            "supervision": categories.is_supervision(category_id),
        },
    )


def emit_returned(
    tx, row, missing: list[str], now: datetime, deadline=None, note: str | None = None
) -> None:
    """report_returned: what the reporter must complete, by when (the row's deadline unless
    given), and a coordinator's note when one postponed it."""
    body = {
        "tracking_id": row.tracking_id,
        "classification": row.classification,
        "category_id": row.category_id,
        "region_code": row.region_code,
        "privacy": row.privacy,
        "channel": row.channel,
        "language": row.language,
        "missing": missing,
        "deadline_at": deadline or row.deadline_at,
        "returned_at": now,
    }
    if note is not None:
        body["note"] = note
    tx.emit("report_returned", row.tracking_id, body)
