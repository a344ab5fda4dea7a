"""Tables intake owns: reports (with the reporter's identity) and their timelines."""

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

reports = Table(
    "reports",
    metadata,
    Column("tracking_id", String(24), primary_key=True),
    Column("idempotency_key", String(128), nullable=True, unique=True),
    Column("classification", String(32), nullable=False),
    Column("category_id", String(96), nullable=False),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("event_date", Date, nullable=True),
    Column("region_code", String(16), nullable=False),
    Column("address", String(500), nullable=True),
    Column("latitude", Float, nullable=True),
    Column("longitude", Float, nullable=True),
    Column("target_agency_code", String(64), nullable=True),
    Column("privacy", String(16), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("language", String(2), nullable=False),
    # identity: never in an event, a log line or a public view (SPEC §3)
    Column("reporter_name", String(100), nullable=True),
    Column("reporter_phone", String(20), nullable=True),
    Column("reporter_email", String(254), nullable=True),
    Column("status", String(32), nullable=False),
    Column("agency_code", String(64), nullable=True),
    Column("agency_name", String(255), nullable=True),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

timeline = Table(
    "timeline",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tracking_id", String(24), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("status", String(32), nullable=False),
    Column("text_id", String(500), nullable=False),
    Column("text_en", String(500), nullable=False),
)
