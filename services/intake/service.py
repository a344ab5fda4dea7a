"""Intake: the citizen's door. Validates and stores reports, and tells the others."""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from services.intake.models import metadata, reports, timeline
from services.intake.schemas import NewReportSchema
from shared import lifecycle
from shared.db import Database, utcnow
from shared.messaging import handles
from shared.ops import Operations
from shared.tracking import new_tracking_id, normalise
from shared.web import InvalidInput, NotFound, http, load, read_json


class Intake(Operations):
    name = "intake"

    db = Database(metadata)

    @http("POST", "/reports")
    def submit(self, request):
        """POST /reports {"classification": "complaint", "category_id": "pendidikan.sma",
        "title": "…", "body": "…", "location": {"region_code": "73.11"}, "privacy": "public"}
        → 201 {"tracking_id": "LPR-…", "status": {...}}. A repeated Idempotency-Key → 200, same report.
        """
        key = request.headers.get("Idempotency-Key")
        if key is not None and not 1 <= len(key) <= 128:
            raise InvalidInput(
                errors=[
                    {"field": "Idempotency-Key", "message": "1–128 karakter / 1–128 characters"}
                ]
            )
        data = load(NewReportSchema(), read_json(request))
        if key and (first := self._by_idempotency_key(key)):
            return 200, {"tracking_id": first, "status": self._status_of(first)}
        try:
            tracking_id = self._store(data, key)
        except IntegrityError:  # a retry with the same key raced us
            first = self._by_idempotency_key(key) if key else None
            if first is None:
                raise
            return 200, {"tracking_id": first, "status": self._status_of(first)}
        return (
            201,
            {"Location": f"/reports/{tracking_id}"},
            {"tracking_id": tracking_id, "status": lifecycle.describe("awaiting_verification")},
        )

    def _store(self, data: dict, key: str | None) -> str:
        tracking_id, now = new_tracking_id(), utcnow()
        location, reporter = data["location"], data["reporter"]
        with self.db.transaction() as tx:
            tx.session.execute(
                insert(reports).values(
                    tracking_id=tracking_id,
                    idempotency_key=key,
                    classification=data["classification"],
                    category_id=data["category_id"],
                    title=data["title"],
                    body=data["body"],
                    event_date=data["event_date"],
                    region_code=location["region_code"],
                    address=location["address"],
                    latitude=location["latitude"],
                    longitude=location["longitude"],
                    target_agency_code=data["target_agency_code"],
                    privacy=data["privacy"],
                    channel=data["channel"],
                    language=data["language"],
                    reporter_name=reporter.get("name"),
                    reporter_phone=reporter.get("phone"),
                    reporter_email=reporter.get("email"),
                    status="awaiting_verification",
                    submitted_at=now,
                    updated_at=now,
                )
            )
            _timeline(
                tx,
                tracking_id,
                now,
                "awaiting_verification",
                "Laporan diterima dan menunggu disposisi.",
                "Report received and awaiting dispatch.",
            )
            tx.emit(
                "report_submitted",
                tracking_id,
                {
                    "tracking_id": tracking_id,
                    "classification": data["classification"],
                    "category_id": data["category_id"],
                    "region_code": location["region_code"],
                    "target_agency_code": data["target_agency_code"],
                    "privacy": data["privacy"],
                    "channel": data["channel"],
                    "language": data["language"],
                    "title": data["title"] if data["privacy"] != "confidential" else None,
                    "submitted_at": now,
                },
            )
        return tracking_id

    def _by_idempotency_key(self, key: str) -> str | None:
        with self.db.read() as session:
            return session.execute(
                select(reports.c.tracking_id).where(reports.c.idempotency_key == key)
            ).scalar()

    def _status_of(self, tracking_id: str) -> dict:
        with self.db.read() as session:
            status = session.execute(
                select(reports.c.status).where(reports.c.tracking_id == tracking_id)
            ).scalar_one()
        return lifecycle.describe(status)

    @http("GET", "/reports/<string:tracking_id>")
    def track(self, request, tracking_id):
        """GET /reports/LPR-7K3M-9Q2X-H4TB → status, colour, the agency holding it, the timeline."""
        canonical = normalise(tracking_id)
        with self.db.read() as session:
            report = (
                canonical
                and session.execute(
                    select(reports).where(reports.c.tracking_id == canonical)
                ).first()
            )
            if not report:
                raise NotFound("Nomor pelacakan tidak ditemukan / Tracking id not found")
            lines = session.execute(
                select(timeline).where(timeline.c.tracking_id == canonical).order_by(timeline.c.id)
            ).all()
        return {
            "tracking_id": report.tracking_id,
            "classification": report.classification,
            "category_id": report.category_id,
            "title": report.title,
            "privacy": report.privacy,
            "status": lifecycle.describe(report.status),
            "agency": {"code": report.agency_code, "name": report.agency_name}
            if report.agency_code
            else None,
            "submitted_at": report.submitted_at,
            "timeline": [
                {
                    "at": line.at,
                    "status": line.status,
                    "text": {"id": line.text_id, "en": line.text_en},
                }
                for line in lines
            ],
        }

    @handles("report_routed")
    def on_report_routed(self, tx, event):
        """{"tracking_id": "LPR-…", "agency_code": "PROV-73-DISDIK", "agency_name": "…", …}"""
        routed = event.body
        now = utcnow()
        changed = tx.session.execute(
            update(reports)
            .where(
                reports.c.tracking_id == routed["tracking_id"],
                reports.c.status.in_(("returned", "awaiting_verification")),
            )
            .values(
                status="dispatched",
                agency_code=routed["agency_code"],
                agency_name=routed["agency_name"],
                updated_at=now,
            )
        ).rowcount
        if changed:
            name = routed["agency_name"]
            _timeline(
                tx,
                routed["tracking_id"],
                now,
                "dispatched",
                f"Laporan diteruskan ke {name}.",
                f"Report dispatched to {name}.",
            )


def _timeline(tx, tracking_id, at, status, text_id, text_en) -> None:
    tx.session.execute(
        insert(timeline).values(
            tracking_id=tracking_id, at=at, status=status, text_id=text_id, text_en=text_en
        )
    )
