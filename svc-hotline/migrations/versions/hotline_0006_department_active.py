"""svc-hotline: departments carry ``active`` (a department the gateway deactivated takes no
more tickets; ``yingshang.directory``).

Revision ID: hotline_0006
Revises: hotline_0005
Create Date: 2026-11-28
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "hotline_0006"
down_revision: str | Sequence[str] | None = "hotline_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("hotline_departments") as batch:
        batch.add_column(
            sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("hotline_departments") as batch:
        batch.drop_column("active")
