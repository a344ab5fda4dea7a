"""A short message from a phone (SMS 1708) or a social account (Twitter), answered.

The sender's number or account is their identity: no account is needed. Each message is
handled once per sender and channel message id (an id is unique per sender, not across
senders): a gateway's retry gets the first answer and changes nothing. Only the sender of a
report acts on it (BALAS, BATAL, PUAS, TIDAK PUAS) or hears more of it than the public would
(CEK). A plain reply from a sender with one open report is a comment on it (SPEC §8). Reports are
filed and supplemented through the same validation as every channel (schemas.ReportDraft,
schemas.Supplement) and the same code (services.intake.filing).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from marshmallow import ValidationError
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from services.intake import filing, idempotency, records, reporter_actions, schemas
from services.intake.models import received_messages, reports
from services.intake.problems import WrongState
from services.intake.sms import commands, replies
from shared import lifecycle, privacy
from shared.problems import field_errors
from shared.region_names import short_name

log = logging.getLogger(__name__)

# the reports a plain reply may comment on: open, and not returned (a reply supplements those)
OPEN = tuple(s for s in reporter_actions.OPEN_FOR_COMMENTS if s != lifecycle.RETURNED)


@dataclass(frozen=True)
class Sender:
    channel: str  # "sms" | "twitter"
    id: str  # E.164 phone number, or the Twitter account id
    identity: dict  # the report columns that hold it: reporter_phone, or handle + social id

    @property
    def column(self):
        return reports.c.reporter_phone if self.channel == "sms" else reports.c.reporter_social_id

    @property
    def digest(self) -> str:
        return idempotency.scoped(self.channel, self.id, "")

    def sent(self, row) -> bool:
        """Whether this sender filed ``row`` (on this channel, from this number or account)."""
        return row.channel == self.channel and getattr(row, self.column.name) == self.id


def answered(session, sender: Sender, message_id: str) -> str | None:
    """The answer this sender's message id got before, or None if it is new."""
    row = session.execute(
        select(received_messages.c.reply).where(
            received_messages.c.channel == sender.channel,
            received_messages.c.sender == sender.digest,
            received_messages.c.message_id == message_id,
        )
    ).first()
    return row.reply if row else None


def handle(db, sender: Sender, message_id: str, text: str, settings, now) -> str:
    """Answer one message: its reply text (the first answer, for a retried message id)."""
    with db.read() as session:
        first = answered(session, sender, message_id)
    if first is not None:
        return first
    try:
        with db.transaction() as tx:
            reply, tracking_id = _answer(tx, sender, message_id, text, settings, now)
            tx.session.execute(
                insert(received_messages).values(
                    channel=sender.channel,
                    sender=sender.digest,
                    message_id=message_id,
                    tracking_id=tracking_id,
                    reply=reply,
                    received_at=now,
                )
            )
    except IntegrityError:  # the same message id, handled meanwhile by another worker
        with db.read() as session:
            first = answered(session, sender, message_id)
        if first is None:
            raise
        return first
    return reply


def _answer(tx, sender: Sender, message_id: str, text: str, settings, now):
    message = commands.parse(text)
    if message.kind == commands.TEXT and not message.text:
        return replies.EMPTY, None
    if message.kind == commands.FEEDBACK and message.tracking_id is None:
        if message.text.upper().startswith("LPR"):  # an id, mistyped
            return replies.NOT_FOUND, None
        waiting = _own(tx, sender, (lifecycle.AWAITING_FEEDBACK,))
        if len(waiting) == 1:
            return _feedback(tx, waiting[0], message, now)
        if not waiting and not message.text and len(open_ := _own(tx, sender, OPEN)) == 1:
            return replies.not_awaiting_feedback(open_[0].tracking_id, open_[0].status), None
        if waiting or not message.text:  # which report is meant
            return replies.NO_FEEDBACK_ID, None
        message = commands.parse_text(text)  # 'Tidak puas dengan …', nothing to answer: a report
    if message.kind != commands.TEXT:
        return _command(tx, sender, message, now)
    returned = _own(tx, sender, (lifecycle.RETURNED,))
    if returned and not message.new:
        return _supplement(tx, returned[0], message, settings, now), returned[0].tracking_id
    open_ = _own(tx, sender, OPEN)
    if len(open_) == 1 and not message.new:
        return _comment(tx, open_[0], message.text, now, plain=True)
    return _file(tx, sender, message_id, message, settings, now, others=bool(open_))


def _own(tx, sender: Sender, statuses) -> list:
    """This sender's reports on this channel in one of ``statuses``, the newest first."""
    return tx.session.execute(
        select(reports)
        .where(
            sender.column == sender.id,
            reports.c.channel == sender.channel,
            reports.c.status.in_(statuses),
        )
        .order_by(reports.c.submitted_at.desc())
    ).all()


