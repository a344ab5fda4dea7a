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
        "clocks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tracking_id", sa.String(length=24), nullable=False),
        sa.Column("clock", sa.String(length=16), nullable=False),
        sa.Column("agency_code", sa.String(length=64), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("remind_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("breached_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tracking_id", "clock", name="uq_clocks_report_clock"),
    )
    with op.batch_alter_table("clocks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_clocks_due", ["stopped_at", "breached_at", "due_at"], unique=False
        )
        batch_op.create_index(
            "ix_clocks_remind", ["stopped_at", "reminded_at", "remind_at"], unique=False
        )

    op.create_table(
        "closed_reports",
        sa.Column("tracking_id", sa.String(length=24), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tracking_id"),
    )
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tracking_id", sa.String(length=24), nullable=False),
        sa.Column("staff_id", sa.String(length=64), nullable=True),
        sa.Column("staff_username", sa.String(length=64), nullable=False),
        sa.Column("staff_agency_code", sa.String(length=64), nullable=True),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("rerouted", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("corrections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_corrections_tracking_id"), ["tracking_id"], unique=False
        )

    op.create_table(
        "declines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tracking_id", sa.String(length=24), nullable=False),
        sa.Column("agency_code", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("suggested_agency_code", sa.String(length=64), nullable=True),
        sa.Column("staff_id", sa.String(length=64), nullable=True),
        sa.Column("staff_username", sa.String(length=64), nullable=True),
        sa.Column("idempotency_key", sa.String(length=128), nullable=True),
        sa.Column("declined_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tracking_id", "idempotency_key", name="uq_declines_key"),
    )
    with op.batch_alter_table("declines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_declines_tracking_id"), ["tracking_id"], unique=False)

    op.create_table(
        "dispositions",
        sa.Column("tracking_id", sa.String(length=24), nullable=False),
        sa.Column("agency_code", sa.String(length=64), nullable=False),
        sa.Column("category_id", sa.String(length=96), nullable=False),
        sa.Column("region_code", sa.String(length=16), nullable=False),
        sa.Column("privacy", sa.String(length=16), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("routed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agency_name", sa.String(length=255), nullable=True),
        sa.Column("classification", sa.String(length=32), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("supervision", sa.Boolean(), nullable=True),
        sa.Column("target_agency_code", sa.String(length=64), nullable=True),
        sa.Column("proposed_agency_code", sa.String(length=64), nullable=True),
        sa.Column("proposed_rule", sa.String(length=32), nullable=True),
        sa.Column("proposed_trace", sa.JSON(), nullable=True),
        sa.Column("coordinator_code", sa.String(length=64), nullable=True),
        sa.Column("queue_reason", sa.String(length=32), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("field_inspection", sa.Boolean(), nullable=True),
        sa.Column("unsatisfied_rounds", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("archived_reason", sa.String(length=32), nullable=True),
        sa.Column("duplicate_of", sa.String(length=24), nullable=True),
        sa.PrimaryKeyConstraint("tracking_id"),
    )
    with op.batch_alter_table("dispositions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dispositions_agency_code"), ["agency_code"], unique=False
        )
        batch_op.create_index("ix_dispositions_received", ["received_at"], unique=False)

    op.create_table(
        "followups",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tracking_id", sa.String(length=24), nullable=False),
        sa.Column("agency_code", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("final", sa.Boolean(), nullable=False),
        sa.Column("field_inspection", sa.Boolean(), nullable=False),
        sa.Column("staff_id", sa.String(length=64), nullable=True),
        sa.Column("staff_username", sa.String(length=64), nullable=True),
        sa.Column("idempotency_key", sa.String(length=128), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tracking_id", "idempotency_key", name="uq_followups_key"),
    )
    with op.batch_alter_table("followups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_followups_tracking_id"), ["tracking_id"], unique=False)

    op.create_table(
        "readers",
        sa.Column("tracking_id", sa.String(length=24), nullable=False),
        sa.Column("agency_code", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tracking_id", "agency_code", "kind"),
    )
    with op.batch_alter_table("readers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_readers_agency_code"), ["agency_code"], unique=False)

    op.create_table(
        "routing_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tracking_id", sa.String(length=24), nullable=False),
        sa.Column("agency_code", sa.String(length=64), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("trace", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=True),
        sa.Column("from_agency_code", sa.String(length=64), nullable=True),
        sa.Column("proposed_agency_code", sa.String(length=64), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=True),
        sa.Column("actor_agency_code", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("routing_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_routing_history_tracking_id"), ["tracking_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("routing_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_routing_history_tracking_id"))

    op.drop_table("routing_history")
    with op.batch_alter_table("readers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_readers_agency_code"))

    op.drop_table("readers")
    with op.batch_alter_table("followups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_followups_tracking_id"))

    op.drop_table("followups")
    with op.batch_alter_table("dispositions", schema=None) as batch_op:
        batch_op.drop_index("ix_dispositions_received")
        batch_op.drop_index(batch_op.f("ix_dispositions_agency_code"))

    op.drop_table("dispositions")
    with op.batch_alter_table("declines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declines_tracking_id"))

    op.drop_table("declines")
    with op.batch_alter_table("corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_corrections_tracking_id"))

    op.drop_table("corrections")
    op.drop_table("closed_reports")
    with op.batch_alter_table("clocks", schema=None) as batch_op:
        batch_op.drop_index("ix_clocks_remind")
        batch_op.drop_index("ix_clocks_due")

    op.drop_table("clocks")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_unpublished")

    op.drop_table("outbox")
    op.drop_table("inbox")
