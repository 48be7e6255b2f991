"""svc-hotline: the round (第 n 轮) of each clock a reopened ticket started again.

Revision ID: hotline_0005
Revises: hotline_0004
Create Date: 2026-11-28
"""
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "hotline_0005"
down_revision: str | Sequence[str] | None = "hotline_0004"
branch_labels: str | Sequence[str] | None = None
# the backfill reads the timeline and the deadline stages
depends_on: str | Sequence[str] | None = ("ys_core_0002", "ys_time_0001")

REOPENS = ("reopen", "reopen_at_center")


def upgrade() -> None:
    op.create_table(
        "hotline_clock_rounds",
        sa.Column("stage_id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("stage_id", name="pk_hotline_clock_rounds"),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["hotline_tickets.id"], ondelete="CASCADE",
            name="fk_hotline_clock_rounds_ticket_id_hotline_tickets",
        ),
    )
    op.create_index("ix_hotline_clock_rounds_ticket_id", "hotline_clock_rounds", ["ticket_id"])
    _backfill()


def downgrade() -> None:
    op.drop_index("ix_hotline_clock_rounds_ticket_id", table_name="hotline_clock_rounds")
    op.drop_table("hotline_clock_rounds")


def _backfill() -> None:
    """Clocks of tickets reopened before this revision: a reopen starts its clocks right after
    its timeline entry, so a clock started at or after the n-th reopen is of round n + 1."""
    timeline = sa.table(
        "ys_timeline",
        sa.column("case_kind", sa.String()),
        sa.column("case_id", sa.Uuid()),
        sa.column("action", sa.String()),
        sa.column("at", sa.DateTime()),
    )
    clocks = sa.table(
        "ys_deadline_stages",
        sa.column("id", sa.Uuid()),
        sa.column("case_kind", sa.String()),
        sa.column("case_id", sa.Uuid()),
        sa.column("started_at", sa.DateTime()),
    )
    bind = op.get_bind()
    reopens: dict[Any, list[datetime]] = {}
    found = bind.execute(
        sa.select(timeline.c.case_id, timeline.c.at)
        .where(timeline.c.case_kind == "ticket", timeline.c.action.in_(REOPENS))
        .order_by(timeline.c.at)
    )
    for case_id, at in found:
        reopens.setdefault(case_id, []).append(_naive(at))
    if not reopens:
        return
    rows = []
    started = bind.execute(
        sa.select(clocks.c.id, clocks.c.case_id, clocks.c.started_at).where(
            clocks.c.case_kind == "ticket", clocks.c.case_id.in_(list(reopens))
        )
    )
    for stage_id, case_id, started_at in started:
        earlier = sum(1 for at in reopens[case_id] if at <= _naive(started_at))
        if earlier:
            rows.append({"stage_id": stage_id, "ticket_id": case_id, "round": earlier + 1})
    if rows:
        target = sa.table(
            "hotline_clock_rounds",
            sa.column("stage_id", sa.Uuid()),
            sa.column("ticket_id", sa.Uuid()),
            sa.column("round", sa.Integer()),
        )
        bind.execute(target.insert(), rows)


def _naive(at: datetime) -> datetime:
    """UTC without its zone (SQLite hands back naive UTC, PostgreSQL aware)."""
    return at if at.tzinfo is None else at.astimezone(UTC).replace(tzinfo=None)

