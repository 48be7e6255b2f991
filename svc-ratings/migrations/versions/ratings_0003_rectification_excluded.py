"""svc-ratings: rectifications mirror their rating's exclusion, and a covering index, so the
bulletin reads its rectification figures from one index range without a join.

Revision ID: ratings_0003
Revises: ratings_0002
Create Date: 2026-11-27
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ratings_0003"
down_revision: str | Sequence[str] | None = "ratings_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ratings_rectifications") as batch:
        batch.add_column(
            sa.Column("excluded", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.drop_index("ix_ratings_rectifications_month")
        batch.create_index(
            "ix_ratings_rectifications_bulletin",
            ["month", "excluded", "department", "window", "staff_no", "on_time", "called_back_at"],
            unique=False,
        )
    op.execute(
        "UPDATE ratings_rectifications SET excluded = true WHERE rating_id IN "
        "(SELECT id FROM ratings_ratings WHERE excluded = true)"
    )


def downgrade() -> None:
    with op.batch_alter_table("ratings_rectifications") as batch:
        batch.drop_index("ix_ratings_rectifications_bulletin")
        batch.create_index("ix_ratings_rectifications_month", ["month", "department"], unique=False)
        batch.drop_column("excluded")
