"""svc-complaints: the contact's phone sealed at rest (yingshang.sealing), searched by its keyed
blind index (the center's identity search by phone).

Revision ID: complaints_0003
Revises: complaints_0002
Create Date: 2026-11-28
"""
from collections.abc import Sequence

from alembic import op

from yingshang.sealing import Column, Sealed, seal_table, unseal_table

revision: str = "complaints_0003"
down_revision: str | Sequence[str] | None = "complaints_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "complaints_cases"
PHONE = Column("contact_phone", Sealed("complaints", "phone"), "contact_phone_index", 20)


def upgrade() -> None:
    seal_table(TABLE, "id", [PHONE])
    op.create_index("ix_complaints_cases_phone", TABLE, ["contact_phone_index"])


def downgrade() -> None:
    op.drop_index("ix_complaints_cases_phone", table_name=TABLE)
    unseal_table(TABLE, "id", [PHONE])
