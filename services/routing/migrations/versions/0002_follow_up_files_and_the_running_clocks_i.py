"""follow-up files and the running clocks index

Revision 0002, after 0001.
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0002"
down_revision = "0001"


def upgrade():
    op.create_table(
        "followup_files",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("followup_id", sa.Integer(), nullable=False),
        sa.Column("tracking_id", sa.String(length=24), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("followup_files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_followup_files_followup_id"), ["followup_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_followup_files_tracking_id"), ["tracking_id"], unique=False
        )

    with op.batch_alter_table("clocks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_clocks_running_due",
            ["tracking_id", "due_at"],
            unique=False,
            postgresql_where=sa.text("stopped_at IS NULL"),
            sqlite_where=sa.text("stopped_at IS NULL"),
        )


def downgrade():
    with op.batch_alter_table("clocks", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_clocks_running_due",
            postgresql_where=sa.text("stopped_at IS NULL"),
            sqlite_where=sa.text("stopped_at IS NULL"),
        )

    with op.batch_alter_table("followup_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_followup_files_tracking_id"))
        batch_op.drop_index(batch_op.f("ix_followup_files_followup_id"))

    op.drop_table("followup_files")
