"""svc-ratings: a 12345 回访 after a reopen, kept beside the ticket's rating.

Revision ID: ratings_0005
Revises: ratings_0004
Create Date: 2026-11-28
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from yingshang.db import UTCDateTime

revision: str = "ratings_0005"
down_revision: str | Sequence[str] | None = "ratings_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ratings_ratings") as batch:
        batch.add_column(sa.Column("followup_level", sa.SmallInteger(), nullable=True))
        batch.add_column(sa.Column("followup_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ratings_ratings") as batch:
        batch.drop_column("followup_at")
        batch.drop_column("followup_level")
