"""svc-hotline: the ticket's 好差评 rating (its first 回访), kept through reopens.

Revision ID: hotline_0003
Revises: hotline_0002
Create Date: 2026-11-28
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "hotline_0003"
down_revision: str | Sequence[str] | None = "hotline_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("hotline_tickets") as batch:
        batch.add_column(sa.Column("rating_level", sa.Integer(), nullable=True))
    # Tickets revisited before this revision: the first 回访 on each one's timeline.
    timeline = sa.table(
        "ys_timeline",
        sa.column("case_kind", sa.String()),
        sa.column("case_id", sa.Uuid()),
        sa.column("action", sa.String()),
        sa.column("at", sa.DateTime()),
        sa.column("id", sa.Uuid()),
        sa.column("data", sa.JSON()),
    )
    tickets = sa.table("hotline_tickets", sa.column("id", sa.Uuid()), sa.column("rating_level"))
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(timeline.c.case_id, timeline.c.data)
        .where(timeline.c.case_kind == "ticket", timeline.c.action == "revisit")
        .order_by(timeline.c.at, timeline.c.id)
    )
    first: dict[object, int] = {}
    for case_id, data in rows:
        if case_id not in first and isinstance(data, dict) and "level" in data:
            first[case_id] = int(data["level"])
    for case_id, level in first.items():
        bind.execute(tickets.update().where(tickets.c.id == case_id).values(rating_level=level))


def downgrade() -> None:
    with op.batch_alter_table("hotline_tickets") as batch:
        batch.drop_column("rating_level")
