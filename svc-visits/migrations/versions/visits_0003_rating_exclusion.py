"""svc-visits: a problem's 好差评 keeps the id of the rating it holds and whether an upheld
appeal (申诉复核, ``ys.ratings.rating.excluded``) excluded it from the statistics.

Revision ID: visits_0003
Revises: visits_0002
Create Date: 2026-11-28
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "visits_0003"
down_revision: str | Sequence[str] | None = "visits_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("visits_problems") as batch:
        batch.add_column(sa.Column("rating_id", sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column(
                "satisfaction_excluded", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("visits_problems") as batch:
        batch.drop_column("satisfaction_excluded")
        batch.drop_column("rating_id")
