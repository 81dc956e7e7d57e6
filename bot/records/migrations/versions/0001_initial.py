"""Initial records schema: records and their status history.

Revision ID: 0001_initial
Revises:
Create Date: 2025-11-24

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0001_initial"
down_revision: Union[str, None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Frozen copies of the vocabularies at this revision (a later change to
# bot.records.models must come with its own revision).
KINDS = ("disclosure", "family_link_declaration", "service_proposal", "concern_report")
FILER_ROLES = ("parent", "staff", "pupil", "governor", "other")
STATUSES = ("pending", "approved", "declined", "received", "in_review", "referred", "closed")


def _in(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


def upgrade() -> None:
    op.create_table(
        "records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filer_role", sa.String(length=16), nullable=False),
        sa.Column("filer_name_encrypted", sa.Text(), nullable=True),
        sa.Column("filer_contact_encrypted", sa.Text(), nullable=True),
        sa.Column("account_encrypted", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.CheckConstraint(f"kind IN ({_in(KINDS)})", name=op.f("ck_records_kind")),
        sa.CheckConstraint(f"status IN ({_in(STATUSES)})", name=op.f("ck_records_status")),
        sa.CheckConstraint(f"filer_role IN ({_in(FILER_ROLES)})", name=op.f("ck_records_filer_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_records")),
        sa.UniqueConstraint("reference", name=op.f("uq_records_reference")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_records_idempotency_key")),
    )
    op.create_index(op.f("ix_records_kind"), "records", ["kind"], unique=False)
    op.create_index(op.f("ix_records_created_at"), "records", ["created_at"], unique=False)
    op.create_table(
        "status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=32), nullable=True),
        sa.Column("to_status", sa.String(length=32), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=200), nullable=False),
        sa.Column("reason_encrypted", sa.Text(), nullable=True),
        sa.CheckConstraint(f"to_status IN ({_in(STATUSES)})", name=op.f("ck_status_changes_to_status")),
        sa.CheckConstraint(
            f"from_status IS NULL OR from_status IN ({_in(STATUSES)})", name=op.f("ck_status_changes_from_status")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name=op.f("fk_status_changes_record_id_records"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_changes")),
    )
    op.create_index(op.f("ix_status_changes_record_id"), "status_changes", ["record_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_status_changes_record_id"), table_name="status_changes")
    op.drop_table("status_changes")
    op.drop_index(op.f("ix_records_created_at"), table_name="records")
    op.drop_index(op.f("ix_records_kind"), table_name="records")
    op.drop_table("records")
