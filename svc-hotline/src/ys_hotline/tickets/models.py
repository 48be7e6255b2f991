"""Ticket (工单) and its replies. Personal data stays here; events carry it masked."""

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.db import IdMixin, TimestampMixin, VersionMixin
from yingshang.sealing import INDEX_LENGTH, Sealed, keep_index
from ys_hotline.models import Base

CASE_KIND = "ticket"
PHONE = Sealed("hotline", "phone")  # sealed at rest; looked up by its blind index


class Ticket(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "hotline_tickets"
    __table_args__ = (
        Index("ix_hotline_tickets_origin_external", "origin_client", "external_id", unique=True),
        Index("ix_hotline_tickets_status_dept", "state", "department"),
        Index("ix_hotline_tickets_phone", "requester_phone_index", "received_at"),
        Index("ix_hotline_tickets_category", "category_code", "received_at"),
        Index("ix_hotline_tickets_received", "received_at"),
        Index("ix_hotline_tickets_due", "due_at"),
    )

    number: Mapped[str] = mapped_column(String(40), unique=True)
    query_code_hash: Mapped[str] = mapped_column(String(64))  # 查询码, hashed (shown once)
    source: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str | None] = mapped_column(String(80))
    origin_client: Mapped[str | None] = mapped_column(String(80))
    type: Mapped[str] = mapped_column(String(20))
    urgency: Mapped[str] = mapped_column(String(10), default="normal")
    category_code: Mapped[str | None] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    content_digest: Mapped[str] = mapped_column(String(64))
    location: Mapped[str | None] = mapped_column(String(200))
    requester_name: Mapped[str | None] = mapped_column(String(80))
    requester_phone: Mapped[str | None] = mapped_column(PHONE)
    requester_phone_index: Mapped[str | None] = mapped_column(String(INDEX_LENGTH))
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    enterprise_uscc: Mapped[str | None] = mapped_column(String(18))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    received_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(30))  # shown as "status"
    department: Mapped[str | None] = mapped_column(String(60))
    co_departments: Mapped[list[str]] = mapped_column(JSON, default=list)
    due_at: Mapped[datetime | None]  # 办理 (handling) due time, counted from received_at
    urge_count: Mapped[int] = mapped_column(Integer, default=0)  # 催办
    supervised: Mapped[bool] = mapped_column(Boolean, default=False)  # 督办
    extension_status: Mapped[str | None] = mapped_column(String(20))  # 延期
    extension_days: Mapped[int | None] = mapped_column(Integer)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    return_reason: Mapped[str | None] = mapped_column(Text)  # 退单
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())  # 并单
    duplicate_hints: Mapped[list[str]] = mapped_column(JSON, default=list)
    answer: Mapped[str | None] = mapped_column(Text)  # the reply the requester sees
    kb_entry_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    signed_by: Mapped[str | None] = mapped_column(String(120))
    signed_at: Mapped[datetime | None]
    handler_staff_no: Mapped[str | None] = mapped_column(String(40))  # who replied (工号)
    closed_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(40))
    satisfaction: Mapped[int | None] = mapped_column(Integer)  # the latest 回访 (reopen clears it)
    # The ticket's 好差评 rating: its first 回访. A reopen and a later 回访 do not replace it
    # (svc-ratings keeps the same score; the later one is the requester's word on the redo).
    rating_level: Mapped[int | None] = mapped_column(Integer)
    revisited_at: Mapped[datetime | None]
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str | None] = mapped_column(String(120))


keep_index(Ticket.requester_phone, Ticket.requester_phone_index)


class TicketReply(IdMixin, Base):
    """A handling department's reply (回复); the center accepts or sends it back."""

    __tablename__ = "hotline_ticket_replies"

    ticket_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("hotline_tickets.id", ondelete="CASCADE"), index=True
    )
    department: Mapped[str] = mapped_column(String(60))
    body: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(120))
    author_name: Mapped[str | None] = mapped_column(String(120))
    at: Mapped[datetime]
    verdict: Mapped[str | None] = mapped_column(String(20))  # accepted | sent_back


class ClockRound(Base):
    """The round (第 n 轮) of a clock started after a reopen: a reopened ticket runs its five
    stages again, and its page tells the rounds apart. A clock without a row here is of the
    first round (most tickets are never reopened: their intake writes nothing more)."""

    __tablename__ = "hotline_clock_rounds"

    stage_id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True)  # ys_deadline_stages
    ticket_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("hotline_tickets.id", ondelete="CASCADE"), index=True
    )
    round: Mapped[int] = mapped_column(Integer)  # 2, 3, … (1 + the reopens before its start)
