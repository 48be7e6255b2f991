"""kit sample: cases (branch root).

Revision ID: kitsample_0001
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from yingshang.db import UTCDateTime

revision: str = "kitsample_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("kitsample",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kit_cases",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("department", sa.String(60)),
        sa.Column("requester_phone", sa.String(20), nullable=False),
        sa.Column("enterprise_uscc", sa.String(18)),
        sa.Column("query_code_hash", sa.String(64), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_kit_cases"),
        sa.UniqueConstraint("number", name="uq_kit_cases_number"),
    )
    # Keyset pagination walks (created_at, id); department lists filter first.
    op.create_index("ix_kit_cases_created", "kit_cases", ["created_at", "id"])
    op.create_index("ix_kit_cases_department", "kit_cases", ["department", "state"])


def downgrade() -> None:
    op.drop_table("kit_cases")
