"""svc-visits: indicators and their owners (指标长) with their scores per period and every kept
version; joint meetings (联席会议). A problem may come from a meeting (``meeting_id``), then
without an enterprise, and may name the indicator it serves (``indicator_code``).

A downgrade needs every problem to have an enterprise again.

Revision ID: visits_0005
Revises: visits_0004
Create Date: 2026-11-29
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from yingshang.db import UTCDateTime

revision: str = "visits_0005"
down_revision: str | Sequence[str] | None = "visits_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table("visits_indicators",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("lead_department", sa.String(length=60), nullable=False),
        sa.Column("co_departments", sa.JSON(), nullable=False),
        sa.Column("owner_name", sa.String(length=100), nullable=False),
        sa.Column("owner_staff_no", sa.String(length=40), nullable=True),
        sa.Column("owner_title", sa.String(length=100), nullable=True),
        sa.Column("target", sa.Text(), nullable=True),
        sa.Column("target_hundredths", sa.BigInteger(), nullable=True),
        sa.Column("target_unit", sa.String(length=20), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits_indicators")),
        sa.UniqueConstraint("code", name=op.f("uq_visits_indicators_code"))
    )
    op.create_index("ix_visits_indicators_created", "visits_indicators", ["created_at", "id"])
    op.create_index("ix_visits_indicators_lead", "visits_indicators", ["lead_department", "active"])
    op.create_index("ix_visits_indicators_owner", "visits_indicators", ["owner_staff_no"])
    op.create_table("visits_meetings",
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("chaired_by", sa.String(length=100), nullable=False),
        sa.Column("chair_title", sa.String(length=100), nullable=True),
        sa.Column("participants", sa.JSON(), nullable=False),
        sa.Column("minutes", sa.Text(), nullable=False),
        sa.Column("indicator_codes", sa.JSON(), nullable=False),
        sa.Column("decisions_count", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("recorded_by_name", sa.String(length=120), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits_meetings")),
        sa.UniqueConstraint("number", name=op.f("uq_visits_meetings_number"))
    )
    op.create_index("ix_visits_meetings_created", "visits_meetings", ["created_at", "id"])
    op.create_index("ix_visits_meetings_held", "visits_meetings", ["held_on"])
    op.create_table("visits_indicator_revisions",
        sa.Column("indicator_id", sa.Uuid(), nullable=False),
        sa.Column("subject", sa.String(length=10), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("changed_by", sa.String(length=120), nullable=False),
        sa.Column("changed_by_name", sa.String(length=120), nullable=True),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["indicator_id"], ["visits_indicators.id"], name=op.f("fk_visits_indicator_revisions_indicator_id_visits_indicators")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits_indicator_revisions"))
    )
    op.create_index("ix_visits_indicator_revisions_indicator", "visits_indicator_revisions", ["indicator_id", "changed_at"])
    op.create_table("visits_indicator_scores",
        sa.Column("indicator_id", sa.Uuid(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("score_hundredths", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("rank_of", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("recorded_by_name", sa.String(length=120), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["indicator_id"], ["visits_indicators.id"], name=op.f("fk_visits_indicator_scores_indicator_id_visits_indicators")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits_indicator_scores")),
        sa.UniqueConstraint("indicator_id", "period", name=op.f("uq_visits_indicator_scores_indicator_id"))
    )
    with op.batch_alter_table("visits_problems") as batch:
        batch.add_column(sa.Column("meeting_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("indicator_code", sa.String(length=40), nullable=True))
        batch.alter_column("enterprise_id", existing_type=sa.Uuid(), nullable=True)
        batch.create_foreign_key(op.f("fk_visits_problems_meeting_id_visits_meetings"), "visits_meetings", ["meeting_id"], ["id"])
        batch.create_foreign_key(op.f("fk_visits_problems_indicator_code_visits_indicators"), "visits_indicators", ["indicator_code"], ["code"])
        batch.create_check_constraint(op.f("ck_visits_problems_enterprise_or_meeting"), "enterprise_id IS NOT NULL OR source = 'meeting'")
    op.create_index("ix_visits_problems_meeting", "visits_problems", ["meeting_id"])
    op.create_index("ix_visits_problems_indicator", "visits_problems", ["indicator_code", "state"])


def downgrade() -> None:
    op.drop_index("ix_visits_problems_indicator", table_name="visits_problems")
    op.drop_index("ix_visits_problems_meeting", table_name="visits_problems")
    with op.batch_alter_table("visits_problems") as batch:
        batch.drop_constraint(op.f("ck_visits_problems_enterprise_or_meeting"), type_="check")
        batch.drop_constraint(op.f("fk_visits_problems_indicator_code_visits_indicators"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_visits_problems_meeting_id_visits_meetings"), type_="foreignkey")
        batch.alter_column("enterprise_id", existing_type=sa.Uuid(), nullable=False)
        batch.drop_column("indicator_code")
        batch.drop_column("meeting_id")
    op.drop_table("visits_indicator_scores")
    op.drop_table("visits_indicator_revisions")
    op.drop_table("visits_meetings")
    op.drop_table("visits_indicators")
