"""yingshang plumbing: branch root of the shared tables.

Revision ID: ys_core_0001
Revises:
Create Date: 2026-11-26
"""
from collections.abc import Sequence

revision: str = "ys_core_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("yingshang",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Branch root: plumbing tables arrive in later revisions of this branch."""


def downgrade() -> None:
    """Nothing to undo."""
