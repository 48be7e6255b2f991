"""gateway: users must change a password an administrator set (new account, reset)

Revision ID: gateway_0004
Revises: gateway_0003
Create Date: 2026-12-01
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "gateway_0004"
down_revision: str | Sequence[str] | None = "gateway_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing accounts are not flagged: their passwords were set before the rule existed.
    with op.batch_alter_table("gw_users") as batch:
        batch.add_column(
            sa.Column(
                "password_change_required",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("gw_users") as batch:
        batch.drop_column("password_change_required")
