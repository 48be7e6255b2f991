"""svc-approvals: applicants' phones and ID numbers sealed at rest (yingshang.sealing).

Revision ID: approvals_0010
Revises: approvals_0009
Create Date: 2026-11-28
"""
from collections.abc import Sequence

from yingshang.sealing import Column, Sealed, seal_table, unseal_table

revision: str = "approvals_0010"
down_revision: str | Sequence[str] | None = "approvals_0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PHONE = Column("applicant_phone", Sealed("approvals", "phone"), clear_length=20)
TABLES = {
    "applications": [
        Column("applicant_id_no", Sealed("approvals", "id_no"), clear_length=40),
        PHONE,
    ],
    "appointments": [PHONE],
    "door_to_door_requests": [PHONE],
}


def upgrade() -> None:
    for table, columns in TABLES.items():
        seal_table(table, "id", columns)


def downgrade() -> None:
    for table, columns in TABLES.items():
        unseal_table(table, "id", columns)
