"""svc-approvals: the window pad (评价器): the client a window's pad signs in as, and the
好差评 invitations of applications taken in at a window, for that window's pad.

Revision ID: approvals_0007
Revises: approvals_0006
Create Date: 2026-11-30
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import yingshang.db

revision: str = "approvals_0007"
down_revision: str | Sequence[str] | None = "approvals_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("windows") as batch:
        batch.add_column(sa.Column("pad_client", sa.String(64), nullable=True))
    op.create_table(
        "pad_invitations",
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("node", sa.String(20), nullable=False),
        sa.Column("hall_code", sa.String(40), nullable=False),
        sa.Column("window_code", sa.String(20), nullable=False),
        sa.Column("invitation_id", sa.String(64), nullable=True),
        sa.Column("token_url", sa.String(500), nullable=True),
        sa.Column("expires_at", yingshang.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("received_at", yingshang.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("rated_at", yingshang.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_pad_invitations_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pad_invitations")),
        sa.UniqueConstraint("application_id", "node", name=op.f("uq_pad_invitations_application_id")),
    )
    op.create_index(
        "ix_pad_invitations_window",
        "pad_invitations",
        ["hall_code", "window_code", "received_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_pad_invitations_window", table_name="pad_invitations")
    op.drop_table("pad_invitations")
    with op.batch_alter_table("windows") as batch:
        batch.drop_column("pad_client")
