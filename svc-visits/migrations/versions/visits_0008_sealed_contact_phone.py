"""svc-visits: a problem's contact phone sealed at rest (yingshang.sealing).

Revision ID: visits_0008
Revises: visits_0007
Create Date: 2026-11-28
"""
from collections.abc import Sequence

from yingshang.sealing import Column, Sealed, seal_table, unseal_table

revision: str = "visits_0008"
down_revision: str | Sequence[str] | None = "visits_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PHONE = Column("contact_phone", Sealed("visits", "phone"), clear_length=20)


def upgrade() -> None:
    seal_table("visits_problems", "id", [PHONE])


def downgrade() -> None:
    unseal_table("visits_problems", "id", [PHONE])
