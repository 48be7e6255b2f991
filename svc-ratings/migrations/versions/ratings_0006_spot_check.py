"""svc-ratings: 抽查回访 (spot check) of a rectification after the rater's verdict — when, the
result (passed / failed) and the checker's note.

Rectifications closed before this revision stay closed (they were not spot-checked); those
waiting for the verdict will wait for the spot check after it.

Revision ID: ratings_0006
Revises: ratings_0005
Create Date: 2026-11-30
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from yingshang.db import UTCDateTime

revision: str = "ratings_0006"
down_revision: str | Sequence[str] | None = "ratings_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ratings_rectifications") as batch:
        batch.add_column(sa.Column("spot_checked_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("spot_check_result", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("spot_check_note", sa.Text(), nullable=True))


def downgrade() -> None:
    # A rectification waiting for its spot check had its verdict: before, that closed it.
    op.execute(
        "UPDATE ratings_rectifications SET state = 'closed', outcome = 'rectified' "
        "WHERE state = 'awaiting_spot_check'"
    )
    with op.batch_alter_table("ratings_rectifications") as batch:
        batch.drop_column("spot_check_note")
        batch.drop_column("spot_check_result")
        batch.drop_column("spot_checked_at")
