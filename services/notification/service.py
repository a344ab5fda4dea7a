"""Notification: every event that concerns a person becomes a message in their inbox and, for
the reporter, a delivery on the channel they used — each sent once, retried with backoff, and
kept for ops when it cannot be sent."""

from __future__ import annotations

from datetime import datetime

from nameko.rpc import rpc
from nameko.timer import timer
from sqlalchemy import func, insert, select, update

from services.notification import following, outbound, templates
from services.notification.contacts import ContactUnavailable, ReporterContacts
from services.notification.delivery import CHANNEL_TRANSPORT, RetryPolicy
from services.notification.models import deliveries, messages, metadata
from services.notification.transports import (
    Mailer,
    SmsGateway,
    TransportFailed,
    TwitterDm,
    Webhook,
)
from shared import metrics
from shared.auth import StaffTokens
from shared.db import Database, utcnow
from shared.messaging import handles
from shared.ops import Operations
from shared.tracking import normalise
from shared.web import InvalidInput, NotFound, http, read_json

BATCH = 50
# intake's reply to an SMS is itself the answer (the gateway sends the HTTP response back)
ANSWERED_BY_INTAKE = {("sms", "report_received"), ("sms", "report_returned")}


def reporter_of(tracking_id: str) -> str:
    return f"report:{tracking_id}"


class Notification(Operations):
    name = "notification"

    db = Database(metadata)
    staff_tokens = StaffTokens()
    contacts = ReporterContacts()
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
        recipient = reporter_of(body["tracking_id"])
        language = self._inbox(tx, event, recipient, kind, context, body.get("language"))
        channel = CHANNEL_TRANSPORT.get(body.get("channel") or self._channel_of(tx, recipient))
        if channel and (channel, kind) not in ANSWERED_BY_INTAKE:
            outbound.queue(
                tx.session,
                utcnow(),
                event_id=event.event_id,
                recipient=recipient,
                channel=channel,
                kind=kind,
                language=language,
                context=context,
            )

        for follower in following.followers_of(tx.session, body):
            self._tell_follower(tx, event, follower, kind, context)

    def _tell_follower(self, tx, event, follower: str, kind: str, context: dict) -> None:
        """The reporter of a duplicate hears of the original's step, on their own channel."""
        recipient = reporter_of(follower)
        language = self._inbox(tx, event, recipient, kind, context, None)
        channel = CHANNEL_TRANSPORT.get(self._channel_of(tx, recipient))
        if channel:
            outbound.queue(
                tx.session,
                utcnow(),
                event_id=event.event_id,
                recipient=recipient,
                channel=channel,
                kind=kind,
                language=language,
                context=context,
            )

    def _tell_agency(self, tx, event, agency_code: str, kind: str, context: dict) -> None:
        """Staff read it in the agency's in-app inbox. Never the reporter's identity: events
        do not carry it, and staff templates have no place for it."""
        context = _plain({**context, "tracking_id": event.body["tracking_id"]})
        self._inbox(tx, event, f"agency:{agency_code}", kind, context, "id")

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
        policy = RetryPolicy(
            max_attempts=int(self.config.get("DELIVERY_MAX_ATTEMPTS", 6)),
            base_seconds=float(self.config.get("DELIVERY_BACKOFF_SECONDS", 2)),
        )
        try:
            address = self._address(row)
            if address is None:
                with self.db.transaction() as tx:
                    outbound.skipped(tx.session, row.id, f"no {row.channel} address")
                metrics.DELIVERIES.labels(row.channel, "skipped").inc()
                return
            message = templates.render(row.kind, row.language, row.context)
            text = message["sms"] if row.channel == "sms" else message["text"]
            getattr(self, row.channel).send(address, message["subject"], text)
        except (TransportFailed, ContactUnavailable) as exc:
            reason = getattr(exc, "reason", f"contact lookup: {exc}")
            with self.db.transaction() as tx:
                status = outbound.failed(
                    tx.session, row, utcnow(), reason, getattr(exc, "permanent", False), policy
                )
            metrics.DELIVERIES.labels(row.channel, status).inc()
            return
        with self.db.transaction() as tx:
            outbound.sent(tx.session, row.id, utcnow())
        metrics.DELIVERIES.labels(row.channel, "sent").inc()

    def _address(self, row) -> str | None:
        kind, _, ref = row.recipient.partition(":")
        if kind == "report":
            return self.contacts.address(ref, row.channel)
        return None  # staff are reached in-app for now

    @rpc
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
        return [_delivery_view(row) for row in rows]

    @rpc
    def replay_deliveries(self, delivery_ids: list[int]) -> int:
        """replay_deliveries([7, 9]) → 2: dead deliveries queued again."""
        with self.db.transaction() as tx:
            return outbound.replay(tx.session, delivery_ids, utcnow())

    @http("GET", "/deliveries")
    def deliveries(self, request):
        """GET /deliveries?status=dead&offset=0&limit=100 → {"items": [...]} (ops)"""
        status = request.args.get("status", "dead")
        if status not in ("queued", "sent", "failed", "dead", "skipped"):
            raise InvalidInput(
                errors=[{"field": "status", "message": "queued|sent|failed|dead|skipped"}]
            )
        offset = max(0, request.args.get("offset", 0, type=int))
        limit = min(1000, max(1, request.args.get("limit", 100, type=int)))
        return {"items": self.list_deliveries(status, offset, limit)}

    @http("GET", "/inbox/<string:tracking_id>")
    def inbox(self, request, tracking_id):
        """GET /inbox/LPR-…?offset=0&limit=20 → {"unread": 1, "items": [{"kind": …, "text": {...}}]}
        The tracking id is the reporter's key to their own messages (it is unguessable)."""
        return self._page(request, self._reporter(tracking_id))

    @http("POST", "/inbox/<string:tracking_id>/read")
    def mark_read(self, request, tracking_id):
        """POST /inbox/LPR-…/read {"ids": [1, 2]} (or {} for all) → {"marked": 2}"""
        return self._mark(request, self._reporter(tracking_id))

    @http("GET", "/staff/inbox")
    def staff_inbox(self, request):
        """GET /staff/inbox (Authorization: Bearer <staff token>) → the agency's messages."""
        return self._page(request, f"agency:{self.staff_tokens.require(request).agency_code}")

    @http("POST", "/staff/inbox/read")
    def staff_mark_read(self, request):
        """POST /staff/inbox/read {"ids": [3]} (Authorization: Bearer <staff token>)"""
        return self._mark(request, f"agency:{self.staff_tokens.require(request).agency_code}")

    def _page(self, request, recipient: str) -> dict:
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

    def _mark(self, request, recipient: str) -> dict:
        ids = read_json(request).get("ids")
        if ids is not None and not (isinstance(ids, list) and all(isinstance(i, int) for i in ids)):
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

    def _reporter(self, tracking_id: str) -> str:
        canonical = normalise(tracking_id)
        if canonical is None:
            raise NotFound("Nomor pelacakan tidak ditemukan / Tracking id not found")
        return reporter_of(canonical)


def _plain(context: dict) -> dict:
    """JSON-ready: a delivery keeps its context until it is sent."""
    return {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in context.items()
    }


def _delivery_view(row) -> dict:
    return {
        "id": row.id,
        "event_id": row.event_id,
        "recipient": row.recipient,
        "channel": row.channel,
        "kind": row.kind,
        "status": row.status,
        "attempts": row.attempts,
        "last_error": row.last_error,
        "created_at": row.created_at,
        "sent_at": row.sent_at,
    }
