"""Tables routing owns: who holds each report now, and every hop it took."""

from sqlalchemy import JSON, Column, DateTime, Integer, MetaData, String, Table

metadata = MetaData()

# One row per report: the agency holding it now. The primary key is what makes a report
# routed once, whatever the broker redelivers.
dispositions = Table(
    "dispositions",
    metadata,
    Column("tracking_id", String(24), primary_key=True),
    Column("agency_code", String(64), nullable=False, index=True),
    Column("category_id", String(96), nullable=False),
    Column("region_code", String(16), nullable=False),
    Column("privacy", String(16), nullable=False),
    Column("rule", String(32), nullable=False),
    Column("status", String(32), nullable=False),
    Column("routed_at", DateTime(timezone=True), nullable=False),
)

routing_history = Table(
    "routing_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tracking_id", String(24), nullable=False, index=True),
    Column("agency_code", String(64), nullable=False),
    Column("rule", String(32), nullable=False),
    Column("trace", JSON, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
