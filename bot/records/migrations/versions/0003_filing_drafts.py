"""Filing drafts: a filing conversation's answers, held server-side while it
runs (never in the conversation store), encrypted with the drafts key.

Revision ID: 0003_filing_drafts
Revises: 0002_staff_review
Create Date: 2026-12-01

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0003_filing_drafts"
down_revision: Union[str, None] = "0002_staff_review"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Frozen copy of the record kinds at this revision.
KINDS = ("disclosure", "family_link_declaration", "service_proposal", "concern_report")


def _in(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


def upgrade() -> None:
    op.create_table(
        "filing_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_hash", sa.String(length=64), nullable=False),
        sa.Column("conversation_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("answers_encrypted", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filed_reference", sa.String(length=32), nullable=True),
        sa.CheckConstraint(f"kind IN ({_in(KINDS)})", name=op.f("ck_filing_drafts_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_filing_drafts")),
        sa.UniqueConstraint("draft_hash", name=op.f("uq_filing_drafts_draft_hash")),
    )
    op.create_index(op.f("ix_filing_drafts_conversation_hash"), "filing_drafts", ["conversation_hash"])
    op.create_index(op.f("ix_filing_drafts_expires_at"), "filing_drafts", ["expires_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_filing_drafts_expires_at"), table_name="filing_drafts")
    op.drop_index(op.f("ix_filing_drafts_conversation_hash"), table_name="filing_drafts")
    op.drop_table("filing_drafts")
