"""svc-visits: the county directory's people (username, 工号, name, active), kept current from
``ys.gateway.user.*``: pairing leaders and indicator owners are named by an active 工号.

Revision ID: visits_0007
Revises: visits_0006
Create Date: 2026-11-28
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from yingshang.db import UTCDateTime

revision: str = "visits_0007"
down_revision: str | Sequence[str] | None = "visits_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "visits_users",
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("staff_no", sa.String(40), nullable=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("username", name="pk_visits_users"),
    )
    op.create_index("ix_visits_users_staff_no", "visits_users", ["staff_no"])


def downgrade() -> None:
    op.drop_index("ix_visits_users_staff_no", table_name="visits_users")
    op.drop_table("visits_users")
