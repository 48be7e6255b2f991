"""svc-visits: a 交办单 is signed for by the department's head (签收, 一把手亲自接单) and the
enterprise is contacted (联系) before a solution is proposed.

Problems handed on before this revision were accepted by the department when they were handed
on: they count as signed at their hand-off (``signed_at`` = ``assigned_at``, no signer recorded),
and one still waiting for its proposal (``assigned``) moves to ``signed`` — its department
records the contact, then proposes. No clock starts for them: their proposal and resolution
clocks run on as before.

Revision ID: visits_0006
Revises: visits_0005
Create Date: 2026-11-30
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from yingshang.db import UTCDateTime

revision: str = "visits_0006"
down_revision: str | Sequence[str] | None = "visits_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PROBLEMS = sa.table(
    "visits_problems",
    sa.column("state", sa.String()),
    sa.column("assigned_at", UTCDateTime()),
    sa.column("signed_at", UTCDateTime()),
)


def upgrade() -> None:
    with op.batch_alter_table("visits_problems") as batch:
        batch.add_column(sa.Column("signed_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("signed_by_name", sa.String(length=120), nullable=True))
        batch.add_column(sa.Column("signed_by_staff_no", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("contacted_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("contact_channel", sa.String(length=10), nullable=True))
    handed_on = PROBLEMS.c.assigned_at.is_not(None)
    op.execute(PROBLEMS.update().where(handed_on).values(signed_at=PROBLEMS.c.assigned_at))
    op.execute(PROBLEMS.update().where(PROBLEMS.c.state == "assigned").values(state="signed"))


def downgrade() -> None:
    # Before this revision a problem at its department waiting for a proposal was ``assigned``.
    waiting = PROBLEMS.c.state.in_(["signed", "contacted"])
    op.execute(PROBLEMS.update().where(waiting).values(state="assigned"))
    with op.batch_alter_table("visits_problems") as batch:
        batch.drop_column("contact_channel")
        batch.drop_column("contacted_at")
        batch.drop_column("signed_by_staff_no")
        batch.drop_column("signed_by_name")
        batch.drop_column("signed_at")
