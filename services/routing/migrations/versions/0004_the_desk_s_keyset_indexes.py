"""the desk's keyset indexes

Revision 0004, after 0003.
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0004"
down_revision = "0003"


def upgrade():
    with op.batch_alter_table("dispositions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispositions_received"))
        batch_op.create_index(
            "ix_dispositions_agency_received",
            ["agency_code", "received_at", "tracking_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_dispositions_received_id", ["received_at", "tracking_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("dispositions", schema=None) as batch_op:
        batch_op.drop_index("ix_dispositions_received_id")
        batch_op.drop_index("ix_dispositions_agency_received")
        batch_op.create_index(batch_op.f("ix_dispositions_received"), ["received_at"], unique=False)
