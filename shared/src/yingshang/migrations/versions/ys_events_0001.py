"""yingshang events: inbox, dead letters, notifications.

Revision ID: ys_events_0001
Revises:
Create Date: 2026-11-26
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from yingshang.db import UTCDateTime

revision: str = "ys_events_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("ys_events",)
depends_on: str | Sequence[str] | None = None

BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "ys_inbox",
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("consumer", sa.String(120), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("processed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "consumer", name="pk_ys_inbox"),
    )
    op.create_table(
        "ys_dead_letters",
        sa.Column("id", BIGINT, primary_key=True, autoincrement=True),
        sa.Column("consumer", sa.String(120), nullable=False),
        sa.Column("event_id", sa.String(64)),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("stream_seq", sa.BigInteger()),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("replayed_at", UTCDateTime()),
        sa.PrimaryKeyConstraint("id", name="pk_ys_dead_letters"),
    )
    op.create_index("ix_ys_dead_letters_consumer", "ys_dead_letters", ["consumer", "id"])
    op.create_table(
        "ys_notifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("recipient", sa.String(64), nullable=False),
        sa.Column("template", sa.String(80), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime()),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("claimed_by", sa.String(64)),
        sa.Column("claimed_until", UTCDateTime()),
        sa.PrimaryKeyConstraint("id", name="pk_ys_notifications"),
    )
    op.create_index(
        "ix_ys_notifications_due", "ys_notifications", ["status", "next_attempt_at"]
    )


def downgrade() -> None:
    op.drop_table("ys_notifications")
    op.drop_table("ys_dead_letters")
    op.drop_table("ys_inbox")
