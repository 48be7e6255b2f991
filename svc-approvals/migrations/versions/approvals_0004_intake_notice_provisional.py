"""applications: when the one-time intake notice was given; whether the due date is provisional

Revision ID: approvals_0004
Revises: approvals_0003
Create Date: 2026-11-27
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import yingshang.db

revision: str = "approvals_0004"
down_revision: str | Sequence[str] | None = "approvals_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.add_column(
            sa.Column("intake_notice_at", yingshang.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(
            sa.Column("provisional", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("provisional")
        batch.drop_column("intake_notice_at")
