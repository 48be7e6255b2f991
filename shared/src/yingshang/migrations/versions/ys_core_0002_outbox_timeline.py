"""yingshang plumbing: outbox and timeline.

Revision ID: ys_core_0002
Revises: ys_core_0001
Create Date: 2026-11-26
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from yingshang.db import UTCDateTime

revision: str = "ys_core_0002"
down_revision: str | Sequence[str] | None = "ys_core_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ys_outbox",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True,
                  autoincrement=True),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("case_key", sa.String(200)),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime()),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text()),
        sa.Column("claimed_by", sa.String(64)),
        sa.Column("claimed_until", UTCDateTime()),
        sa.PrimaryKeyConstraint("seq", name="pk_ys_outbox"),
        sa.UniqueConstraint("event_id", name="uq_ys_outbox_event_id"),
    )
    op.create_index("ix_ys_outbox_pending", "ys_outbox", ["sent_at", "seq"])
    op.create_table(
        "ys_timeline",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_kind", sa.String(40), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("from_state", sa.String(40)),
        sa.Column("to_state", sa.String(40)),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("actor_name", sa.String(120)),
        sa.Column("staff_no", sa.String(40)),
        sa.Column("position_dept", sa.String(60)),
        sa.Column("position_role", sa.String(20)),
        sa.Column("note", sa.Text()),
        sa.Column("data", sa.JSON()),
        sa.Column("event_id", sa.String(64)),
        sa.PrimaryKeyConstraint("id", name="pk_ys_timeline"),
    )
    op.create_index("ix_ys_timeline_case", "ys_timeline", ["case_kind", "case_id", "at"])


def downgrade() -> None:
    op.drop_table("ys_timeline")
    op.drop_table("ys_outbox")
