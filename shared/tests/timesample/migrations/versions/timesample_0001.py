"""timesample: branch root (the sample service has no tables of its own).

Revision ID: timesample_0001
Revises:
Create Date: 2026-11-27
"""
from collections.abc import Sequence

revision: str = "timesample_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("timesample",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Branch root only."""


def downgrade() -> None:
    """Nothing to undo."""
