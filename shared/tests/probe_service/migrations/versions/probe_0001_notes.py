"""probe: a notes table (branch root), used by the test kit's self-test.

Revision ID: probe_0001
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "probe_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("probe",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "probe_note",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("body", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("probe_note")
