"""yingshang time: calendar years, time-limit policies, deadline stages (branch ys_time).

Revision ID: ys_time_0001
Revises:
Create Date: 2026-11-27
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from yingshang.db import UTCDateTime

revision: str = "ys_time_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("ys_time",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ys_calendar_years",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("loaded_at", UTCDateTime(), nullable=False),
        sa.Column("loaded_by", sa.String(120), nullable=False),
        sa.PrimaryKeyConstraint("year", name="pk_ys_calendar_years"),
    )
    op.create_table(
        "ys_policies",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("service", sa.String(40), nullable=False),
        sa.Column("case_kind", sa.String(40), nullable=False),
        sa.Column("stage", sa.String(40), nullable=False),
        sa.Column("urgency", sa.String(20), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(20), nullable=False),
        sa.Column("warning_fraction", sa.Float(), nullable=False),
        sa.Column("ladder", sa.JSON(), nullable=False),
        sa.Column("description", sa.String(200)),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(120), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ys_policies"),
        sa.UniqueConstraint("service", "case_kind", "stage", "urgency",
                            name="uq_ys_policies_service"),
    )
    op.create_table(
        "ys_deadline_stages",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("service", sa.String(40), nullable=False),
        sa.Column("case_kind", sa.String(40), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("case_number", sa.String(80), nullable=False),
        sa.Column("department", sa.String(60), nullable=False),
        sa.Column("origin_client", sa.String(120)),
        sa.Column("stage", sa.String(40), nullable=False),
        sa.Column("urgency", sa.String(20), nullable=False),
        sa.Column("policy_id", sa.Integer()),
        sa.Column("policy_version", sa.Integer()),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(20), nullable=False),
        sa.Column("warning_fraction", sa.Float(), nullable=False),
        sa.Column("ladder", sa.JSON(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("counted_from", UTCDateTime(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("remaining", sa.Float(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("warning_at", UTCDateTime(), nullable=False),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("paused_at", UTCDateTime()),
        sa.Column("completed_at", UTCDateTime()),
        sa.Column("on_time", sa.Boolean()),
        sa.Column("next_fire_at", UTCDateTime()),
        sa.Column("warning_emitted", sa.Boolean(), nullable=False),
        sa.Column("overdue_emitted", sa.Boolean(), nullable=False),
        sa.Column("level_emitted", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ys_deadline_stages"),
    )
    op.create_index("ix_ys_deadline_stages_next_fire_at", "ys_deadline_stages", ["next_fire_at"])
    op.create_index("ix_ys_deadline_stages_case", "ys_deadline_stages", ["case_kind", "case_id"])
    op.create_index("ix_ys_deadline_stages_provisional", "ys_deadline_stages",
                    ["provisional", "status"])


def downgrade() -> None:
    op.drop_table("ys_deadline_stages")
    op.drop_table("ys_policies")
    op.drop_table("ys_calendar_years")
