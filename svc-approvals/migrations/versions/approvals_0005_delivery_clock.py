"""applications: the delivery stage (送达) of a licence granted, and when it was ready to collect

Revision ID: approvals_0005
Revises: approvals_0004
Create Date: 2026-11-27
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import yingshang.db

revision: str = "approvals_0005"
down_revision: str | Sequence[str] | None = "approvals_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("delivery_stage_id", sa.Uuid(), nullable=True))
        batch.add_column(
            sa.Column("delivery_due_at", yingshang.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column("delivery_on_time", sa.Boolean(), nullable=True))
        batch.add_column(
            sa.Column("pickup_ready_at", yingshang.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("pickup_ready_at")
        batch.drop_column("delivery_on_time")
        batch.drop_column("delivery_due_at")
        batch.drop_column("delivery_stage_id")
