"""svc-hotline: the requester's phone sealed at rest (yingshang.sealing), looked up by its keyed
blind index (the duplicate hint "same phone").

Revision ID: hotline_0008
Revises: hotline_0007
Create Date: 2026-11-28
"""
from collections.abc import Sequence

from alembic import op

from yingshang.sealing import Column, Sealed, seal_table, unseal_table

revision: str = "hotline_0008"
down_revision: str | Sequence[str] | None = "hotline_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "hotline_tickets"
PHONE = Column("requester_phone", Sealed("hotline", "phone"), "requester_phone_index", 20)


def upgrade() -> None:
    op.drop_index("ix_hotline_tickets_phone", table_name=TABLE)
    seal_table(TABLE, "id", [PHONE])
    op.create_index("ix_hotline_tickets_phone", TABLE, ["requester_phone_index", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_hotline_tickets_phone", table_name=TABLE)
    unseal_table(TABLE, "id", [PHONE])
    op.create_index("ix_hotline_tickets_phone", TABLE, ["requester_phone", "received_at"])
