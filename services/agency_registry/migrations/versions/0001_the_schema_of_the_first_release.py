"""the schema of the first release

Revision 0001, after nothing.
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0001"
down_revision = None


def upgrade():
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(length=128), nullable=False),
        sa.Column("event_id", sa.String(length=32), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=32), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("exchange", sa.String(length=128), nullable=True),
        sa.Column("routing_key", sa.String(length=255), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_unpublished", ["published_at", "id"], unique=False)

    op.create_table(
        "agencies",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("parent_code", sa.String(length=64), nullable=True),
        sa.Column(
            "path",
            sa.String(length=1024).with_variant(
                sa.String(length=1024, collation="C"), "postgresql"
            ),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("is_coordinator", sa.Boolean(), nullable=False),
        sa.Column("verification_mode", sa.String(length=16), nullable=False),
        sa.Column("timezone", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=True),
        sa.Column("template_version", sa.Integer(), nullable=True),
        sa.Column("registered_by", sa.String(length=32), nullable=True),
        sa.Column("status_reason", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("code"),
    )
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agencies_parent_code"), ["parent_code"], unique=False)
        batch_op.create_index("ix_agencies_path", ["path"], unique=False)
        batch_op.create_index("ix_agencies_revision", ["revision"], unique=False)

    op.create_table(
        "agency_competencies",
        sa.Column("agency_code", sa.String(length=64), nullable=False),
        sa.Column("category_id", sa.String(length=96), nullable=False),
        sa.PrimaryKeyConstraint("agency_code", "category_id"),
    )
    with op.batch_alter_table("agency_competencies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agency_competencies_category_id"), ["category_id"], unique=False
        )

    op.create_table(
        "agency_jurisdictions",
        sa.Column("agency_code", sa.String(length=64), nullable=False),
        sa.Column("region_code", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("agency_code", "region_code"),
    )
    with op.batch_alter_table("agency_jurisdictions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agency_jurisdictions_region_code"), ["region_code"], unique=False
        )

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.Column("actor_name", sa.String(length=64), nullable=False),
        sa.Column("actor_role", sa.String(length=32), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target_type", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.String(length=64), nullable=False),
        sa.Column("agency_code", sa.String(length=64), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("correlation_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_agency", ["agency_code", "id"], unique=False)

    op.create_table(
        "registry_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("agency_code", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_agency_code"), ["agency_code"], unique=False)

    op.create_table(
        "staff_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("staff_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("staff_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staff_changes_changed_at"), ["changed_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("staff_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_changes_changed_at"))

    op.drop_table("staff_changes")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_agency_code"))

    op.drop_table("staff")
    op.drop_table("registry_revision")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_agency")

    op.drop_table("audit_log")
    with op.batch_alter_table("agency_jurisdictions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agency_jurisdictions_region_code"))

    op.drop_table("agency_jurisdictions")
    with op.batch_alter_table("agency_competencies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agency_competencies_category_id"))

    op.drop_table("agency_competencies")
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.drop_index("ix_agencies_revision")
        batch_op.drop_index("ix_agencies_path")
        batch_op.drop_index(batch_op.f("ix_agencies_parent_code"))

    op.drop_table("agencies")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_unpublished")

    op.drop_table("outbox")
    op.drop_table("inbox")
