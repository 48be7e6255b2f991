"""svc-ratings: initial (branch root).

Revision ID: ratings_0001
Revises:
Create Date: 2026-11-26
"""
from collections.abc import Sequence

revision: str = "ratings_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("ratings",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Branch root: the service's tables arrive in later revisions."""


def downgrade() -> None:
    """Nothing to undo."""
