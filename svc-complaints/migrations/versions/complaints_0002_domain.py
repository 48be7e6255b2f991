"""svc-complaints: departments, cases with evidence and notes, inspections and findings,
enforcement actions and targets.

Revision ID: complaints_0002
Revises: complaints_0001
Create Date: 2026-11-26
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from yingshang.db import UTCDateTime

revision: str = "complaints_0002"
down_revision: str | Sequence[str] | None = "complaints_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _departments() -> None:
    op.create_table(
        "complaints_departments",
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_complaints_departments"),
    )


def _case_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("query_code_hash", sa.String(64), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("origin_client", sa.String(120)),
        sa.Column("origin_ticket_id", sa.Uuid()),
        sa.Column("origin_ticket_number", sa.String(40)),
        sa.Column("real_name", sa.Boolean(), nullable=False),
        sa.Column("enterprise_name", sa.String(200)),
        sa.Column("enterprise_uscc", sa.String(18)),
        sa.Column("contact_name", sa.String(80)),
        sa.Column("contact_phone", sa.String(20)),
        sa.Column("disclose_to_respondent", sa.Boolean(), nullable=False),
        sa.Column("respondent", sa.String(60)),
        sa.Column("department", sa.String(60), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("category_other", sa.String(200)),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("claimed_fen", sa.BigInteger()),
        sa.Column("bill_due_date", sa.Date()),
        sa.Column("recovered_fen", sa.BigInteger()),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("decided_at", UTCDateTime()),
        sa.Column("exclusion", sa.String(30)),
        sa.Column("referral", sa.Text()),
        sa.Column("assigned_at", UTCDateTime()),
        sa.Column("replied_at", UTCDateTime()),
        sa.Column("resolved_at", UTCDateTime()),
        sa.Column("verdict", sa.String(20)),
        sa.Column("dispute_count", sa.Integer(), nullable=False),
        sa.Column("supervised", sa.Boolean(), nullable=False),
        sa.Column("closed_at", UTCDateTime()),
        sa.Column("outcome", sa.String(40)),
        sa.Column("checkback_from", UTCDateTime()),
        sa.Column("checked_back_at", UTCDateTime()),
        sa.Column("retaliation_found", sa.Boolean()),
        sa.Column("due_at", UTCDateTime()),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_complaints_cases"),
        sa.UniqueConstraint("number", name="uq_complaints_cases_number"),
    ]


def _cases() -> None:
    op.create_table("complaints_cases", *_case_columns())
    for name, columns, unique in (
        ("ix_complaints_cases_received", ["received_at", "id"], False),
        ("ix_complaints_cases_state_dept", ["state", "department"], False),
        ("ix_complaints_cases_respondent", ["respondent", "received_at"], False),
        ("ix_complaints_cases_uscc", ["enterprise_uscc"], False),
        ("ix_complaints_cases_due", ["due_at"], False),
        ("ix_complaints_cases_category", ["category", "received_at"], False),
        ("ix_complaints_cases_origin_ticket", ["origin_ticket_id"], True),
    ):
        op.create_index(name, "complaints_cases", columns, unique=unique)
    op.create_table(
        "complaints_evidence",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("identifying", sa.Boolean(), nullable=False),
        sa.Column("provided_on", sa.Date()),
        sa.PrimaryKeyConstraint("id", name="pk_complaints_evidence"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["complaints_cases.id"], ondelete="CASCADE",
            name="fk_complaints_evidence_case_id_complaints_cases",
        ),
    )
    op.create_index("ix_complaints_evidence_case_id", "complaints_evidence", ["case_id"])
    op.create_table(
        "complaints_case_notes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("department", sa.String(60)),
        sa.Column("author", sa.String(120), nullable=False),
        sa.Column("author_name", sa.String(120)),
        sa.Column("staff_no", sa.String(40)),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_complaints_case_notes"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["complaints_cases.id"], ondelete="CASCADE",
            name="fk_complaints_case_notes_case_id_complaints_cases",
        ),
    )
    op.create_index(
        "ix_complaints_case_notes_case", "complaints_case_notes", ["case_id", "seq"], unique=True
    )


def _inspections() -> None:
    op.create_table(
        "complaints_inspections",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("conducted_on", sa.Date(), nullable=False),
        sa.Column("team", sa.JSON(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text()),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_complaints_inspections"),
        sa.UniqueConstraint("number", name="uq_complaints_inspections_number"),
    )
    op.create_index(
        "ix_complaints_inspections_conducted", "complaints_inspections", ["conducted_on", "id"]
    )
    op.create_table(
        "complaints_findings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("department", sa.String(60), nullable=False),
        sa.Column("finding_class", sa.String(20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("due_at", UTCDateTime()),
        sa.Column("rectification", sa.Text()),
        sa.Column("rectified_at", UTCDateTime()),
        sa.Column("verification_note", sa.Text()),
        sa.Column("closed_at", UTCDateTime()),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_complaints_findings"),
        sa.UniqueConstraint("number", name="uq_complaints_findings_number"),
        sa.ForeignKeyConstraint(
            ["inspection_id"], ["complaints_inspections.id"], ondelete="CASCADE",
            name="fk_complaints_findings_inspection_id_complaints_inspections",
        ),
    )
    op.create_index(
        "ix_complaints_findings_inspection_id", "complaints_findings", ["inspection_id"]
    )
    op.create_index("ix_complaints_findings_dept", "complaints_findings", ["department", "state"])
    op.create_index("ix_complaints_findings_created", "complaints_findings", ["created_at", "id"])


def _enforcement() -> None:
    op.create_table(
        "complaints_enforcement_actions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("department", sa.String(60), nullable=False),
        sa.Column("acted_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("first_offence_waived", sa.Boolean(), nullable=False),
        sa.Column("enterprise_name", sa.String(200)),
        sa.Column("enterprise_uscc", sa.String(18)),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.String(300)),
        sa.Column("fine_fen", sa.BigInteger()),
        sa.Column("recorded_by", sa.String(120), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_complaints_enforcement_actions"),
    )
    op.create_index(
        "ix_complaints_enforcement_dept_day",
        "complaints_enforcement_actions",
        ["department", "acted_on"],
    )
    op.create_index(
        "ix_complaints_enforcement_recorded",
        "complaints_enforcement_actions",
        ["recorded_at", "id"],
    )
    op.create_table(
        "complaints_enforcement_targets",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("service_min", sa.Float(), nullable=False),
        sa.Column("education_share", sa.Float(), nullable=False),
        sa.Column("penalty_max", sa.Float(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(120), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_complaints_enforcement_targets"),
    )


def upgrade() -> None:
    _departments()
    _cases()
    _inspections()
    _enforcement()


def downgrade() -> None:
    for table in (
        "complaints_enforcement_targets",
        "complaints_enforcement_actions",
        "complaints_findings",
        "complaints_inspections",
        "complaints_case_notes",
        "complaints_evidence",
        "complaints_cases",
        "complaints_departments",
    ):
        op.drop_table(table)
