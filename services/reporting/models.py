"""Tables reporting owns: the journal of every event applied, and the projection built from it."""

from sqlalchemy import JSON, Column, DateTime, Integer, MetaData, String, Table

metadata = MetaData()

journal = Table(
    "journal",
    metadata,
    Column("event_id", String(32), primary_key=True),
    Column("event_type", String(64), nullable=False),
    Column("aggregate_id", String(64), nullable=False, index=True),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("body", JSON, nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=True),
)

# One row per report: where it stands. status_rank keeps a late, older event from moving a
# report back (events can arrive out of order).
report_facts = Table(
    "report_facts",
    metadata,
    Column("tracking_id", String(24), primary_key=True),
    Column("status", String(32), nullable=False),
    Column("status_rank", Integer, nullable=False),
    Column("agency_code", String(64), nullable=True, index=True),
    Column("agency_name", String(255), nullable=True),
    Column("category_id", String(96), nullable=True),
    Column("region_code", String(16), nullable=True),
    Column("privacy", String(16), nullable=True),
    Column("channel", String(16), nullable=True),
    Column("submitted_at", DateTime(timezone=True), nullable=True),
    Column("routed_at", DateTime(timezone=True), nullable=True),
)