def _file(tx, sender: Sender, message_id: str, message, settings, now, others=False):
    raw = {
        "classification": "complaint",
        "body": message.text[: schemas.MAX_BODY],
        "privacy": privacy.CONFIDENTIAL if message.confidential else privacy.ANONYMOUS,
        "channel": sender.channel,
        "language": "id",
        "location": {"region_code": message.fields.get("region_code")},
        "category_id": message.fields.get("category_id"),
        "event_date": _iso(message.fields.get("event_date")),
        "parties": message.fields.get("parties", []),
    }
    try:
        draft = schemas.ReportDraft().load(raw)
    except ValidationError as exc:
        return replies.refused(field_errors(exc.messages)[0]["message"]), None
    filed = filing.file_report(
        tx,
        draft,
        sender.identity,
        settings.filing,
        now,
        idempotency_key=idempotency.scoped(sender.channel, sender.id, message_id),
    )
    log.info("filed %s", privacy.for_log(records.load(tx.session, filed.tracking_id, False)))
    if filed.missing:
        return _incomplete(filed.tracking_id, filed.missing, message), filed.tracking_id
    return replies.received(filed.tracking_id, filed.status, others), filed.tracking_id


def _incomplete(tracking_id: str, missing: list[str], message) -> str:
    """What is still missing; first what a keyword named but did not settle."""
    if "category" in message.asks and {"category", "category_or_agency"} & set(missing):
        return replies.unknown_topic(tracking_id, message.asks["category"])
    if "region" in message.asks and "region" in missing:
        return replies.which_region(tracking_id, [short_name(c) for c in message.asks["region"]])
    return replies.returned(tracking_id, missing)


def _supplement(tx, row, message, settings, now) -> str:
    raw = {"body_addition": message.text[: schemas.MAX_BODY]}
    if "category_id" in message.fields:
        raw["category_id"] = message.fields["category_id"]
    if "event_date" in message.fields:
        raw["event_date"] = _iso(message.fields["event_date"])
    if "region_code" in message.fields:
        raw["location"] = {"region_code": message.fields["region_code"]}
    if "parties" in message.fields:
        raw["parties"] = message.fields["parties"]
    try:
        changes = schemas.Supplement().load(raw)
        filed = filing.supplement(tx, row, changes, settings.filing, now)
    except ValidationError as exc:
        return replies.refused(field_errors(exc.messages)[0]["message"])
    if filed.missing:
        return _incomplete(row.tracking_id, filed.missing, message)
    return replies.completed(row.tracking_id, filed.status)


def _command(tx, sender: Sender, message, now):
    row = (
        message.tracking_id
        and tx.session.execute(
            select(reports).where(reports.c.tracking_id == message.tracking_id)
        ).first()
    )
    own = bool(row) and sender.sent(row)
    if not own and not (row and records.public(row.status, row.privacy)):
        return replies.NOT_FOUND, None  # as the public is answered: no such report
    if message.kind == commands.CHECK:
        label = lifecycle.STATUSES[row.status].label_id
        return replies.status(row.tracking_id, label, row.agency_name), row.tracking_id
    if not own:
        return replies.NOT_YOURS, None
    if message.kind == commands.COMMENT:
        return _comment(tx, row, message.text, now)
    if message.kind == commands.FEEDBACK:
        return _feedback(tx, row, message, now)
    try:
        reporter_actions.withdraw(tx, row, None, now)
    except WrongState:
        return replies.CANNOT, row.tracking_id
    return replies.withdrawn(row.tracking_id), row.tracking_id


def _comment(tx, row, text: str, now, plain: bool = False):
    if not text:
        return replies.EMPTY, row.tracking_id
    try:
        text = schemas.Comment().load({"text": text[:2000]})["text"]
        reporter_actions.comment(tx, row, text, now)
    except ValidationError as exc:
        return replies.refused(field_errors(exc.messages)[0]["message"]), row.tracking_id
    except WrongState:
        return replies.CANNOT, row.tracking_id
    return replies.commented(row.tracking_id, plain), row.tracking_id


def _feedback(tx, row, message, now):
    """PUAS / TIDAK PUAS: what POST /reports/<id>/feedback does, the same validation and code."""
    if row.status != lifecycle.AWAITING_FEEDBACK:
        return replies.not_awaiting_feedback(row.tracking_id, row.status), row.tracking_id
    raw = {"satisfied": message.satisfied, "note": message.text[:1000] or None}
    try:
        data = schemas.Feedback().load(raw)
        reporter_actions.feedback(tx, row, data["satisfied"], data["note"], now)
    except ValidationError as exc:
        return replies.refused(field_errors(exc.messages)[0]["message"]), row.tracking_id
    except WrongState:  # answered already, before routing moved it on
        return replies.FEEDBACK_GIVEN, row.tracking_id
    return replies.feedback_taken(row.tracking_id, data["satisfied"]), row.tracking_id


def _iso(day):
    return day.isoformat() if day else None
