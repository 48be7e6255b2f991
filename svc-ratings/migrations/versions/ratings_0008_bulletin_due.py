"""svc-ratings: the bulletin's 按期整改 and 回访率 judge only the rectifications due.

A closed month's snapshot keeps what it showed: its rows count every rectification as due.
The bulletin's covering index gains what tells a rectification due.

Revision ID: ratings_0008
Revises: ratings_0007
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ratings_0008"
down_revision: str | Sequence[str] | None = "ratings_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("rectifications_due", "callbacks_due")
INDEX = "ix_ratings_rectifications_bulletin"
INDEXED = ["month", "excluded", "department", "window", "staff_no", "on_time", "called_back_at"]
DUE = ["closed_at", "overdue", "due_at"]


def _index(columns: list[str]) -> None:
    with op.batch_alter_table("ratings_rectifications") as batch:
        batch.drop_index(INDEX)
        batch.create_index(INDEX, columns, unique=False)


def upgrade() -> None:
    with op.batch_alter_table("ratings_bulletin_rows") as batch:
        for column in COLUMNS:
            batch.add_column(sa.Column(column, sa.Integer(), nullable=True))
    rows = sa.table("ratings_bulletin_rows", *(sa.column(c) for c in ("rectifications", *COLUMNS)))
    op.execute(rows.update().values(dict.fromkeys(COLUMNS, rows.c.rectifications)))
    with op.batch_alter_table("ratings_bulletin_rows") as batch:
        for column in COLUMNS:
            batch.alter_column(column, existing_type=sa.Integer(), nullable=False)
    _index(INDEXED + DUE)


def downgrade() -> None:
    _index(INDEXED)
    with op.batch_alter_table("ratings_bulletin_rows") as batch:
        for column in reversed(COLUMNS):
            batch.drop_column(column)
