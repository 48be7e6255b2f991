"""svc-visits: an enterprise's contacts (names and phones) sealed at rest, the list whole
(yingshang.sealing.SealedJSON); the downgrade opens them back into the JSON column.

Revision ID: visits_0009
Revises: visits_0008
Create Date: 2026-12-01
"""
from collections.abc import Sequence

from sqlalchemy import JSON

from yingshang.sealing import Column, SealedJSON, seal_table, unseal_table

revision: str = "visits_0009"
down_revision: str | Sequence[str] | None = "visits_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONTACTS = Column("contacts", SealedJSON("visits", "contacts"), clear_type=JSON())


def upgrade() -> None:
    seal_table("visits_enterprises", "id", [CONTACTS])


def downgrade() -> None:
    unseal_table("visits_enterprises", "id", [CONTACTS])
