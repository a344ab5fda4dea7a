"""temporary passwords after a reset

Revision 0003, after 0002.
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0003"
down_revision = "0002"


def upgrade():
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("tokens_from", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_column("tokens_from")
        batch_op.drop_column("must_change_password")
