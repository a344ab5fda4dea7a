"""the public listing's keyset index

Revision 0003, after 0002.
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0003"
down_revision = "0002"


def upgrade():
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reports_listed",
            ["submitted_at", "tracking_id", "category_id", "region_code", "status"],
            unique=False,
            postgresql_where=sa.text(
                "status IN ('dispatched', 'in_progress', 'awaiting_feedback', 'completed') AND privacy != 'confidential'"
            ),
            sqlite_where=sa.text(
                "status IN ('dispatched', 'in_progress', 'awaiting_feedback', 'completed') AND privacy != 'confidential'"
            ),
        )


def downgrade():
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_reports_listed",
            postgresql_where=sa.text(
                "status IN ('dispatched', 'in_progress', 'awaiting_feedback', 'completed') AND privacy != 'confidential'"
            ),
            sqlite_where=sa.text(
                "status IN ('dispatched', 'in_progress', 'awaiting_feedback', 'completed') AND privacy != 'confidential'"
            ),
        )
