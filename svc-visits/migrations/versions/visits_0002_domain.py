"""svc-visits: departments and halls, the enterprise registry, pairings (挂帮), visits (走访),
problems (诉求/交办单) with monthly progress, hall duty (坐班) and the matters handled on it.

Revision ID: visits_0002
Revises: visits_0001
Create Date: 2026-11-27
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from yingshang.db import UTCDateTime

revision: str = "visits_0002"
down_revision: str | Sequence[str] | None = "visits_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table("visits_departments",
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_visits_departments"))
    )
    op.create_table("visits_duty_shifts",
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("hall", sa.String(length=40), nullable=False),
        sa.Column("hall_name", sa.String(length=200), nullable=False),
        sa.Column("hall_department", sa.String(length=60), nullable=False),
        sa.Column("leader_name", sa.String(length=100), nullable=False),
        sa.Column("leader_staff_no", sa.String(length=40), nullable=True),
        sa.Column("leader_title", sa.String(length=100), nullable=True),
        sa.Column("department", sa.String(length=60), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("start", sa.String(length=5), nullable=False),
        sa.Column("end", sa.String(length=5), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("checked_in_at", UTCDateTime(), nullable=True),
        sa.Column("checked_out_at", UTCDateTime(), nullable=True),
        sa.Column("matters_count", sa.Integer(), nullable=False),
        sa.Column("problems_count", sa.Integer(), nullable=False),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits_duty_shifts")),
        sa.UniqueConstraint("number", name=op.f("uq_visits_duty_shifts_number"))
    )
    op.create_index("ix_visits_duty_shifts_created", "visits_duty_shifts", ["created_at", "id"])
    op.create_index("ix_visits_duty_shifts_day", "visits_duty_shifts", ["day", "hall"])
    op.create_index("ix_visits_duty_shifts_leader", "visits_duty_shifts", ["leader_name", "day"])
    op.create_table("visits_enterprises",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("industry", sa.String(length=60), nullable=False),
        sa.Column("park", sa.String(length=100), nullable=True),
        sa.Column("scale", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("tags_text", sa.String(length=400), nullable=False),
        sa.Column("contacts", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits_enterprises")),
        sa.UniqueConstraint("uscc", name=op.f("uq_visits_enterprises_uscc"))
    )
    op.create_index("ix_visits_enterprises_created", "visits_enterprises", ["created_at", "id"])
    op.create_index("ix_visits_enterprises_park", "visits_enterprises", ["park", "scale"])
    op.create_table("visits_halls",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("department", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_visits_halls"))
    )
    op.create_table("visits_pairings",
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("leader_name", sa.String(length=100), nullable=False),
        sa.Column("leader_staff_no", sa.String(length=40), nullable=True),
        sa.Column("leader_title", sa.String(length=100), nullable=True),
        sa.Column("leader_rank", sa.String(length=20), nullable=False),
        sa.Column("department", sa.String(length=60), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("policy_key", sa.String(length=40), nullable=False),
        sa.Column("frequency_amount", sa.Integer(), nullable=False),
        sa.Column("frequency_unit", sa.String(length=20), nullable=False),
        sa.Column("visit_due_at", UTCDateTime(), nullable=True),
        sa.Column("last_visit_on", sa.Date(), nullable=True),
        sa.Column("visits_count", sa.Integer(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["enterprise_id"], ["visits_enterprises.id"], name=op.f("fk_visits_pairings_enterprise_id_visits_enterprises")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits_pairings")),
        sa.UniqueConstraint("number", name=op.f("uq_visits_pairings_number"))
    )
    op.create_index("ix_visits_pairings_created", "visits_pairings", ["created_at", "id"])
    op.create_index("ix_visits_pairings_department", "visits_pairings", ["department", "state"])
    op.create_index("ix_visits_pairings_due", "visits_pairings", ["state", "visit_due_at"])
    op.create_index("ix_visits_pairings_enterprise", "visits_pairings", ["enterprise_id", "state"])
    op.create_index("ix_visits_pairings_leader", "visits_pairings", ["leader_staff_no"])
    op.create_table("visits_visits",
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("pairing_id", sa.Uuid(), nullable=True),
        sa.Column("leader_name", sa.String(length=100), nullable=True),
        sa.Column("leader_staff_no", sa.String(length=40), nullable=True),
        sa.Column("department", sa.String(length=60), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("participants", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("problems_count", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("recorded_by_name", sa.String(length=120), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["enterprise_id"], ["visits_enterprises.id"], name=op.f("fk_visits_visits_enterprise_id_visits_enterprises")),
        sa.ForeignKeyConstraint(["pairing_id"], ["visits_pairings.id"], name=op.f("fk_visits_visits_pairing_id_visits_pairings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits_visits")),
        sa.UniqueConstraint("number", name=op.f("uq_visits_visits_number"))
    )
    op.create_index("ix_visits_visits_created", "visits_visits", ["created_at", "id"])
    op.create_index("ix_visits_visits_department", "visits_visits", ["department", "visited_on"])
    op.create_index("ix_visits_visits_enterprise", "visits_visits", ["enterprise_id", "visited_on"])
    op.create_index("ix_visits_visits_pairing", "visits_visits", ["pairing_id", "visited_on"])
    op.create_table("visits_problems",
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("visit_id", sa.Uuid(), nullable=True),
        sa.Column("duty_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("department", sa.String(length=60), nullable=True),
        sa.Column("contact_name", sa.String(length=50), nullable=True),
        sa.Column("contact_phone", sa.String(length=20), nullable=True),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("assigned_at", UTCDateTime(), nullable=True),
        sa.Column("resolution_due_on", sa.Date(), nullable=True),
        sa.Column("proposal", sa.Text(), nullable=True),
        sa.Column("proposed_at", UTCDateTime(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("solved_at", UTCDateTime(), nullable=True),
        sa.Column("solved_by_staff_no", sa.String(length=40), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("closure", sa.String(length=10), nullable=True),
        sa.Column("closure_note", sa.Text(), nullable=True),
        sa.Column("confirmed_by", sa.String(length=50), nullable=True),
        sa.Column("progress_count", sa.Integer(), nullable=False),
        sa.Column("last_progress_at", UTCDateTime(), nullable=True),
        sa.Column("dispute_count", sa.Integer(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=True),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("origin_client", sa.String(length=120), nullable=True),
        sa.Column("raised_by", sa.String(length=120), nullable=False),
        sa.Column("raised_by_name", sa.String(length=120), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["duty_id"], ["visits_duty_shifts.id"], name=op.f("fk_visits_problems_duty_id_visits_duty_shifts")),
        sa.ForeignKeyConstraint(["enterprise_id"], ["visits_enterprises.id"], name=op.f("fk_visits_problems_enterprise_id_visits_enterprises")),
        sa.ForeignKeyConstraint(["visit_id"], ["visits_visits.id"], name=op.f("fk_visits_problems_visit_id_visits_visits")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits_problems")),
        sa.UniqueConstraint("number", name=op.f("uq_visits_problems_number"))
    )
    op.create_index("ix_visits_problems_closed", "visits_problems", ["closed_at"])
    op.create_index("ix_visits_problems_created", "visits_problems", ["created_at", "id"])
    op.create_index("ix_visits_problems_department", "visits_problems", ["department", "state"])
    op.create_index("ix_visits_problems_due", "visits_problems", ["state", "due_at"])
    op.create_index("ix_visits_problems_enterprise", "visits_problems", ["enterprise_id"])
    op.create_index("ix_visits_problems_received", "visits_problems", ["received_at"])
    op.create_table("visits_duty_matters",
        sa.Column("shift_id", sa.Uuid(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=True),
        sa.Column("problem_id", sa.Uuid(), nullable=True),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("recorded_by_name", sa.String(length=120), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["enterprise_id"], ["visits_enterprises.id"], name=op.f("fk_visits_duty_matters_enterprise_id_visits_enterprises")),
        sa.ForeignKeyConstraint(["problem_id"], ["visits_problems.id"], name=op.f("fk_visits_duty_matters_problem_id_visits_problems")),
        sa.ForeignKeyConstraint(["shift_id"], ["visits_duty_shifts.id"], name=op.f("fk_visits_duty_matters_shift_id_visits_duty_shifts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits_duty_matters"))
    )
    op.create_index("ix_visits_duty_matters_shift", "visits_duty_matters", ["shift_id", "at"])
    op.create_table("visits_problem_progress",
        sa.Column("problem_id", sa.Uuid(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=True),
        sa.Column("by", sa.String(length=120), nullable=False),
        sa.Column("by_name", sa.String(length=120), nullable=True),
        sa.Column("staff_no", sa.String(length=40), nullable=True),
        sa.Column("department", sa.String(length=60), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["problem_id"], ["visits_problems.id"], name=op.f("fk_visits_problem_progress_problem_id_visits_problems")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits_problem_progress"))
    )
    op.create_index("ix_visits_problem_progress_problem", "visits_problem_progress", ["problem_id", "at"])


def downgrade() -> None:
    op.drop_table("visits_problem_progress")
    op.drop_table("visits_duty_matters")
    op.drop_table("visits_problems")
    op.drop_table("visits_visits")
    op.drop_table("visits_pairings")
    op.drop_table("visits_halls")
    op.drop_table("visits_enterprises")
    op.drop_table("visits_duty_shifts")
    op.drop_table("visits_departments")
