"""The in-app inboxes over HTTP: the reporter's (with proof of being the reporter) and an
agency's (with a staff token). Mixed into the Notification service class, which provides
``db``, ``staff_tokens`` and ``reporter_proof``."""

from __future__ import annotations

import logging

from sqlalchemy import func, select, update

from services.notification.models import messages
from services.notification.reporters import IntakeUnavailable, credentials
from services.notification.telling import reporter_of
from shared.auth import Unauthenticated
from shared.db import utcnow
from shared.paging import paging, row_ids
from shared.problems import InvalidInput, NotFound, TryAgainShortly
from shared.tracking import normalise
from shared.web import http, read_json

log = logging.getLogger(__name__)

NOT_FOUND = "Nomor pelacakan tidak ditemukan / Tracking id not found"


class InboxDoors:
    @http("GET", "/inbox/<string:tracking_id>")
    def inbox(self, request, tracking_id):
        """GET /inbox/LPR-…?offset=0&limit=20 (X-Report-Key: …, or Authorization: Bearer
        <reporter token>, or X-Open311-Token: …) → {"unread": 1, "items": [{"kind": …,
        "text": {...}}]}. No proof: 401; a proof that is not this report's, or no such
        report: the same 404; intake not answering: 503."""
        return self._page(request, self._reporter(request, tracking_id))

    @http("POST", "/inbox/<string:tracking_id>/read")
    def mark_read(self, request, tracking_id):
        """POST /inbox/LPR-…/read {"ids": [1, 2]} (or {} for all), with the same proof as
        GET /inbox → {"marked": 2}"""
        return self._mark(request, self._reporter(request, tracking_id))

    @http("GET", "/staff/inbox")
    def staff_inbox(self, request):
        """GET /staff/inbox (Authorization: Bearer <staff token>) → the agency's messages."""
        return self._page(request, f"agency:{self.staff_tokens.require(request).agency_code}")

    @http("POST", "/staff/inbox/read")
    def staff_mark_read(self, request):
        """POST /staff/inbox/read {"ids": [3]} (Authorization: Bearer <staff token>)"""
        return self._mark(request, f"agency:{self.staff_tokens.require(request).agency_code}")

    def _reporter(self, request, tracking_id: str) -> str:
        """The inbox of the report whose reporter the request proves to be. Whether the
        report exists is asked only with a proof, and a wrong proof looks like no report."""
        proof = credentials(request)
        if proof is None:
            raise Unauthenticated(
                "Kirim X-Report-Key atau token pelapor / Send X-Report-Key or the reporter's token"
            )
        canonical = normalise(tracking_id)
        if canonical is None:
            raise NotFound(NOT_FOUND)
        try:
            proven = self.reporter_proof.proves(canonical, proof)
        except IntakeUnavailable as exc:
            log.warning("intake did not answer whether a reporter is proven (%s)", exc)
            raise TryAgainShortly() from None
        if not proven:
            raise NotFound(NOT_FOUND)
        return reporter_of(canonical)

    def _page(self, request, recipient: str) -> dict:
        offset, limit = paging(request.args, 20, 100)
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

    def _mark(self, request, recipient: str) -> dict:
        ids = read_json(request).get("ids")
        if ids is not None and not row_ids(ids):
            raise InvalidInput(
                errors=[{"field": "ids", "message": "daftar bilangan / a list of integers"}]
            )
        query = update(messages).where(
            messages.c.recipient == recipient, messages.c.read_at.is_(None)
        )
        if ids is not None:
            query = query.where(messages.c.id.in_(ids))
        with self.db.transaction() as tx:
            return {"marked": tx.session.execute(query.values(read_at=utcnow())).rowcount}
