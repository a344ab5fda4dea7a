"""the public listing's keyset index

Revision 0004, after 0003.
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0004"
down_revision = "0003"

# what the public may list, as services/intake/models.py LISTED says it (as of this revision)
LISTED = sa.text(
    "status IN ('dispatched', 'in_progress', 'awaiting_feedback', 'completed') "
    "AND privacy != 'confidential'"
)


def upgrade():
    # a database made whole by a release before the histories may hold it already
    op.create_index(
        "ix_reports_listed",
        "reports",
        ["submitted_at", "tracking_id", "category_id", "region_code", "status"],
        unique=False,
        postgresql_where=LISTED,
        sqlite_where=LISTED,
        if_not_exists=True,
    )


def downgrade():
    op.drop_index("ix_reports_listed", table_name="reports", if_exists=True)
