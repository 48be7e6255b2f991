"""svc-approvals: the window where an application was finished (办结), so that only that
window's pad offers the 办结 rating, and an index to ask whether it has finished anyone's
application since.

Applications finished before this revision keep an unknown window (null), not a guessed one:
their 办结 rating is offered by SMS only.

Revision ID: approvals_0012
Revises: approvals_0011
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "approvals_0012"
down_revision: str | Sequence[str] | None = "approvals_0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_applications_finish"


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("finish_hall_code", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("finish_window_code", sa.String(length=20), nullable=True))
        batch.create_index(INDEX, ["finish_hall_code", "finish_window_code", "finished_at"])


def downgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.drop_index(INDEX)
        batch.drop_column("finish_window_code")
        batch.drop_column("finish_hall_code")
