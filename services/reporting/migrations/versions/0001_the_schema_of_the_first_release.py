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
        "agencies",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=True),
        sa.Column("path", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("government_code", sa.String(length=64), nullable=True),
        sa.Column("province_code", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "dispatches",
        sa.Column("tracking_id", sa.String(length=32), nullable=False),
        sa.Column("hop", sa.Integer(), nullable=False),
        sa.Column("agency_code", sa.String(length=64), nullable=False),
        sa.Column("government_code", sa.String(length=64), nullable=True),
        sa.Column("province_code", sa.String(length=64), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.Column("declined", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("tracking_id", "hop"),
    )
    with op.batch_alter_table("dispatches", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dispatches_agency_code"), ["agency_code"], unique=False
        )

    op.create_table(
        "figures",
        sa.Column("scope_kind", sa.String(length=1), nullable=False),
        sa.Column("scope_code", sa.String(length=64), nullable=False),
        sa.Column("grain", sa.String(length=1), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("parent_code", sa.String(length=64), nullable=True),
        sa.Column("reports", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("confidential", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("st_returned", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "st_awaiting_verification", sa.BigInteger(), server_default=sa.text("0"), nullable=False
        ),
        sa.Column("st_dispatched", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("st_in_progress", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "st_awaiting_feedback", sa.BigInteger(), server_default=sa.text("0"), nullable=False
        ),
        sa.Column("st_completed", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("st_archived", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("overdue", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "overdue_verification", sa.BigInteger(), server_default=sa.text("0"), nullable=False
        ),
        sa.Column(
            "overdue_first_followup", sa.BigInteger(), server_default=sa.text("0"), nullable=False
        ),
        sa.Column(
            "overdue_resolution", sa.BigInteger(), server_default=sa.text("0"), nullable=False
        ),
        sa.Column("ffu_settled", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ffu_on_time", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("res_settled", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("res_on_time", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("dispatches", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("declines", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("finals", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("reopened", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("feedbacks", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("satisfied", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("completed_silent", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ver_n", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ver_sum", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ver_b00", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ver_b01", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ver_b02", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ver_b03", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ver_b04", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ver_b05", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ver_b06", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ver_b07", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ver_b08", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ver_b09", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ver_b10", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ver_b11", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ver_b12", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ver_b13", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ver_b14", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ver_b15", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ver_b16", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ver_b17", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ver_b18", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ver_b19", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ver_b20", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ffu_n", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ffu_sum", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ffu_b00", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ffu_b01", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ffu_b02", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ffu_b03", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ffu_b04", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ffu_b05", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ffu_b06", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ffu_b07", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ffu_b08", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ffu_b09", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ffu_b10", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ffu_b11", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ffu_b12", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ffu_b13", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ffu_b14", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ffu_b15", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ffu_b16", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ffu_b17", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ffu_b18", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ffu_b19", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("ffu_b20", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("cmp_n", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("cmp_sum", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("cmp_b00", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("cmp_b01", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("cmp_b02", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("cmp_b03", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("cmp_b04", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("cmp_b05", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("cmp_b06", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("cmp_b07", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("cmp_b08", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("cmp_b09", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("cmp_b10", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("cmp_b11", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("cmp_b12", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("cmp_b13", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("cmp_b14", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("cmp_b15", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("cmp_b16", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("cmp_b17", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("cmp_b18", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("cmp_b19", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("cmp_b20", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("scope_kind", "scope_code", "grain", "day"),
    )
    with op.batch_alter_table("figures", schema=None) as batch_op:
        batch_op.create_index("ix_figures_grain", ["scope_kind", "grain", "day"], unique=False)
        batch_op.create_index(
            "ix_figures_parent", ["scope_kind", "parent_code", "grain", "day"], unique=False
        )

    op.create_table(
        "journal",
        sa.Column("event_id", sa.String(length=32), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("aggregate_id", sa.String(length=64), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("event_id"),
    )
    with op.batch_alter_table("journal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_journal_aggregate_id"), ["aggregate_id"], unique=False)

    op.create_table(
        "reports",
        sa.Column("tracking_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=True),
        sa.Column("classification", sa.String(length=32), nullable=True),
        sa.Column("category_id", sa.String(length=96), nullable=True),
        sa.Column("region_code", sa.String(length=16), nullable=True),
        sa.Column("privacy", sa.String(length=16), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=True),
        sa.Column("agency_code", sa.String(length=64), nullable=True),
        sa.Column("agency_name", sa.String(length=255), nullable=True),
        sa.Column("government_code", sa.String(length=64), nullable=True),
        sa.Column("province_code", sa.String(length=64), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_routed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verification_seconds", sa.BigInteger(), nullable=True),
        sa.Column("first_followup_seconds", sa.BigInteger(), nullable=True),
        sa.Column("completion_seconds", sa.BigInteger(), nullable=True),
        sa.Column("first_followup_settled", sa.Boolean(), nullable=False),
        sa.Column("first_followup_on_time", sa.Boolean(), nullable=False),
        sa.Column("resolution_settled", sa.Boolean(), nullable=False),
        sa.Column("resolution_on_time", sa.Boolean(), nullable=False),
        sa.Column("overdue_verification", sa.Boolean(), nullable=False),
        sa.Column("overdue_first_followup", sa.Boolean(), nullable=False),
        sa.Column("overdue_resolution", sa.Boolean(), nullable=False),
        sa.Column("final", sa.Boolean(), nullable=False),
        sa.Column("reopened", sa.Boolean(), nullable=False),
        sa.Column("feedback", sa.Boolean(), nullable=False),
        sa.Column("satisfied", sa.Boolean(), nullable=False),
        sa.Column("completed_silent", sa.Boolean(), nullable=False),
        sa.Column("visited", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tracking_id"),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reports_agency_code"), ["agency_code"], unique=False)


def downgrade():
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reports_agency_code"))

    op.drop_table("reports")
    with op.batch_alter_table("journal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_journal_aggregate_id"))

    op.drop_table("journal")
    with op.batch_alter_table("figures", schema=None) as batch_op:
        batch_op.drop_index("ix_figures_parent")
        batch_op.drop_index("ix_figures_grain")

    op.drop_table("figures")
    with op.batch_alter_table("dispatches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispatches_agency_code"))

    op.drop_table("dispatches")
    op.drop_table("agencies")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_unpublished")

    op.drop_table("outbox")
    op.drop_table("inbox")
