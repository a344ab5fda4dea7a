"""Tables the agency registry owns."""

from pathlib import Path

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
)

# its schema's history: services/agency_registry/migrations (shared.migrations)
metadata = MetaData(info={"migrations": Path(__file__).parent / "migrations"})

# Byte order for the materialised path on PostgreSQL: a subtree is then one index range scan
# whatever the database's collation (an en_US collation would ignore the '/' and '-').
PathString = String(1024).with_variant(String(1024, collation="C"), "postgresql")

agencies = Table(
    "agencies",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("name", String(255), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("parent_code", String(64), nullable=True, index=True),
    # materialised path "/ROOT/PROV-73/KAB-73-11/": ancestors are in it, a subtree is a prefix
    Column("path", PathString, nullable=False),
    Column("status", String(16), nullable=False, default="active"),
    Column("is_coordinator", Boolean, nullable=False, default=False),
    Column("verification_mode", String(16), nullable=False, default="auto"),
    Column("timezone", String(32), nullable=False),
    # +1 on every change of this agency: consumers keep the highest version they have seen
    Column("version", Integer, nullable=False, default=1),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # the registry revision (registry_revision) of the transaction that last changed it
    Column("revision", Integer, nullable=True),
    # the version the national template last wrote; another version means people edited it
    Column("template_version", Integer, nullable=True),
    Column("registered_by", String(32), nullable=True),  # staff id; None for the template
    Column("status_reason", String(500), nullable=True),
)
Index("ix_agencies_path", agencies.c.path)
Index("ix_agencies_revision", agencies.c.revision)

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

# One row: the registry's revision, +1 for every transaction that changes any agency.
registry_revision = Table(
    "registry_revision",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("revision", Integer, nullable=False),
)

staff = Table(
    "staff",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("full_name", String(200), nullable=False),
    Column("email", String(254), nullable=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(32), nullable=False),
    Column("agency_code", String(64), nullable=False, index=True),
    Column("status", String(16), nullable=False),  # 'active' | 'deactivated'
    Column("version", Integer, nullable=False, default=1),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(32), nullable=True),
    # what the person wants by email beyond the in-app inbox (staff_mail.TOPICS); none: nothing
    Column("email_topics", JSON, nullable=True),
    # after an admin's reset: the temporary password works only to set a new one
    Column("must_change_password", Boolean, nullable=True),
    # ... and only until then (staff.TEMPORARY_FOR after it was made); none: no temporary password
    Column("temporary_until", DateTime(timezone=True), nullable=True),
    # the lowest token version still accepted (a reset ends the sessions opened before it)
    Column("tokens_from", Integer, nullable=True),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor_id", String(64), nullable=False),  # a staff id, or "cli:<command>"
    Column("actor_name", String(64), nullable=False),
    Column("actor_role", String(32), nullable=True),
    Column("action", String(64), nullable=False),  # e.g. "agency.approve", "staff.create"
    Column("target_type", String(16), nullable=False),  # 'agency' | 'staff' | 'template'
    Column("target_id", String(64), nullable=False),
    # the agency the entry is about (a staff member's agency): scopes who may read it
    Column("agency_code", String(64), nullable=True),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
    Column("reason", String(500), nullable=True),
    Column("correlation_id", String(64), nullable=True),
)
Index("ix_audit_agency", audit_log.c.agency_code, audit_log.c.id)

# Every change to a staff account's authority (status, role, agency), as staff_changed told
# the other services; the staff_changes RPC lists those of the last token lifetime to a
# process that starts, so it learns what it missed while it was down.
staff_changes = Table(
    "staff_changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("staff_id", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False, index=True),
)
