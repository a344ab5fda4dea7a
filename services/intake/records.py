"""A stored report as the record shared.privacy filters: facts, content and identity, by name.

Every output of intake starts here and goes through ``privacy.view``; nothing reads a report
row straight into a response.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake import completeness
from services.intake.models import attachments, reporters, reports, timeline
from services.intake.open311.georeport import PUBLIC_STATUSES
from shared import categories, lifecycle, privacy
from shared.regions import load_regions


def public(status: str, level: str | None) -> bool:
    """Whether the public may know of a report at all: dispatched or later, not confidential
    (SPEC §3). Anything else answers as an unknown tracking id wherever the public asks."""
    return status in PUBLIC_STATUSES and level in (privacy.PUBLIC, privacy.ANONYMOUS)


def record(row, lines=(), files=(), account=None) -> dict:
    """The privacy record of a report row, its timeline lines, attachment rows and account."""
    status = lifecycle.STATUSES[row.status]
    category = categories.get(row.category_id) if row.category_id else None
    region = load_regions().get(row.region_code) if row.region_code else None
    missing = list(row.missing or [])
    on_behalf = row.on_behalf_of or None
    reporter_name = account.full_name if account else row.reporter_name
    return {
        # facts
        "tracking_id": row.tracking_id,
        "status": row.status,
        "status_label": {"id": status.label_id, "en": status.label_en},
        "colour": status.colour,
        "classification": row.classification,
        "category_id": row.category_id,
        "category_name": {"id": category.name_id, "en": category.name_en} if category else None,
        "region_code": row.region_code,
        "region_name": region.display_name if region else None,
        "channel": row.channel,
        "privacy": row.privacy,
        "language": row.language,
        "agency_code": row.agency_code,
        "agency_name": row.agency_name,
        "submitted_at": utc(row.submitted_at),
        "updated_at": utc(row.updated_at),
        "archived_reason": row.archived_reason,
        "deadline_at": utc(row.deadline_at) if row.status == "returned" else None,
        "missing_items": missing,
        # content
        "title": row.title,
        "body": row.body,
        "event_date": row.event_date,
        "address": row.address,
        "latitude": row.latitude,
        "longitude": row.longitude,
        "parties": list(row.parties or []),
        "target_agency_code": row.target_agency_code,
        "attachments": [
            {
                "id": f.id,
                "name": f.name,
                "media_type": f.media_type,
                "size": f.size,
                "sha256": f.sha256,
            }
            for f in files
        ],
        "timeline": [timeline_line(row.tracking_id, line) for line in lines],
        "missing": completeness.describe(missing, row.language),
        # identity
        "display_name": (account.display_name if account else privacy.display_name(reporter_name)),
        "reporter_name": reporter_name,
        "reporter_phone": account.phone if account else row.reporter_phone,
        "reporter_email": account.email if account else row.reporter_email,
        "reporter_handle": row.reporter_handle,
        "reporter_nik": account.nik if account else None,
        "reporter_account_id": row.reporter_id,
        "reporter_social_id": row.reporter_social_id,
        "on_behalf_of_name": on_behalf.get("name") if on_behalf else None,
        "on_behalf_of": on_behalf,
    }


def timeline_line(tracking_id: str, line) -> dict:
    """One line of the timeline; an agency's follow-up names the files attached to it, which
    routing serves to the reporter (``href`` on routing, with the reporter's proof)."""
    shown = {
        "at": utc(line.at),
        "status": line.status,
        "kind": line.kind or "status",
        "actor": line.actor or "system",
        "text": {"id": line.text_id, "en": line.text_en},
        "note": line.note,
    }
    if line.files:
        shown["attachments"] = [
            {**file, "href": f"/dispositions/{tracking_id}/attachments/{file['id']}"}
            for file in line.files
        ]
    return shown


def utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes: they are UTC, say so."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def load(session: Session, tracking_id: str | None, with_details: bool = True) -> dict | None:
    """The record of one report, or None."""
    if not tracking_id:
        return None
    row = session.execute(select(reports).where(reports.c.tracking_id == tracking_id)).first()
    if row is None:
        return None
    lines = files = ()
    if with_details:
        lines = session.execute(
            select(timeline).where(timeline.c.tracking_id == tracking_id).order_by(timeline.c.id)
        ).all()
        files = session.execute(
            select(attachments)
            .where(attachments.c.tracking_id == tracking_id)
            .order_by(attachments.c.uploaded_at, attachments.c.id)
        ).all()
    account = None
    if row.reporter_id:
        account = session.execute(
            select(reporters).where(reporters.c.id == row.reporter_id)
        ).first()
    return record(row, lines, files, account)


def rows_to_records(session: Session, rows) -> list[dict]:
    """Records for listing rows (no timeline or attachments), with their accounts."""
    ids = {row.reporter_id for row in rows if row.reporter_id}
    accounts = {}
    if ids:
        accounts = {
            account.id: account
            for account in session.execute(select(reporters).where(reporters.c.id.in_(ids)))
        }
    return [record(row, account=accounts.get(row.reporter_id)) for row in rows]
