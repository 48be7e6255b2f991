"""yingshang events: the notifications outbox keeps its recipients (phones) sealed at rest
(yingshang.sealing).

Revision ID: ys_events_0002
Revises: ys_events_0001
Create Date: 2026-11-28
"""
from collections.abc import Sequence

from yingshang.sealing import Column, Sealed, seal_table, unseal_table

revision: str = "ys_events_0002"
down_revision: str | Sequence[str] | None = "ys_events_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECIPIENT = Column("recipient", Sealed("notifications", "recipient"), clear_length=64)


def upgrade() -> None:
    seal_table("ys_notifications", "id", [RECIPIENT])


def downgrade() -> None:
    unseal_table("ys_notifications", "id", [RECIPIENT])
