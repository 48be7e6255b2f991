"""svc-ratings: a 12345 ticket merged into another (并单) or transferred to the complaints
center is no unit's 受理: its case fact records why.

Revision ID: ratings_0010
Revises: ratings_0009
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ratings_0010"
down_revision: str | Sequence[str] | None = "ratings_0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ratings_case_facts") as batch:
        batch.add_column(sa.Column("excluded", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ratings_case_facts") as batch:
        batch.drop_column("excluded")
