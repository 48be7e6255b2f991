"""svc-ratings: names of departments, windows and 工号 (the directory), and the name each
bulletin line had when its month was closed.

Revision ID: ratings_0004
Revises: ratings_0003
Create Date: 2026-11-27
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from yingshang.db import UTCDateTime

revision: str = "ratings_0004"
down_revision: str | Sequence[str] | None = "ratings_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ratings_directory",
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("code", sa.String(80), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "code", name="pk_ratings_directory"),
    )
    with op.batch_alter_table("ratings_bulletin_rows") as batch:
        batch.add_column(sa.Column("label", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ratings_bulletin_rows") as batch:
        batch.drop_column("label")
    op.drop_table("ratings_directory")
