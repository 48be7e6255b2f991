"""A complaint case (投诉案件), its evidence list and its notes.

The complainant's identity (enterprise name, USCC, contact name and phone) lives only in this
table of the complaints center's own database; events and every view outside the center
carry it masked or not at all (DOMAIN.md, "Enterprise complaints": confidentiality).
Amounts are kept in fen (分) as integers: exact, and the same on SQLite and PostgreSQL.
"""

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.db import IdMixin, TimestampMixin, VersionMixin
from yingshang.sealing import INDEX_LENGTH, Sealed, keep_index
from ys_complaints.models import Base

CASE_KIND = "case"
PHONE = Sealed("complaints", "phone")  # sealed at rest; searched by its blind index


class ComplaintCase(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "complaints_cases"
    __table_args__ = (
        Index("ix_complaints_cases_received", "received_at", "id"),
        Index("ix_complaints_cases_state_dept", "state", "department"),
        Index("ix_complaints_cases_respondent", "respondent", "received_at"),
        Index("ix_complaints_cases_uscc", "enterprise_uscc"),
        Index("ix_complaints_cases_phone", "contact_phone_index"),
        Index("ix_complaints_cases_due", "due_at"),
        Index("ix_complaints_cases_category", "category", "received_at"),
        # A hotline ticket opens one linked case, whatever the broker delivers.
        Index("ix_complaints_cases_origin_ticket", "origin_ticket_id", unique=True),
    )

    number: Mapped[str] = mapped_column(String(40), unique=True)  # TS20261126-00001
    query_code_hash: Mapped[str] = mapped_column(String(64))  # 查询码, hashed (shown once)
    source: Mapped[str] = mapped_column(String(20))
    origin_client: Mapped[str | None] = mapped_column(String(120))
    origin_ticket_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    origin_ticket_number: Mapped[str | None] = mapped_column(String(40))
    # 实名 / 匿名: an anonymous complaint holds no identity at all.
    real_name: Mapped[bool] = mapped_column(Boolean)
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    enterprise_uscc: Mapped[str | None] = mapped_column(String(18))
    contact_name: Mapped[str | None] = mapped_column(String(80))
    contact_phone: Mapped[str | None] = mapped_column(PHONE)
    contact_phone_index: Mapped[str | None] = mapped_column(String(INDEX_LENGTH))
    # The enterprise consents to its identity being shown to the respondent.
    disclose_to_respondent: Mapped[bool] = mapped_column(Boolean, default=False)
    respondent: Mapped[str | None] = mapped_column(String(60))  # 被投诉单位 (dept or town)
    department: Mapped[str] = mapped_column(String(60))  # responsible unit (责任单位)
    category: Mapped[str] = mapped_column(String(40))
    category_other: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    facts: Mapped[str] = mapped_column(Text)
    claimed_fen: Mapped[int | None] = mapped_column(BigInteger)  # e.g. the unpaid bill
    bill_due_date: Mapped[date | None] = mapped_column(Date)
    recovered_fen: Mapped[int | None] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    exclusion: Mapped[str | None] = mapped_column(String(30))
    referral: Mapped[str | None] = mapped_column(Text)
    assigned_at: Mapped[datetime | None]
    replied_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    verdict: Mapped[str | None] = mapped_column(String(20))
    dispute_count: Mapped[int] = mapped_column(Integer, default=0)
    supervised: Mapped[bool] = mapped_column(Boolean, default=False)  # 督办
    closed_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(40))
    checkback_from: Mapped[datetime | None]  # anti-retaliation check-back opens then
    checked_back_at: Mapped[datetime | None]
    retaliation_found: Mapped[bool | None] = mapped_column(Boolean)
    due_at: Mapped[datetime | None]  # due time of the clock now running (overdue filter)
    created_by: Mapped[str] = mapped_column(String(120))


keep_index(ComplaintCase.contact_phone, ComplaintCase.contact_phone_index)


class Evidence(IdMixin, Base):
    """Evidence metadata (证据). ``identifying`` evidence (contracts, invoices, letters naming
    the enterprise) is never shown to the respondent without the enterprise's consent."""

    __tablename__ = "complaints_evidence"

    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("complaints_cases.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    identifying: Mapped[bool] = mapped_column(Boolean)
    provided_on: Mapped[date | None] = mapped_column(Date)


class CaseNote(IdMixin, Base):
    """What was written on a case: investigation notes, the unit's reply, the result ..."""

    __tablename__ = "complaints_case_notes"
    __table_args__ = (Index("ix_complaints_case_notes_case", "case_id", "seq", unique=True),)

    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("complaints_cases.id", ondelete="CASCADE")
    )
    seq: Mapped[int] = mapped_column(Integer)  # order within the case (same instant, too)
    kind: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    department: Mapped[str | None] = mapped_column(String(60))  # position acted in
    author: Mapped[str] = mapped_column(String(120))
    author_name: Mapped[str | None] = mapped_column(String(120))
    staff_no: Mapped[str | None] = mapped_column(String(40))
    at: Mapped[datetime]
