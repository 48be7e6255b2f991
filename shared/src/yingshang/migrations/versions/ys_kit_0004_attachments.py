"""yingshang case kit: attachment metadata (content lives in the blob store).

Revision ID: ys_kit_0004
Revises: ys_kit_0003
Create Date: 2026-11-26
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from yingshang.db import UTCDateTime

revision: str = "ys_kit_0004"
down_revision: str | Sequence[str] | None = "ys_kit_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ys_attachments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_kind", sa.String(40), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("uploaded_by", sa.String(120), nullable=False),
        sa.Column("uploaded_by_staff_no", sa.String(40)),
        sa.Column("uploaded_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ys_attachments"),
    )
    op.create_index("ix_ys_attachments_owner", "ys_attachments", ["owner_kind", "owner_id"])
    op.create_index("ix_ys_attachments_sha256", "ys_attachments", ["sha256"])


def downgrade() -> None:
    op.drop_table("ys_attachments")
