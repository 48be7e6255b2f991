"""svc-approvals: items that create the legal person (企业设立登记): their legal-person
applicant has no 统一社会信用代码 yet.

Revision ID: approvals_0009
Revises: approvals_0008
Create Date: 2026-12-02
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "approvals_0009"
down_revision: str | Sequence[str] | None = "approvals_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every item there is keeps asking a legal person for its code until an administrator
    # marks it (PATCH registers_enterprise, kept in the item's history).
    with op.batch_alter_table("items") as batch:
        batch.add_column(
            sa.Column(
                "registers_enterprise", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("items") as batch:
        batch.drop_column("registers_enterprise")
