"""when an import's history ends

Revision 0004, after 0003.
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0004"
down_revision = "0003"


# the import's as_of (shared.importing): every batch, resumed run and service read the file alike
def upgrade():
    with op.batch_alter_table("import_checkpoints") as table:
        table.add_column(sa.Column("as_of", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("import_checkpoints") as table:
        table.drop_column("as_of")
