"""svc-approvals: the county directory's departments (code, name, kind, active), seeded from
the county file and kept current from ``ys.gateway.department.*``: an item or a package names
an active department of the directory.

Revision ID: approvals_0006
Revises: approvals_0005
Create Date: 2026-11-28
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import yingshang.db

revision: str = "approvals_0006"
down_revision: str | Sequence[str] | None = "approvals_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "approvals_departments",
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", yingshang.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_approvals_departments"),
    )


def downgrade() -> None:
    op.drop_table("approvals_departments")
