"""the schema of the first release

Revision 0001, after nothing.
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0001"
down_revision = None


def upgrade():
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(length=128), nullable=False),
        sa.Column("event_id", sa.String(length=32), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=32), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("exchange", sa.String(length=128), nullable=True),
        sa.Column("routing_key", sa.String(length=255), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_unpublished", ["published_at", "id"], unique=False)

    op.create_table(
        "answered_messages",
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("sender", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=128), nullable=False),
        sa.Column("tracking_id", sa.String(length=24), nullable=True),
        sa.Column("reply", sa.String(length=1000), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel", "sender", "message_id"),
    )
    op.create_table(
        "attachments",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("tracking_id", sa.String(length=24), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attachments_tracking_id"), ["tracking_id"], unique=False
        )

    op.create_table(
        "duplicate_keys",
        sa.Column("tracking_id", sa.String(length=24), nullable=False),
        sa.Column("regency", sa.String(length=16), nullable=False),
        sa.Column("family", sa.String(length=96), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("words", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("tracking_id"),
    )
    with op.batch_alter_table("duplicate_keys", schema=None) as batch_op:
        batch_op.create_index(
            "ix_duplicate_keys_place", ["regency", "family", "submitted_at"], unique=False
        )

    op.create_table(
        "identity_reads",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tracking_id", sa.String(length=24), nullable=False),
        sa.Column("staff_id", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("agency_code", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("identity_reads", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_identity_reads_tracking_id"), ["tracking_id"], unique=False
        )

    op.create_table(
        "open311_keys",
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("integrator", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key_hash"),
        sa.UniqueConstraint("integrator", name="uq_open311_integrator"),
    )
    op.create_table(
        "reporters",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("username", sa.String(length=32), nullable=False),
        sa.Column("nik", sa.String(length=16), nullable=False),
        sa.Column("full_name", sa.String(length=100), nullable=False),
        sa.Column("display_name", sa.String(length=60), nullable=False),
        sa.Column("gender", sa.String(length=8), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("occupation", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
        sa.UniqueConstraint("nik"),
        sa.UniqueConstraint("phone"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "reports",
        sa.Column("tracking_id", sa.String(length=24), nullable=False),
        sa.Column("idempotency_key", sa.String(length=160), nullable=True),
        sa.Column("request_digest", sa.String(length=64), nullable=True),
        sa.Column("classification", sa.String(length=32), nullable=False),
        sa.Column("category_id", sa.String(length=96), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=True),
        sa.Column("region_code", sa.String(length=16), nullable=True),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("parties", sa.JSON(), nullable=True),
        sa.Column("target_agency_code", sa.String(length=64), nullable=True),
        sa.Column("privacy", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("reporter_id", sa.String(length=32), nullable=True),
        sa.Column("reporter_name", sa.String(length=100), nullable=True),
        sa.Column("reporter_phone", sa.String(length=20), nullable=True),
        sa.Column("reporter_email", sa.String(length=254), nullable=True),
        sa.Column("reporter_handle", sa.String(length=64), nullable=True),
        sa.Column("reporter_social_id", sa.String(length=32), nullable=True),
        sa.Column("on_behalf_of", sa.JSON(), nullable=True),
        sa.Column("report_key_hash", sa.String(length=64), nullable=True),
        sa.Column("integrator", sa.String(length=64), nullable=True),
        sa.Column("open311_token", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("missing", sa.JSON(), nullable=True),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("archived_reason", sa.String(length=32), nullable=True),
        sa.Column("unsatisfied_rounds", sa.Integer(), nullable=False),
        sa.Column("agency_code", sa.String(length=64), nullable=True),
        sa.Column("agency_name", sa.String(length=255), nullable=True),
        sa.Column("routing_version", sa.Integer(), nullable=True),
        sa.Column("fields_version", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tracking_id"),
        sa.UniqueConstraint("idempotency_key"),
        sa.UniqueConstraint("open311_token"),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index("ix_reports_public", ["status", "submitted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_reports_reporter_id"), ["reporter_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_reports_reporter_phone"), ["reporter_phone"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_reports_reporter_social_id"), ["reporter_social_id"], unique=False
        )
        batch_op.create_index("ix_reports_status_deadline", ["status", "deadline_at"], unique=False)

    op.create_table(
        "timeline",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tracking_id", sa.String(length=24), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("text_id", sa.String(length=500), nullable=False),
        sa.Column("text_en", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=True),
        sa.Column("actor", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("timeline", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_timeline_tracking_id"), ["tracking_id"], unique=False)


def downgrade():
    with op.batch_alter_table("timeline", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_timeline_tracking_id"))

    op.drop_table("timeline")
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index("ix_reports_status_deadline")
        batch_op.drop_index(batch_op.f("ix_reports_reporter_social_id"))
        batch_op.drop_index(batch_op.f("ix_reports_reporter_phone"))
        batch_op.drop_index(batch_op.f("ix_reports_reporter_id"))
        batch_op.drop_index("ix_reports_public")

    op.drop_table("reports")
    op.drop_table("reporters")
    op.drop_table("open311_keys")
    with op.batch_alter_table("identity_reads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_reads_tracking_id"))

    op.drop_table("identity_reads")
    with op.batch_alter_table("duplicate_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_duplicate_keys_place")

    op.drop_table("duplicate_keys")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachments_tracking_id"))

    op.drop_table("attachments")
    op.drop_table("answered_messages")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_unpublished")

    op.drop_table("outbox")
    op.drop_table("inbox")
