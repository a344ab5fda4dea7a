"""Tables the agency registry owns."""

from sqlalchemy import Boolean, Column, DateTime, Index, Integer, MetaData, String, Table

metadata = MetaData()

agencies = Table(
    "agencies",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("name", String(255), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("parent_code", String(64), nullable=True, index=True),
    # materialised path "/ROOT/PROV-73/KAB-73-11/": ancestors are in it, a subtree is a prefix
    Column("path", String(1024), nullable=False),
    Column("status", String(16), nullable=False, default="active"),
    Column("is_coordinator", Boolean, nullable=False, default=False),
    Column("verification_mode", String(16), nullable=False, default="auto"),
    Column("timezone", String(32), nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_agencies_path", agencies.c.path)

jurisdictions = Table(
    "agency_jurisdictions",
    metadata,
    Column("agency_code", String(64), primary_key=True),
    Column("region_code", String(16), primary_key=True, index=True),
)

competencies = Table(
    "agency_competencies",
    metadata,
    Column("agency_code", String(64), primary_key=True),
    Column("category_id", String(96), primary_key=True, index=True),
)
