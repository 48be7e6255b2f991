"""svc-ratings: raters' phones and ID numbers sealed at rest (yingshang.sealing).

Revision ID: ratings_0009
Revises: ratings_0008
Create Date: 2026-11-28
"""
from collections.abc import Sequence

from yingshang.sealing import Column, Sealed, seal_table, unseal_table

revision: str = "ratings_0009"
down_revision: str | Sequence[str] | None = "ratings_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = [
    Column("rater_phone", Sealed("ratings", "phone"), clear_length=40),
    Column("rater_id_no", Sealed("ratings", "id_no"), clear_length=40),
]


def upgrade() -> None:
    seal_table("ratings_ratings", "id", COLUMNS)


def downgrade() -> None:
    unseal_table("ratings_ratings", "id", COLUMNS)
