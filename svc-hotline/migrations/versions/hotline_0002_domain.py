"""svc-hotline: departments, dispatch catalogue, knowledge base, tickets and replies.

Revision ID: hotline_0002
Revises: hotline_0001
Create Date: 2026-11-26
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from yingshang.db import UTCDateTime

revision: str = "hotline_0002"
down_revision: str | Sequence[str] | None = "hotline_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _directory_and_catalogue() -> None:
    op.create_table(
        "hotline_departments",
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_hotline_departments"),
    )
    op.create_table(
        "hotline_categories",
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("lead_department", sa.String(60)),
        sa.Column("co_departments", sa.JSON(), nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("transfer_to_complaints", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(120)),
        sa.PrimaryKeyConstraint("code", name="pk_hotline_categories"),
    )
    op.create_table(
        "hotline_category_revisions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("changed_by", sa.String(120)),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_hotline_category_revisions"),
        sa.ForeignKeyConstraint(
            ["code"], ["hotline_categories.code"], ondelete="CASCADE",
            name="fk_hotline_category_revisions_code_hotline_categories",
        ),
    )
    op.create_index(
        "ix_hotline_category_revisions_code", "hotline_category_revisions", ["code", "revision"]
    )


def _knowledge() -> None:
    op.create_table(
        "hotline_kb_entries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("category_code", sa.String(60)),
        sa.Column("department", sa.String(60)),
        sa.Column("valid_from", UTCDateTime()),
        sa.Column("valid_to", UTCDateTime()),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("search_tokens", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(120)),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_hotline_kb_entries"),
    )
    op.create_index(
        "ix_hotline_kb_entries_category_code", "hotline_kb_entries", ["category_code"]
    )
    if op.get_bind().dialect.name == "sqlite":
        # Bigram text (see ys_hotline.knowledge.tokens); unicode61 splits it on spaces.
        op.execute("CREATE VIRTUAL TABLE hotline_kb_fts USING fts5(entry_id UNINDEXED, tokens)")
    else:
        op.execute(
            "CREATE INDEX ix_hotline_kb_entries_search ON hotline_kb_entries "
            "USING gin (to_tsvector('simple', search_tokens))"
        )


def _tickets() -> None:
    op.create_table(
        "hotline_tickets",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("query_code_hash", sa.String(64), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("external_id", sa.String(80)),
        sa.Column("origin_client", sa.String(80)),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("urgency", sa.String(10), nullable=False),
        sa.Column("category_code", sa.String(60)),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_digest", sa.String(64), nullable=False),
        sa.Column("location", sa.String(200)),
        sa.Column("requester_name", sa.String(80)),
        sa.Column("requester_phone", sa.String(20)),
        sa.Column("enterprise_name", sa.String(200)),
        sa.Column("enterprise_uscc", sa.String(18)),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("state", sa.String(30), nullable=False),
        sa.Column("department", sa.String(60)),
        sa.Column("co_departments", sa.JSON(), nullable=False),
        sa.Column("due_at", UTCDateTime()),
        sa.Column("urge_count", sa.Integer(), nullable=False),
        sa.Column("supervised", sa.Boolean(), nullable=False),
        sa.Column("extension_status", sa.String(20)),
        sa.Column("extension_days", sa.Integer()),
        sa.Column("extension_reason", sa.Text()),
        sa.Column("return_reason", sa.Text()),
        sa.Column("merged_into_id", sa.Uuid()),
        sa.Column("duplicate_hints", sa.JSON(), nullable=False),
        sa.Column("answer", sa.Text()),
        sa.Column("kb_entry_id", sa.Uuid()),
        sa.Column("signed_by", sa.String(120)),
        sa.Column("signed_at", UTCDateTime()),
        sa.Column("handler_staff_no", sa.String(40)),
        sa.Column("closed_at", UTCDateTime()),
        sa.Column("outcome", sa.String(40)),
        sa.Column("satisfaction", sa.Integer()),
        sa.Column("revisited_at", UTCDateTime()),
        sa.Column("reopen_count", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(120)),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_hotline_tickets"),
        sa.UniqueConstraint("number", name="uq_hotline_tickets_number"),
    )
    for name, cols, unique in (
        ("ix_hotline_tickets_origin_external", ["origin_client", "external_id"], True),
        ("ix_hotline_tickets_status_dept", ["state", "department"], False),
        ("ix_hotline_tickets_phone", ["requester_phone", "received_at"], False),
        ("ix_hotline_tickets_category", ["category_code", "received_at"], False),
        ("ix_hotline_tickets_received", ["received_at"], False),
        ("ix_hotline_tickets_due", ["due_at"], False),
    ):
        op.create_index(name, "hotline_tickets", cols, unique=unique)
    op.create_table(
        "hotline_ticket_replies",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("department", sa.String(60), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author", sa.String(120), nullable=False),
        sa.Column("author_name", sa.String(120)),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("verdict", sa.String(20)),
        sa.PrimaryKeyConstraint("id", name="pk_hotline_ticket_replies"),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["hotline_tickets.id"], ondelete="CASCADE",
            name="fk_hotline_ticket_replies_ticket_id_hotline_tickets",
        ),
    )
    op.create_index(
        "ix_hotline_ticket_replies_ticket_id", "hotline_ticket_replies", ["ticket_id"]
    )


def upgrade() -> None:
    _directory_and_catalogue()
    _knowledge()
    _tickets()


def downgrade() -> None:
    op.drop_table("hotline_ticket_replies")
    op.drop_table("hotline_tickets")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE hotline_kb_fts")
    op.drop_table("hotline_kb_entries")
    op.drop_table("hotline_category_revisions")
    op.drop_table("hotline_categories")
    op.drop_table("hotline_departments")
