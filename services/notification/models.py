"""Tables notification owns: in-app inbox messages, and every delivery on an outside channel."""

from pathlib import Path

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

# its schema's history: services/notification/migrations (shared.migrations)
metadata = MetaData(info={"migrations": Path(__file__).parent / "migrations"})

messages = Table(
    "inbox_messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # "report:<tracking id>" for a reporter, "agency:<code>" for an agency's staff
    Column("recipient", String(96), nullable=False, index=True),
    Column("event_id", String(32), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("tracking_id", String(24), nullable=True),
    Column("language", String(2), nullable=False),
    Column("text_id", String(1000), nullable=False),
    Column("text_en", String(1000), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("read_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("event_id", "recipient", "kind", name="uq_message_event_recipient"),
)

# One row per (event, recipient, channel): the unique key is what keeps a message from being
# sent twice when the event is redelivered. Addresses are not stored: they are fetched from
# intake at send time, so a confidential reporter's phone number lives in one place only.
deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(32), nullable=False),
    Column("recipient", String(96), nullable=False),
    Column("channel", String(16), nullable=False),  # email, sms, twitter_dm, webhook
    Column("kind", String(32), nullable=False),
    Column("language", String(2), nullable=False),
    Column("context", JSON, nullable=False),
    # queued, sent, delivered (the SMSC reported every part delivered), failed, dead, skipped
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("claimed_until", DateTime(timezone=True), nullable=True),
    Column("last_error", String(200), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    # SMS: parts sent in the last attempt, a bit per part reported delivered, and when all were
    Column("parts", Integer, nullable=True),
    Column("delivered_parts", Integer, nullable=True),
    Column("delivered_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("event_id", "recipient", "channel", name="uq_delivery"),
)
Index("ix_deliveries_due", deliveries.c.status, deliveries.c.next_attempt_at)

# A report archived as a duplicate: its reporter follows the original from then on and hears
# of the original's later steps (SPEC §2, §4). Only originals whose content the public may see.
followers = Table(
    "followers",
    metadata,
    Column("original_tracking_id", String(24), primary_key=True),
    Column("follower_tracking_id", String(24), primary_key=True),
    Column("since", DateTime(timezone=True), nullable=False),
)
