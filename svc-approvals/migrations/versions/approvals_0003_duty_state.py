"""duty sittings keep svc-visits' state (checked in, completed)

Revision ID: approvals_0003
Revises: approvals_0002
Create Date: 2026-11-27
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "approvals_0003"
down_revision: str | Sequence[str] | None = "approvals_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("duty_sittings") as batch:
        batch.add_column(sa.Column("state", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("duty_sittings") as batch:
        batch.drop_column("state")
