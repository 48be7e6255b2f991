"""svc-hotline: a 延期 request left undecided when its ticket left the department (回复,
退单, 办结 ...) reads ``lapsed``, not ``requested`` (nobody can decide it any more).

Revision ID: hotline_0007
Revises: hotline_0006
Create Date: 2026-11-28
"""
from collections.abc import Sequence

from alembic import op

revision: str = "hotline_0007"
down_revision: str | Sequence[str] | None = "hotline_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "UPDATE hotline_tickets SET extension_status = 'lapsed' "
        "WHERE extension_status = 'requested' "
        "AND state NOT IN ('dispatched', 'signed', 'handling')"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE hotline_tickets SET extension_status = 'requested' "
        "WHERE extension_status = 'lapsed'"
    )
