"""Tables intake owns: reports (with the reporter's identity), their timelines, reporter
accounts, attachments, the channel messages already answered, and Open311 API keys."""

from pathlib import Path

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    func,
    literal_column,
)

from services.intake.open311.georeport import PUBLIC_STATUSES
from shared.importing import checkpoint_table
from shared.privacy import CONFIDENTIAL

# its schema's history: services/intake/migrations (shared.migrations)
metadata = MetaData(info={"migrations": Path(__file__).parent / "migrations"})

reports = Table(
    "reports",
    metadata,
    Column("tracking_id", String(24), primary_key=True),
    # idempotency.scoped(door, client, key): the Idempotency-Key or a channel's own message id,
    # bound to its client; request_digest: the payload it first came with
    Column("idempotency_key", String(160), nullable=True, unique=True),
    Column("request_digest", String(64), nullable=True),
    Column("classification", String(32), nullable=False),
    Column("category_id", String(96), nullable=True),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("event_date", Date, nullable=True),
    Column("region_code", String(16), nullable=True),
    Column("address", String(500), nullable=True),
    Column("latitude", Float, nullable=True),
    Column("longitude", Float, nullable=True),
    Column("parties", JSON, nullable=True),  # [{"name": "…", "role": "…"}]
    Column("target_agency_code", String(64), nullable=True),
    Column("privacy", String(16), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("language", String(2), nullable=False),
    # identity: never in an event, a log line or a public view (SPEC §3, shared.privacy)
    Column("reporter_id", String(32), nullable=True, index=True),
    Column("reporter_name", String(100), nullable=True),
    Column("reporter_phone", String(20), nullable=True, index=True),
    Column("reporter_email", String(254), nullable=True),
    Column("reporter_handle", String(64), nullable=True),
    Column("reporter_social_id", String(32), nullable=True, index=True),
    Column("on_behalf_of", JSON, nullable=True),  # {"name": "…", "nik": "…", "relation": "…"}
    Column("report_key_hash", String(64), nullable=True),  # lets an account-less reporter act
    Column("integrator", String(64), nullable=True),  # the Open311 client that filed it
    Column("open311_token", String(32), nullable=True, unique=True),
    Column("status", String(32), nullable=False),
    Column("missing", JSON, nullable=True),  # item codes while returned
    Column("deadline_at", DateTime(timezone=True), nullable=True),  # returned: archive after
    Column("archived_reason", String(32), nullable=True),
    Column("unsatisfied_rounds", Integer, nullable=False, default=0),
    Column("agency_code", String(64), nullable=True),
    Column("agency_name", String(255), nullable=True),
    # routing's disposition version last mirrored (routing decides the status after submission)
    Column("routing_version", Integer, nullable=True),
    # … and of the last routing event that said what the report is about (category, region, …)
    Column("fields_version", Integer, nullable=True),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_reports_status_deadline", reports.c.status, reports.c.deadline_at)
Index("ix_reports_public", reports.c.status, reports.c.submitted_at)


def _constant(text: str):
    """A constant of the code written into the SQL itself (not a bound parameter), so that
    SQLite sees a query's terms as the partial index's own."""
    return literal_column("'" + text.replace("'", "''") + "'")


# What the public may list (SPEC §3: a public status, never a confidential report), the terms
# of the public listing (listing.py) and of its index alike. The index holds the listing in its
# order (newest first, the tracking id breaking ties) with the filtered columns beside, so
# a page is read in order and a filter is checked without reading the rows it rejects.
LISTED = (
    reports.c.status.in_([_constant(s) for s in PUBLIC_STATUSES]),
    reports.c.privacy != _constant(CONFIDENTIAL),
)
Index(
    "ix_reports_listed",
    reports.c.submitted_at,
    reports.c.tracking_id,
    reports.c.category_id,
    reports.c.region_code,
    reports.c.status,
    postgresql_where=and_(*LISTED),
    sqlite_where=and_(*LISTED),
)
# the desk's word search (staff_search.py: each word LIKE '%…%' in lower(title) or lower(body))
# reads trigram GIN indexes on PostgreSQL, made with the pg_trgm extension by migration 0002.
# SQLite scans.
for _column in ("title", "body"):
    Index(
        f"ix_reports_{_column}_trgm",
        func.lower(reports.c[_column]).label(f"{_column}_lower"),
        postgresql_using="gin",
        postgresql_ops={f"{_column}_lower": "gin_trgm_ops"},
    ).ddl_if(dialect="postgresql")

timeline = Table(
    "timeline",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tracking_id", String(24), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("status", String(32), nullable=False),
    Column("text_id", String(500), nullable=False),
    Column("text_en", String(500), nullable=False),
    Column("kind", String(16), nullable=True),  # status | comment | supplement | feedback
    Column("actor", String(16), nullable=True),  # reporter | system | agency
    Column("note", Text, nullable=True),  # the reporter's own words (comment, feedback)
    # an agency follow-up's files: [{"id", "name", "media_type", "size"}]; routing keeps them
    Column("files", JSON, nullable=True),
)

reporters = Table(
    "reporters",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("username", String(32), nullable=False, unique=True),
    Column("nik", String(16), nullable=False, unique=True),
    Column("full_name", String(100), nullable=False),
    Column("display_name", String(60), nullable=False),
    Column("gender", String(8), nullable=False),
    Column("birth_date", Date, nullable=False),
    Column("occupation", String(100), nullable=True),
    Column("phone", String(20), nullable=False, unique=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("language", String(2), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

attachments = Table(
    "attachments",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("tracking_id", String(24), nullable=True, index=True),
    Column("name", String(255), nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),  # shared.blob_sweep asks
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
)

# every SMS and Twitter message already handled, with the answer it got: a gateway's retry of
# the same message id from the same sender gets the same answer and changes nothing. A message
# id is unique per sender only (another phone may send the same one): the sender is part of
# the key, as a digest (idempotency.scoped), so this table holds no phone number.
received_messages = Table(
    "answered_messages",
    metadata,
    Column("channel", String(16), primary_key=True),
    Column("sender", String(64), primary_key=True),
    Column("message_id", String(128), primary_key=True),
    Column("tracking_id", String(24), nullable=True),
    Column("reply", String(1000), nullable=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
)

open311_keys = Table(
    "open311_keys",
    metadata,
    Column("key_hash", String(64), primary_key=True),
    Column("integrator", String(64), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("integrator", name="uq_open311_integrator"),
)

# SPEC §3: every time a coordinator sees a confidential reporter's identity, it is recorded
identity_reads = Table(
    "identity_reads",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tracking_id", String(24), nullable=False, index=True),
    Column("staff_id", String(64), nullable=False),
    Column("username", String(100), nullable=False),
    Column("role", String(32), nullable=False),
    Column("agency_code", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# SPEC §4 "archive as duplicate": each submitted report's words, normalised once at submission
# (services.intake.duplicates), keyed by where and what it is about, so a coordinator's lookup
# reads only the reports of one regency and category family in a 60-day window
duplicate_keys = Table(
    "duplicate_keys",
    metadata,
    Column("tracking_id", String(24), primary_key=True),
    Column("regency", String(16), nullable=False),
    Column("family", String(96), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("words", Text, nullable=False),  # sorted distinct words, stop words dropped
)
Index(
    "ix_duplicate_keys_place",
    duplicate_keys.c.regency,
    duplicate_keys.c.family,
    duplicate_keys.c.submitted_at,
)

# where each history import (satupintu import, shared.importing) stopped, in this database
import_checkpoints = checkpoint_table(metadata)
