"""the blob sweep's index

Revision 0009, after 0008.
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0009"
down_revision = "0008"


# shared.blob_sweep asks which of some digests the followup_files name
def upgrade():  # a database made whole by a release before the histories may hold it
    op.create_index("ix_followup_files_sha256", "followup_files", ["sha256"], if_not_exists=True)


def downgrade():
    op.drop_index("ix_followup_files_sha256", table_name="followup_files", if_exists=True)
