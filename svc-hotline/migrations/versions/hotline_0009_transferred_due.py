"""svc-hotline: a ticket transferred to the complaints center (已转办) has no 办理 clock running
(the transfer cancels it): its ``due_at`` is cleared, as the transfer now does, so no list or
header counts down a cancelled limit.

Revision ID: hotline_0009
Revises: hotline_0008
Create Date: 2026-11-28
"""
from collections.abc import Sequence

from alembic import op

revision: str = "hotline_0009"
down_revision: str | Sequence[str] | None = "hotline_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("UPDATE hotline_tickets SET due_at = NULL WHERE state = 'transferred'")


def downgrade() -> None:
    # the cancelled clock still holds the limit it had
    op.execute(
        "UPDATE hotline_tickets SET due_at = ("
        "SELECT max(s.due_at) FROM ys_deadline_stages s "
        "WHERE s.case_kind = 'ticket' AND s.case_id = hotline_tickets.id AND s.stage = 'handle'"
        ") WHERE state = 'transferred'"
    )
