"""the blob sweep's index

Revision 0006, after 0005.
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0006"
down_revision = "0005"


# shared.blob_sweep asks which of some digests the attachments name
def upgrade():  # a database made whole by a release before the histories may hold it
    op.create_index("ix_attachments_sha256", "attachments", ["sha256"], if_not_exists=True)


def downgrade():
    op.drop_index("ix_attachments_sha256", table_name="attachments", if_exists=True)
