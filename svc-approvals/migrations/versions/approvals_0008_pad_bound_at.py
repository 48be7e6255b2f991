"""svc-approvals: when a window's pad (评价器) client was bound, for the hall's staff to see
which client each window's pad signs in as and since when.

Revision ID: approvals_0008
Revises: approvals_0007
Create Date: 2026-12-01
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import yingshang.db

revision: str = "approvals_0008"
down_revision: str | Sequence[str] | None = "approvals_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A binding made before this revision keeps an unknown time (null), not a guessed one.
    with op.batch_alter_table("windows") as batch:
        batch.add_column(
            sa.Column("pad_bound_at", yingshang.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("windows") as batch:
        batch.drop_column("pad_bound_at")
