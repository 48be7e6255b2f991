"""svc-ratings: the 12345 rating's 办结时间 in the upward report; the month's closer by name.

A 12345 回访 rating names, as 受理/办结时间, the 办结 the visit rates (``node_at``; the
``revisited`` event carries it from now on). The ratings stored before are filled from the case
facts where they hold the ticket's closure no later than the visit; a ticket reopened since (not
closed again, or closed again after the visit) keeps it empty: no recorded fact tells that
first closure. A closed month keeps its closer's name (``closed_by_name``) beside the account
id; a month closed before stays without a name (the account id names no one here).

Revision ID: ratings_0012
Revises: ratings_0011
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ratings_0012"
down_revision: str | Sequence[str] | None = "ratings_0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fill_revisit_times() -> None:
    ratings = sa.table(
        "ratings_ratings",
        *(sa.column(c) for c in ("service", "node", "case_id", "node_at", "rated_at")),
    )
    facts = sa.table(
        "ratings_case_facts", *(sa.column(c) for c in ("service", "case_id", "closed_at"))
    )
    closure = (
        sa.select(facts.c.closed_at)
        .where(
            facts.c.service == "hotline",
            facts.c.case_id == ratings.c.case_id,
            facts.c.closed_at.is_not(None),
            facts.c.closed_at <= ratings.c.rated_at,
        )
        .scalar_subquery()
    )
    op.execute(
        ratings.update()
        .where(
            ratings.c.service == "hotline",
            ratings.c.node == "revisit",
            ratings.c.node_at.is_(None),
            closure.is_not(None),
        )
        .values(node_at=closure)
    )


def upgrade() -> None:
    with op.batch_alter_table("ratings_closed_months") as batch:
        batch.add_column(sa.Column("closed_by_name", sa.String(120), nullable=True))
    _fill_revisit_times()


def downgrade() -> None:
    # The filled 办结时间 stay: the release before reads and exports them as any node's time.
    with op.batch_alter_table("ratings_closed_months") as batch:
        batch.drop_column("closed_by_name")
