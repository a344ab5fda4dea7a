"""timeline files and trigram search indexes

Revision 0002, after 0001.
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0002"
down_revision = "0001"


# the desk's word search reads these on PostgreSQL (services/intake/staff_search.py); written
# by hand: autogenerate does not see expression indexes. pg_trgm is a trusted extension the
# database's owner may create.
TRIGRAM_INDEXES = {"ix_reports_title_trgm": "title", "ix_reports_body_trgm": "body"}


def upgrade():
    with op.batch_alter_table("timeline", schema=None) as batch_op:
        batch_op.add_column(sa.Column("files", sa.JSON(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, column in TRIGRAM_INDEXES.items():
            op.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON reports USING gin (lower({column}) gin_trgm_ops)"
            )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name in TRIGRAM_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    with op.batch_alter_table("timeline", schema=None) as batch_op:
        batch_op.drop_column("files")
