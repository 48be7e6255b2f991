"""eventsample: the effects table (one row per applied event).

Revision ID: eventsample_0001
Revises:
Create Date: 2026-11-26
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "eventsample_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("eventsample",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "effects",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("case_key", sa.String(200)),
        sa.Column("case_seq", sa.Integer(), nullable=False),
        sa.Column("consumer", sa.String(120), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_effects"),
    )


def downgrade() -> None:
    op.drop_table("effects")
