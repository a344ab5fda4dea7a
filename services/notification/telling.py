"""How a notice (services.notification.audience) reaches its recipient, in the transaction
that applies the event: the in-app inbox always; for a reporter, a delivery on the channel
they used; for an agency, an email delivery when staff may want it (staff_mail.py). Each
delivery is queued once per event and recipient (outbound.queue) and sent after the commit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select

from services.notification import following, outbound, templates
from services.notification.audience import REPORTER, Notice
from services.notification.delivery import CHANNEL_TRANSPORT
from services.notification.models import deliveries, messages
from shared.db import utcnow

# intake's reply to an SMS is itself the answer (the gateway sends the HTTP response back)
ANSWERED_BY_INTAKE = {("sms", "report_received"), ("sms", "report_returned")}
_INSERT_MESSAGE = insert(messages)  # built once: it runs for every notice


def reporter_of(tracking_id: str) -> str:
    return f"report:{tracking_id}"


def tell(session, event, notice: Notice, staff_email: bool) -> None:
    body = event.body
    context = _plain({**notice.context, "tracking_id": body["tracking_id"]})
    if notice.to == REPORTER:
        reach(
            session,
            event,
            reporter_of(body["tracking_id"]),
            notice.kind,
            context,
            language=body.get("language"),
            channel=body.get("channel"),
            already_answered=ANSWERED_BY_INTAKE,
        )
        # the reporter of a duplicate hears of the original's step, on their own channel
        for follower in following.followers_of(session, body):
            reach(session, event, reporter_of(follower), notice.kind, context)
        return
    recipient = f"agency:{notice.agency_code}"
    inbox(session, event, recipient, notice.kind, context, "id")
    if staff_email:
        outbound.queue(
            session,
            utcnow(),
            event_id=event.event_id,
            recipient=recipient,
            channel="email",
            kind=notice.kind,
            language="id",
            context=context,
        )


def reach(
    session,
    event,
    recipient: str,
    kind: str,
    context: dict,
    language: str | None = None,
    channel: str | None = None,
    already_answered=frozenset(),
) -> None:
    """A reporter's in-app inbox, and a delivery on their channel (the one the event names,
    else the one recorded with their first delivery: events after the first do not say it)
    unless it reaches nobody outside or ``already_answered`` says intake's own reply told
    them."""
    language = inbox(session, event, recipient, kind, context, language)
    transport = CHANNEL_TRANSPORT.get(channel or _channel_of(session, recipient))
    if transport and (transport, kind) not in already_answered:
        outbound.queue(
            session,
            utcnow(),
            event_id=event.event_id,
            recipient=recipient,
            channel=transport,
            kind=kind,
            language=language,
            context=context,
        )


def inbox(session, event, recipient: str, kind: str, context: dict, language) -> str:
    """The message in ``recipient``'s in-app inbox, in both languages; the language used."""
    language = templates.languages(language)
    texts = {
        lang: templates.render(kind, lang, context, only=("text",))["text"] for lang in ("id", "en")
    }
    session.execute(
        _INSERT_MESSAGE,
        {
            "recipient": recipient,
            "event_id": event.event_id,
            "kind": kind,
            "tracking_id": event.body["tracking_id"],
            "language": language,
            "text_id": texts["id"],
            "text_en": texts["en"],
            "created_at": event.occurred_at,
        },
    )
    return language


def _channel_of(session, recipient: str) -> str | None:
    """The reporter channel of the first delivery queued for this recipient, if any."""
    first = session.execute(
        select(deliveries.c.channel)
        .where(deliveries.c.recipient == recipient)
        .order_by(deliveries.c.id)
        .limit(1)
    ).scalar()
    return next((name for name, transport in CHANNEL_TRANSPORT.items() if transport == first), None)


def _plain(context: dict) -> dict:
    """JSON-ready: a delivery keeps its context until it is sent."""
    return {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in context.items()
    }
