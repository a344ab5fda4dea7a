"""Notification: every event that concerns a person becomes a message in their inbox and, for
the reporter, a delivery on the channel they used — each sent once, retried with backoff, and
kept for ops when it cannot be sent.

- audience.py      who is told what (SPEC §9), pure
- telling.py       a notice into the inbox and the delivery queue, in the event's transaction
- sending.py       the delivery worker (transports.py: SMTP, the SMS gateway, Twitter, webhooks)
- inbox_http.py    the reporters' and staff's inboxes; ops_http.py, receipts_http.py
"""

from __future__ import annotations

from services.notification import audience, following, openapi, staff_mail, telling
from services.notification.contacts import ReporterContacts
from services.notification.inbox_http import InboxDoors
from services.notification.models import metadata
from services.notification.ops_http import OpsDoors
from services.notification.receipts_http import DeliveryReportDoors
from services.notification.reporters import ReporterProof
from services.notification.sending import Sending
from services.notification.staff_mail import StaffAddresses
from services.notification.transports import (
    Mailer,
    SmsGateway,
    TwitterDm,
    Webhook,
)
from shared.auth import StaffTokens
from shared.db import Database
from shared.messaging import handles
from shared.ops import Operations


class Notification(Sending, DeliveryReportDoors, InboxDoors, OpsDoors, Operations):
    name = "notification"
    api_doc = openapi.API

    db = Database(metadata)
    staff_tokens = StaffTokens()
    reporter_proof = ReporterProof()
    contacts = ReporterContacts()
    staff_addresses = StaffAddresses()
    email = Mailer()
    sms = SmsGateway()
    twitter_dm = TwitterDm()
    webhook = Webhook()

    @handles("report_submitted")
    def on_report_submitted(self, tx, event):
        self._tell(tx, event)

    @handles("report_returned")
    def on_report_returned(self, tx, event):
        self._tell(tx, event)

    @handles("report_routed")
    def on_report_routed(self, tx, event):
        self._tell(tx, event)

    @handles("followup_posted")
    def on_followup_posted(self, tx, event):
        self._tell(tx, event)

    @handles("report_status_changed")
    def on_report_status_changed(self, tx, event):
        self._tell(tx, event)

    @handles("report_archived")
    def on_report_archived(self, tx, event):
        """An archived duplicate's reporter follows the original from now on."""
        self._tell(tx, event)
        body = event.body
        original = body.get("duplicate_of")
        if original and original != body["tracking_id"]:
            following.follow(tx.session, original, body["tracking_id"], event.occurred_at)

    @handles("report_commented")
    def on_report_commented(self, tx, event):
        self._tell(tx, event)

    @handles("deadline_approaching")
    def on_deadline_approaching(self, tx, event):
        self._tell(tx, event)

    @handles("deadline_breached")
    def on_deadline_breached(self, tx, event):
        self._tell(tx, event)

    @handles("manual_dispatch_queued")
    def on_manual_dispatch_queued(self, tx, event):
        self._tell(tx, event)

    @handles("disposition_proposed")
    def on_disposition_proposed(self, tx, event):
        self._tell(tx, event)

    @handles("report_escalated")
    def on_report_escalated(self, tx, event):
        self._tell(tx, event)

    def _tell(self, tx, event) -> None:
        """Every notice the event owes (audience.py), each to its inbox and channel."""
        for notice in audience.notices(event.event_type, event.body):
            wanted = staff_mail.wanted(self.config, notice.kind)
            telling.tell(tx.session, event, notice, staff_email=wanted)
