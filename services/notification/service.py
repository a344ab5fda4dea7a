"""Notification: every event that concerns a person becomes a message in their inbox and, for
the reporter, a delivery on the channel they used — each sent once, retried with backoff, and
kept for ops when it cannot be sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select

from services.notification import following, outbound, staff_mail, templates
from services.notification.contacts import ReporterContacts
from services.notification.delivery import CHANNEL_TRANSPORT
from services.notification.inbox_http import InboxDoors, reporter_of
from services.notification.models import deliveries, messages, metadata
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
from shared.db import Database, utcnow
from shared.messaging import handles
from shared.ops import Operations

# intake's reply to an SMS is itself the answer (the gateway sends the HTTP response back)
ANSWERED_BY_INTAKE = {("sms", "report_received"), ("sms", "report_returned")}


class Notification(Sending, DeliveryReportDoors, InboxDoors, OpsDoors, Operations):
    name = "notification"

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
        """{"tracking_id": "LPR-…", "channel": "sms", "language": "id"} → received, tracking id."""
        self._tell_reporter(tx, event, "report_received", {})

    @handles("report_returned")
    def on_report_returned(self, tx, event):
        """{"tracking_id": "LPR-…", "missing": ["region"], "deadline_at": "…"} → what to add."""
        body = event.body
        self._tell_reporter(
            tx,
            event,
            "report_returned",
            {
                "missing": body["missing"],
                "deadline": body["deadline_at"],
                "note": body.get("note"),
            },
        )

    @handles("report_routed")
    def on_report_routed(self, tx, event):
        """{"tracking_id": "LPR-…", "agency_code": "…", "agency_name": "…", "watchers": [...]}
        → the reporter (where it went), the agency (new disposition), watchers (a copy)."""
        body = event.body
        context = {"agency_name": body["agency_name"]}
        self._tell_reporter(tx, event, "report_routed", context)
        self._tell_agency(
            tx,
            event,
            body["agency_code"],
            "new_disposition",
            {**context, "deadline": body.get("first_followup_due_at") or "-"},
        )
        for watcher in body.get("watchers") or ():
            self._tell_agency(tx, event, watcher, "watcher_copy", context)

    @handles("followup_posted")
    def on_followup_posted(self, tx, event):
        """{"tracking_id": "LPR-…", "agency_name": "…", "text": "…", "final": true} → reporter."""
        body = event.body
        context = {
            "agency_name": body["agency_name"],
            "text": body["text"],
            "deadline": body.get("feedback_due_at") or "-",
        }
        self._tell_reporter(
            tx, event, "awaiting_feedback" if body["final"] else "followup", context
        )

    @handles("report_status_changed")
    def on_report_status_changed(self, tx, event):
        """{"tracking_id": "LPR-…", "status": "completed"|"in_progress", "reason": "…"}"""
        body = event.body
        if body["status"] == "completed":
            self._tell_reporter(tx, event, "report_completed", {})
        elif body["reason"] == "not_satisfied" and body.get("agency_code"):
            self._tell_reporter(tx, event, "report_reopened", {})
            self._tell_agency(tx, event, body["agency_code"], "reopened_for_agency", {})

    @handles("report_archived")
    def on_report_archived(self, tx, event):
        """{"tracking_id": "LPR-…", "reason": "incomplete"} → archived, and why."""
        body = event.body
        context = {"reason": body["reason"], "duplicate_of": body.get("duplicate_of")}
        self._tell_reporter(tx, event, "report_archived", context)
        original = body.get("duplicate_of")
        if original and original != body["tracking_id"]:
            following.follow(tx.session, original, body["tracking_id"], event.occurred_at)

    @handles("report_commented")
    def on_report_commented(self, tx, event):
        """{"tracking_id": "LPR-…", "agency_code": "…", "text": …} → the holding agency (the
        words stay at intake: staff read them at the desk)."""
        if event.body.get("agency_code"):
            self._tell_agency(tx, event, event.body["agency_code"], "reporter_commented", {})

    @handles("deadline_approaching")
    def on_deadline_approaching(self, tx, event):
        """{"tracking_id": "LPR-…", "clock": "first_followup", "agency_code": "…", "due_at": "…"}
        The feedback clock is the reporter's, and its end only completes the report: no one
        at the agency is reminded of it."""
        body = event.body
        if body["clock"] != "feedback":
            self._tell_agency(
                tx,
                event,
                body["agency_code"],
                "deadline_approaching",
                {"clock": body["clock"], "deadline": body["due_at"]},
            )

    @handles("deadline_breached")
    def on_deadline_breached(self, tx, event):
        """{"tracking_id": "LPR-…", "clock": "resolution", "agency_code": "…",
        "coordinator_code": "…", "due_at": "…"} → the agency and its coordinator (SPEC §5)."""
        body = event.body
        if body["clock"] == "feedback":  # auto-completed: report_status_changed tells the reporter
            return
        context = {"clock": body["clock"], "deadline": body["due_at"]}
        for code in dict.fromkeys(
            filter(None, (body["agency_code"], body.get("coordinator_code")))
        ):
            self._tell_agency(tx, event, code, "deadline_breached", context)

    @handles("manual_dispatch_queued")
    def on_manual_dispatch_queued(self, tx, event):
        """{"tracking_id": "LPR-…", "coordinator_code": "…", "coordinator_name": "…"}"""
        body = event.body
        self._tell_agency(
            tx,
            event,
            body["coordinator_code"],
            "manual_dispatch",
            {"agency_name": body["coordinator_name"]},
        )

    @handles("disposition_proposed")
    def on_disposition_proposed(self, tx, event):
        """{"tracking_id": "LPR-…", "coordinator_code": "…", "agency_name": "…"} → verify."""
        body = event.body
        self._tell_agency(
            tx, event, body["coordinator_code"], "proposal", {"agency_name": body["agency_name"]}
        )

    @handles("report_escalated")
    def on_report_escalated(self, tx, event):
        """{"tracking_id": "LPR-…", "agency_code": "…", "escalated_to": ["KAB-73-11-DISKOMINFO"]}"""
        body = event.body
        for code in body["escalated_to"]:
            self._tell_agency(tx, event, code, "escalated", {"agency_name": body["agency_code"]})

    def _tell_reporter(self, tx, event, kind: str, context: dict) -> None:
        """The in-app inbox always; the channel the reporter used, when it reaches outside.

        Events after the first do not say the channel: the one recorded with the report's
        first delivery (its report_submitted or report_returned) is used."""
        body = event.body
        context = _plain({**context, "tracking_id": body["tracking_id"]})
        self._reach(
            tx,
            event,
            reporter_of(body["tracking_id"]),
            kind,
            context,
            language=body.get("language"),
            channel=body.get("channel"),
            already_answered=ANSWERED_BY_INTAKE,
        )
        # the reporter of a duplicate hears of the original's step, on their own channel
        for follower in following.followers_of(tx.session, body):
            self._reach(tx, event, reporter_of(follower), kind, context)

    def _reach(
        self,
        tx,
        event,
        recipient: str,
        kind: str,
        context: dict,
        language: str | None = None,
        channel: str | None = None,
        already_answered=frozenset(),
    ) -> None:
        """The recipient's in-app inbox, and a delivery on their channel (the one named, else
        the one recorded with their first delivery) unless it reaches nobody outside or
        ``already_answered`` says intake's own reply told them."""
        language = self._inbox(tx, event, recipient, kind, context, language)
        transport = CHANNEL_TRANSPORT.get(channel or self._channel_of(tx, recipient))
        if transport and (transport, kind) not in already_answered:
            outbound.queue(
                tx.session,
                utcnow(),
                event_id=event.event_id,
                recipient=recipient,
                channel=transport,
                kind=kind,
                language=language,
                context=context,
            )

    def _tell_agency(self, tx, event, agency_code: str, kind: str, context: dict) -> None:
        """Staff read it in the agency's in-app inbox, and by email those who chose it
        (staff_mail.py). Never the reporter's identity: events do not carry it, and staff
        templates have no place for it."""
        context = _plain({**context, "tracking_id": event.body["tracking_id"]})
        recipient = f"agency:{agency_code}"
        self._inbox(tx, event, recipient, kind, context, "id")
        if staff_mail.wanted(self.config, kind):
            outbound.queue(
                tx.session,
                utcnow(),
                event_id=event.event_id,
                recipient=recipient,
                channel="email",
                kind=kind,
                language="id",
                context=context,
            )

    def _inbox(self, tx, event, recipient: str, kind: str, context: dict, language) -> str:
        language = templates.languages(language)
        texts = {lang: templates.render(kind, lang, context)["text"] for lang in ("id", "en")}
        tx.session.execute(
            insert(messages).values(
                recipient=recipient,
                event_id=event.event_id,
                kind=kind,
                tracking_id=event.body["tracking_id"],
                language=language,
                text_id=texts["id"],
                text_en=texts["en"],
                created_at=event.occurred_at,
            )
        )
        return language

    def _channel_of(self, tx, recipient: str) -> str | None:
        """The reporter channel of the first delivery queued for this recipient, if any."""
        first = tx.session.execute(
            select(deliveries.c.channel)
            .where(deliveries.c.recipient == recipient)
            .order_by(deliveries.c.id)
            .limit(1)
        ).scalar()
        return next(
            (name for name, transport in CHANNEL_TRANSPORT.items() if transport == first), None
        )


def _plain(context: dict) -> dict:
    """JSON-ready: a delivery keeps its context until it is sent."""
    return {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in context.items()
    }
