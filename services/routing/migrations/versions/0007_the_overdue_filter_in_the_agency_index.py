"""the overdue filter in the agency index

Revision 0007, after 0006.
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0007"
down_revision = "0006"

# the desk's overdue filter (overdue=true / false) of one agency's or a province's page and
# totals, read from ix_dispositions_agency_received alone (services/routing/desk/listing.py):
# without overdue_at beside the status, each row the index gave was looked up in the table to
# be filtered (at 1M reports, p99 of 93 ms for one busy agency's overdue list and 157 ms for
# its province's on SQLite, 63 ms for the province's on PostgreSQL)
BEFORE = ["agency_code", "received_at", "tracking_id", "status"]


def upgrade():
    op.drop_index("ix_dispositions_agency_received", table_name="dispositions", if_exists=True)
    op.create_index("ix_dispositions_agency_received", "dispositions", [*BEFORE, "overdue_at"])


def downgrade():
    op.drop_index("ix_dispositions_agency_received", table_name="dispositions", if_exists=True)
    op.create_index("ix_dispositions_agency_received", "dispositions", BEFORE)
