"""Tables notification owns: in-app inbox messages."""

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

metadata = MetaData()

messages = Table(
    "inbox_messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # "report:<tracking id>" until reporters have accounts; staff get "staff:<id>"
    Column("recipient", String(64), nullable=False, index=True),
    Column("event_id", String(32), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("tracking_id", String(24), nullable=True),
    Column("language", String(2), nullable=False),
    Column("text_id", String(1000), nullable=False),
    Column("text_en", String(1000), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("read_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("event_id", "recipient", name="uq_message_event_recipient"),
)
