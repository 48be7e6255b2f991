"""svc-ratings: departments and people move to the shared directory tables
(``yingshang.directory``: ``ratings_departments``, ``ratings_users``); ``ratings_directory``
keeps the windows' labels.

The rows kept so far carry no kind and no username: a department is taken as ``department``
until the gateway's next event about it names its kind; a person is keyed ``#<工号>`` (no
gateway username starts so) until an event about them arrives, which takes the 工号 over.

Revision ID: ratings_0007
Revises: ratings_0006
Create Date: 2026-11-28
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from yingshang.db import UTCDateTime

revision: str = "ratings_0007"
down_revision: str | Sequence[str] | None = "ratings_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ratings_departments",
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_ratings_departments"),
    )
    op.create_table(
        "ratings_users",
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("staff_no", sa.String(40), nullable=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("username", name="pk_ratings_users"),
    )
    op.create_index("ix_ratings_users_staff_no", "ratings_users", ["staff_no"])
    op.execute(
        "INSERT INTO ratings_departments (code, name, kind, active, updated_at) "
        "SELECT code, substr(name, 1, 120), 'department', active, updated_at "
        "FROM ratings_directory WHERE kind = 'department'"
    )
    op.execute(
        "INSERT INTO ratings_users (username, staff_no, name, active, updated_at) "
        "SELECT '#' || code, code, substr(name, 1, 120), active, updated_at "
        "FROM ratings_directory WHERE kind = 'staff'"
    )
    op.execute("DELETE FROM ratings_directory WHERE kind IN ('department', 'staff')")


def downgrade() -> None:
    op.execute(
        "INSERT INTO ratings_directory (kind, code, name, active, updated_at) "
        "SELECT 'department', code, name, active, updated_at FROM ratings_departments"
    )
    op.execute(
        "INSERT INTO ratings_directory (kind, code, name, active, updated_at) "
        "SELECT 'staff', staff_no, name, active, updated_at FROM ratings_users "
        "WHERE staff_no IS NOT NULL"
    )
    op.drop_index("ix_ratings_users_staff_no", table_name="ratings_users")
    op.drop_table("ratings_users")
    op.drop_table("ratings_departments")
