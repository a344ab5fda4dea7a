"""The door Kannel knocks at with SMS delivery reports (its ``dlr-url``), mixed into the
notification service: a report marks the delivery delivered once every part has arrived, or
counts as a failed send (retried with backoff, then dead)."""

from __future__ import annotations

from services.notification import outbound, receipts
from services.notification.delivery import RetryPolicy
from shared import metrics
from shared.db import utcnow
from shared.problems import InvalidInput, NotFound
from shared.web import http

FIELDS = ("d", "a", "p", "type")


class DeliveryReportDoors:
    @http("GET", "/channels/sms/delivery-report")
    def sms_delivery_report(self, request):
        """GET /channels/sms/delivery-report?d=17&a=1&p=0&s=<hmac>&type=1 (from Kannel)
        → {"status": "delivered"}; a report of an earlier attempt changes nothing."""
        numbers = {}
        for field in FIELDS:
            value = request.args.get(field, "")
            if not value.isdigit():
                raise InvalidInput(
                    errors=[{"field": field, "message": "bilangan / a whole number"}]
                )
            numbers[field] = int(value)
        delivery_id, attempt, part = numbers["d"], numbers["a"], numbers["p"]
        if not self.sms.is_signed(delivery_id, attempt, part, request.args.get("s", "")):
            metrics.DELIVERY_REPORTS.labels("sms", "refused").inc()
            # the same answer as for an unknown delivery: a guess learns nothing
            raise NotFound("Laporan pengiriman tidak dikenal / Unknown delivery report")
        outcome = receipts.outcome(numbers["type"])
        if outcome is None:
            metrics.DELIVERY_REPORTS.labels("sms", "intermediate").inc()
            return {"status": None}
        with self.db.transaction() as tx:
            if outcome == "delivered":
                status = outbound.reported_delivered(
                    tx.session, delivery_id, attempt, part, utcnow()
                )
            else:
                policy = RetryPolicy.from_config(self.config)
                status = outbound.reported_failed(
                    tx.session, delivery_id, attempt, utcnow(), policy
                )
        metrics.DELIVERY_REPORTS.labels("sms", outcome if status else "stale").inc()
        if status in ("delivered", "failed", "dead"):
            metrics.DELIVERIES.labels("sms", status).inc()
        return {"status": status}
