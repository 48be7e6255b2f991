"""svc-hotline: the knowledge base's management listing pages by (created_at, id).

Revision ID: hotline_0004
Revises: hotline_0003
Create Date: 2026-11-26
"""
from collections.abc import Sequence

from alembic import op

revision: str = "hotline_0004"
down_revision: str | Sequence[str] | None = "hotline_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_hotline_kb_entries_created", "hotline_kb_entries", ["created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_hotline_kb_entries_created", table_name="hotline_kb_entries")
