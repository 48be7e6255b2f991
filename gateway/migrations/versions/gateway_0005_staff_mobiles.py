"""gateway: staff work mobiles (sealed) and the deadline ladder's SMS to people

Revision ID: gateway_0005
Revises: gateway_0004
Create Date: 2026-12-08
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from yingshang.db import UTCDateTime

revision: str = "gateway_0005"
down_revision: str | Sequence[str] | None = "gateway_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("gw_users") as batch:
        batch.add_column(sa.Column("mobile_sealed", sa.Text(), nullable=True))
        batch.add_column(sa.Column("mobile_masked", sa.String(20), nullable=True))
    op.create_table(
        "gw_deadline_notices",
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("case_number", sa.String(80), nullable=False),
        sa.Column("department", sa.String(40), nullable=False),
        sa.Column("stage", sa.String(40), nullable=False),
        sa.Column("stage_id", sa.Uuid(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("staff_no", sa.String(40), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("notification_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["gw_users.id"],
            name=op.f("fk_gw_deadline_notices_user_id_gw_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gw_deadline_notices")),
        sa.UniqueConstraint(
            "stage_id", "level", "due_at", "user_id", name=op.f("uq_gw_deadline_notices_stage_id")
        ),
    )
    op.create_index(
        "ix_gw_deadline_notices_status", "gw_deadline_notices", ["status", "user_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_gw_deadline_notices_status", table_name="gw_deadline_notices")
    op.drop_table("gw_deadline_notices")
    with op.batch_alter_table("gw_users") as batch:
        batch.drop_column("mobile_masked")
        batch.drop_column("mobile_sealed")
