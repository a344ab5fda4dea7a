"""Deliveries for operations: list them, send dead ones again. Over HTTP for a national
admin's staff token (services/notification/access.py says who), over RPC for
``satupintu deliveries`` (whoever may use the broker). Mixed into the Notification service
class, which provides ``db`` and ``staff_tokens``."""

from __future__ import annotations

from sqlalchemy import select

from services.notification import outbound
from services.notification.access import check_ops, delivery_view
from services.notification.models import deliveries
from shared.db import utcnow
from shared.paging import paging, row_ids
from shared.problems import InvalidInput
from shared.rpc import rpc_for
from shared.web import http, read_json

STATUSES = ("queued", "sent", "delivered", "failed", "dead", "skipped")
MAX_REPLAY = 1000


class OpsDoors:
    @rpc_for("operator")
    def list_deliveries(
        self, status: str = "dead", offset: int = 0, limit: int = 100
    ) -> list[dict]:
        """list_deliveries("dead") → [{"id": 7, "channel": "sms", "last_error": "…", …}]"""
        with self.db.read() as session:
            rows = session.execute(
                select(deliveries)
                .where(deliveries.c.status == status)
                .order_by(deliveries.c.id)
                .offset(offset)
                .limit(min(limit, 1000))
            ).all()
        return [delivery_view(row) for row in rows]

    @rpc_for("operator")
    def replay_deliveries(self, delivery_ids: list[int]) -> int:
        """replay_deliveries([7, 9]) → 2: dead deliveries queued again."""
        with self.db.transaction() as tx:
            return outbound.replay(tx.session, delivery_ids, utcnow())

    @http("GET", "/deliveries")
    def deliveries(self, request):
        """GET /deliveries?status=dead&offset=0&limit=100 (Authorization: Bearer <national
        admin's token>) → {"items": [{"id": 7, "channel": "sms", "status": "dead", …}]}"""
        check_ops(self.staff_tokens.require(request))
        status = request.args.get("status", "dead")
        if status not in STATUSES:
            raise InvalidInput(errors=[{"field": "status", "message": "|".join(STATUSES)}])
        offset, limit = paging(request.args, 100, 1000)
        return {"items": self.list_deliveries(status, offset, limit)}

    @http("POST", "/deliveries/replay")
    def replay(self, request):
        """POST /deliveries/replay {"ids": [7, 9]} (Authorization: Bearer <national admin's
        token>) → {"queued": 2}: the dead ones among them are sent again."""
        check_ops(self.staff_tokens.require(request))
        ids = read_json(request).get("ids")
        if not (row_ids(ids) and 0 < len(ids) <= MAX_REPLAY):
            raise InvalidInput(
                errors=[
                    {
                        "field": "ids",
                        "message": f"daftar 1–{MAX_REPLAY} bilangan / "
                        f"a list of 1–{MAX_REPLAY} integers",
                    }
                ]
            )
        return {"queued": self.replay_deliveries(ids)}
