"""the desk's keyset indexes

Revision 0005, after 0004.
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0005"
down_revision = "0004"


def upgrade():
    # the desk's pages newest (or oldest) first, the tracking id breaking ties: of the whole
    # tree, and of one agency's reports, its status beside for the totals
    # (services/routing/desk/listing.py)
    op.drop_index("ix_dispositions_received", table_name="dispositions", if_exists=True)
    # its leading column serves what this one did
    op.drop_index("ix_dispositions_agency_code", table_name="dispositions", if_exists=True)
    op.create_index(
        "ix_dispositions_received_id",
        "dispositions",
        ["received_at", "tracking_id"],
        if_not_exists=True,
    )
    op.create_index(
        "ix_dispositions_agency_received",
        "dispositions",
        ["agency_code", "received_at", "tracking_id", "status"],
        if_not_exists=True,
    )


def downgrade():
    op.drop_index("ix_dispositions_agency_received", table_name="dispositions", if_exists=True)
    op.drop_index("ix_dispositions_received_id", table_name="dispositions", if_exists=True)
    op.create_index("ix_dispositions_received", "dispositions", ["received_at"])
    op.create_index("ix_dispositions_agency_code", "dispositions", ["agency_code"])
