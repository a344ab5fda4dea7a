"""Notification: every event that concerns a reporter becomes a message in their inbox."""

from __future__ import annotations

from sqlalchemy import func, insert, select

from services.notification import messages as texts
from services.notification.models import messages, metadata
from shared.db import Database
from shared.messaging import handles
from shared.ops import Operations
from shared.tracking import normalise
from shared.web import NotFound, http


def reporter_of(tracking_id: str) -> str:
    return f"report:{tracking_id}"


class Notification(Operations):
    name = "notification"

    db = Database(metadata)

    @handles("report_submitted")
    def on_report_submitted(self, tx, event):
        """{"tracking_id": "LPR-…", "language": "id", …} → "Laporan Anda telah diterima…"."""
        self._write(tx, event, "report_received", texts.report_received(event.body))

    @handles("report_routed")
    def on_report_routed(self, tx, event):
        """{"tracking_id": "LPR-…", "agency_name": "…"} → "Laporan … telah diteruskan ke …"."""
        self._write(tx, event, "report_routed", texts.report_routed(event.body))

    def _write(self, tx, event, kind: str, text: tuple[str, str]) -> None:
        tx.session.execute(
            insert(messages).values(
                recipient=reporter_of(event.body["tracking_id"]),
                event_id=event.event_id,
                kind=kind,
                tracking_id=event.body["tracking_id"],
                language=event.body.get("language", "id"),
                text_id=text[0],
                text_en=text[1],
                created_at=event.occurred_at,
            )
        )

    @http("GET", "/inbox/<string:tracking_id>")
    def inbox(self, request, tracking_id):
        """GET /inbox/LPR-… → {"unread": 1, "items": [{"kind": "report_routed", "text": {...}}]}"""
        canonical = normalise(tracking_id)
        if canonical is None:
            raise NotFound("Nomor pelacakan tidak ditemukan / Tracking id not found")
        recipient = reporter_of(canonical)
        offset = max(0, request.args.get("offset", 0, type=int))
        limit = min(100, max(1, request.args.get("limit", 20, type=int)))
        with self.db.read() as session:
            rows = session.execute(
                select(messages)
                .where(messages.c.recipient == recipient)
                .order_by(messages.c.created_at, messages.c.id)
                .offset(offset)
                .limit(limit)
            ).all()
            unread = session.execute(
                select(func.count()).where(
                    messages.c.recipient == recipient, messages.c.read_at.is_(None)
                )
            ).scalar_one()
        return {
            "unread": unread,
            "offset": offset,
            "limit": limit,
            "items": [
                {
                    "id": row.id,
                    "kind": row.kind,
                    "tracking_id": row.tracking_id,
                    "text": {"id": row.text_id, "en": row.text_en},
                    "created_at": row.created_at,
                    "read": row.read_at is not None,
                }
                for row in rows
            ],
        }
