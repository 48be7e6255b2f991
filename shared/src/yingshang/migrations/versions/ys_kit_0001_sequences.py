"""yingshang case kit: branch root; per-prefix-per-day counters for case numbers.

Revision ID: ys_kit_0001
Revises:
Create Date: 2026-11-26
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ys_kit_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("ys_kit",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ys_sequences",
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_ys_sequences"),
    )


def downgrade() -> None:
    op.drop_table("ys_sequences")
