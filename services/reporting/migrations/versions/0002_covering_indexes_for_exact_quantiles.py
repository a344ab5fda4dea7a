"""covering indexes for exact quantiles

Revision 0002, after 0001.
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0002"
down_revision = "0001"


def upgrade():
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reports_agency_code_durations",
            [
                "agency_code",
                "day",
                "verification_seconds",
                "first_followup_seconds",
                "completion_seconds",
            ],
            unique=False,
        )
        batch_op.create_index(
            "ix_reports_day_durations",
            ["day", "verification_seconds", "first_followup_seconds", "completion_seconds"],
            unique=False,
        )
        batch_op.create_index(
            "ix_reports_government_code_durations",
            [
                "government_code",
                "day",
                "verification_seconds",
                "first_followup_seconds",
                "completion_seconds",
            ],
            unique=False,
        )
        batch_op.create_index(
            "ix_reports_province_code_durations",
            [
                "province_code",
                "day",
                "verification_seconds",
                "first_followup_seconds",
                "completion_seconds",
            ],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index("ix_reports_province_code_durations")
        batch_op.drop_index("ix_reports_government_code_durations")
        batch_op.drop_index("ix_reports_day_durations")
        batch_op.drop_index("ix_reports_agency_code_durations")
