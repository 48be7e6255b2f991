"""yingshang case kit: hash-chained audit log.

Revision ID: ys_kit_0003
Revises: ys_kit_0002
Create Date: 2026-11-26
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from yingshang.db import UTCDateTime

revision: str = "ys_kit_0003"
down_revision: str | Sequence[str] | None = "ys_kit_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ys_audit",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  autoincrement=False, nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("staff_no", sa.String(40)),
        sa.Column("position", sa.String(90)),
        sa.Column("action", sa.String(80), nullable=False),
        sa.Column("object_kind", sa.String(40)),
        sa.Column("object_id", sa.String(80)),
        sa.Column("request_id", sa.String(128)),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_ys_audit"),
    )
    op.create_index("ix_ys_audit_object", "ys_audit", ["object_kind", "object_id"])


def downgrade() -> None:
    op.drop_table("ys_audit")
