"""svc-visits: a duty sitting (坐班) keeps the instant it starts — its day at its start time,
county time — by which the duty schedule is listed (instead of the order of scheduling).

Revision ID: visits_0004
Revises: visits_0003
Create Date: 2026-11-29
"""
from collections.abc import Sequence
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

from yingshang.db import UTCDateTime

revision: str = "visits_0004"
down_revision: str | Sequence[str] | None = "visits_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHANGHAI = ZoneInfo("Asia/Shanghai")
SHIFTS = sa.table(
    "visits_duty_shifts",
    sa.column("id", sa.Uuid()),
    sa.column("day", sa.Date()),
    sa.column("start", sa.String()),
    sa.column("starts_at", UTCDateTime()),
)


def upgrade() -> None:
    with op.batch_alter_table("visits_duty_shifts") as batch:
        batch.add_column(sa.Column("starts_at", UTCDateTime(), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.select(SHIFTS.c.id, SHIFTS.c.day, SHIFTS.c.start)).all()
    for shift_id, day, start in rows:
        at = datetime.combine(day, time.fromisoformat(start), tzinfo=SHANGHAI).astimezone(UTC)
        bind.execute(SHIFTS.update().where(SHIFTS.c.id == shift_id).values(starts_at=at))
    with op.batch_alter_table("visits_duty_shifts") as batch:
        batch.alter_column("starts_at", existing_type=UTCDateTime(), nullable=False)
    op.drop_index("ix_visits_duty_shifts_created", table_name="visits_duty_shifts")
    op.create_index("ix_visits_duty_shifts_starts", "visits_duty_shifts", ["starts_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_visits_duty_shifts_starts", table_name="visits_duty_shifts")
    op.create_index("ix_visits_duty_shifts_created", "visits_duty_shifts", ["created_at", "id"])
    with op.batch_alter_table("visits_duty_shifts") as batch:
        batch.drop_column("starts_at")
