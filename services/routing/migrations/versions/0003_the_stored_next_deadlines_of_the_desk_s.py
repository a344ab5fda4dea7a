"""the stored next deadlines of the desk's sort=due and overdue

Revision 0003, after 0002.
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0003"
down_revision = "0002"


def upgrade():
    with op.batch_alter_table("dispositions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("overdue_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_dispositions_agency_due",
            ["agency_code", "next_due_at", "tracking_id"],
            unique=False,
        )
    # the reports routed before: their deadlines as clocks.refresh stores them (the clock
    # names are deadlines.OVERDUE_CLOCKS as of this revision)
    op.execute(BACKFILL)


BACKFILL = sa.text(
    """
    UPDATE dispositions SET
        next_due_at = (
            SELECT min(clocks.due_at) FROM clocks
            WHERE clocks.tracking_id = dispositions.tracking_id AND clocks.stopped_at IS NULL
        ),
        overdue_at = (
            SELECT min(clocks.due_at) FROM clocks
            WHERE clocks.tracking_id = dispositions.tracking_id AND clocks.stopped_at IS NULL
            AND clocks.clock IN ('verification', 'first_followup', 'resolution')
        )
    """
)


def downgrade():
    with op.batch_alter_table("dispositions", schema=None) as batch_op:
        batch_op.drop_index("ix_dispositions_agency_due")
        batch_op.drop_column("overdue_at")
        batch_op.drop_column("next_due_at")
