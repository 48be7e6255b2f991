"""svc-ratings: the hall answers for its windows' ratings.

A rating (and its rectification) names, besides the matter's department, the unit running the
hall whose window it names (``hall_department``: read and co-handled by that hall), and the one
unit it counts for in the department ranking and 部门考核 (``assessed_department``). Stored
rows count for their department as before until the start-up seed learns the halls from the
county file and attributes the rows of their windows (``ys_ratings.ratings.attribution``);
closed months keep their snapshots. The directory's halls carry the unit running them.

Revision ID: ratings_0011
Revises: ratings_0010
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ratings_0011"
down_revision: str | Sequence[str] | None = "ratings_0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BULLETIN_INDEXES = {
    "ratings_ratings": (
        "ix_ratings_ratings_bulletin",
        ["month", "excluded", "{unit}", "window", "staff_no", "level"],
    ),
    "ratings_rectifications": (
        "ix_ratings_rectifications_bulletin",
        ["month", "excluded", "{unit}", "window", "staff_no", "on_time", "called_back_at",
         "closed_at", "overdue", "due_at"],
    ),
}  # fmt: skip


def _index(table: str, unit: str) -> None:
    name, columns = BULLETIN_INDEXES[table]
    with op.batch_alter_table(table) as batch:
        batch.drop_index(name)
        batch.create_index(name, [c.format(unit=unit) for c in columns], unique=False)


def upgrade() -> None:
    op.add_column("ratings_directory", sa.Column("department", sa.String(60), nullable=True))
    for table in BULLETIN_INDEXES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("hall_department", sa.String(60), nullable=True))
            batch.add_column(sa.Column("assessed_department", sa.String(60), nullable=True))
        rows = sa.table(table, sa.column("department"), sa.column("assessed_department"))
        op.execute(rows.update().values(assessed_department=rows.c.department))
        with op.batch_alter_table(table) as batch:
            batch.alter_column("assessed_department", existing_type=sa.String(60), nullable=False)
        _index(table, "assessed_department")


def downgrade() -> None:
    for table in BULLETIN_INDEXES:
        _index(table, "department")
        with op.batch_alter_table(table) as batch:
            batch.drop_column("assessed_department")
            batch.drop_column("hall_department")
    with op.batch_alter_table("ratings_directory") as batch:
        batch.drop_column("department")
    entries = sa.table("ratings_directory", sa.column("kind"))
    op.execute(entries.delete().where(entries.c.kind == "hall"))
