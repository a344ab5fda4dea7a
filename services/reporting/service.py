"""Reporting: every event into a journal and a read model; counts per agency and status."""

from __future__ import annotations

from sqlalchemy import insert

from services.reporting import projection
from services.reporting.models import journal, metadata
from shared import metrics
from shared.db import Database, utcnow
from shared.messaging import handles
from shared.ops import Operations
from shared.web import http


class Reporting(Operations):
    name = "reporting"

    db = Database(metadata)

    def _record(self, tx, event) -> None:
        tx.session.execute(
            insert(journal).values(
                event_id=event.event_id,
                event_type=event.event_type,
                aggregate_id=event.aggregate_id,
                occurred_at=event.occurred_at,
                body=event.wire["body"],  # JSON-ready
                applied_at=utcnow(),
            )
        )
        projection.apply(tx.session, event.event_type, event.body)
        body = event.body
        metrics.REPORTS.labels(
            event.event_type, body.get("channel") or "unknown", body["privacy"]
        ).inc()

    @handles("report_submitted")
    def on_report_submitted(self, tx, event):
        """{"tracking_id": "LPR-…", "category_id": "…", "region_code": "…", "privacy": "public"}"""
        self._record(tx, event)

    @handles("report_routed")
    def on_report_routed(self, tx, event):
        """{"tracking_id": "LPR-…", "agency_code": "…", "agency_name": "…"}"""
        self._record(tx, event)

    @http("GET", "/stats")
    def stats(self, request):
        """GET /stats[?agency=PROV-73-DISDIK] → {"total": 3, "by_status": {...}, "agencies": [...]}"""
        with self.db.read() as session:
            return projection.stats(session, request.args.get("agency") or None)
