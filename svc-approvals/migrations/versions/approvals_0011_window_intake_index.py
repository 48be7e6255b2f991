"""svc-approvals: applications by the window that took them in, in order of submission (the
window pad asks whether the window has started on the next applicant).

Revision ID: approvals_0011
Revises: approvals_0010
Create Date: 2026-11-28
"""
from collections.abc import Sequence

from alembic import op

revision: str = "approvals_0011"
down_revision: str | Sequence[str] | None = "approvals_0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_applications_window", "applications", ["hall_code", "window_code", "submitted_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_applications_window", table_name="applications")
