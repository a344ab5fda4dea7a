"""Sending what is due: each delivery claimed by one process, sent on its transport, and
recorded (sent, failed and retried with backoff, dead, or skipped when there is no address)."""

from __future__ import annotations

from nameko.timer import timer

from services.notification import outbound, staff_mail, templates
from services.notification.contacts import ContactUnavailable
from services.notification.delivery import RetryPolicy
from services.notification.transports import TransportFailed
from shared import metrics
from shared.db import utcnow

BATCH = 50


class Sending:
    """Mixed into Notification; needs db, config, contacts, staff_addresses and the transports
    (email, sms, twitter_dm, webhook) as attributes named after their channel."""

    @timer(interval=1)
    def deliver_due(self):
        """Sends what is due (new, or whose backoff has passed), a batch at a time."""
        with self.db.read() as session:
            due = outbound.due(session, utcnow(), BATCH)
        for delivery_id in due:
            self._deliver(delivery_id)

    def _deliver(self, delivery_id: int) -> None:
        with self.db.transaction() as tx:
            row = outbound.claim(tx.session, delivery_id, utcnow())
        if row is None:  # another process has it
            return
        policy = RetryPolicy.from_config(self.config)
        try:
            address = self._address(row)
            if address is None:
                with self.db.transaction() as tx:
                    outbound.skipped(tx.session, row.id, f"no {row.channel} address")
                metrics.DELIVERIES.labels(row.channel, "skipped").inc()
                return
            if row.recipient.startswith("agency:"):
                subject, text = staff_mail.bilingual(row.kind, row.context)
            else:
                message = templates.render(row.kind, row.language, row.context)
                subject = message["subject"]
                text = message["sms"] if row.channel == "sms" else message["text"]
            transport = getattr(self, row.channel)
            parts = transport.send(address, subject, text, (row.id, row.attempts))
        except (TransportFailed, ContactUnavailable) as exc:
            reason = getattr(exc, "reason", f"contact lookup: {exc}")
            with self.db.transaction() as tx:
                status = outbound.failed(
                    tx.session, row, utcnow(), reason, getattr(exc, "permanent", False), policy
                )
            metrics.DELIVERIES.labels(row.channel, status).inc()
            return
        with self.db.transaction() as tx:  # a delivery report may have come first
            status = outbound.sent(tx.session, row.id, utcnow(), parts)
        metrics.DELIVERIES.labels(row.channel, "sent").inc()
        if status == "delivered":
            metrics.DELIVERIES.labels(row.channel, "delivered").inc()

    def _address(self, row) -> str | list[str] | None:
        kind, _, ref = row.recipient.partition(":")
        if kind == "report":
            return self.contacts.address(ref, row.channel)
        if kind == "agency":  # the staff who chose it by email, asked of the registry now
            return self.staff_addresses.of(ref, row.kind) or None
        return None
