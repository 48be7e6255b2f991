"""Read model fed only by events of every service (created/closed and deadline events)."""

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Index, SmallInteger, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.db import IdMixin
from ys_ratings.models import Base


class CaseFact(IdMixin, Base):
    """One case of any service: when it was received and closed, and the unit it counts for
    (a case handed on by a center counts for the unit it was handed to, from then on)."""

    __tablename__ = "ratings_case_facts"
    __table_args__ = (
        UniqueConstraint("service", "case_id", name="uq_ratings_case_facts_case"),
        Index("ix_ratings_case_facts_received", "received_month", "department"),
        Index("ix_ratings_case_facts_closed", "closed_month", "department"),
    )

    service: Mapped[str] = mapped_column(String(40))
    case_kind: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[uuid.UUID] = mapped_column(Uuid())
    case_number: Mapped[str] = mapped_column(String(80))
    department: Mapped[str] = mapped_column(String(60))
    origin_client: Mapped[str | None] = mapped_column(String(120))
    received_at: Mapped[datetime | None] = mapped_column()
    received_month: Mapped[str | None] = mapped_column(String(7))
    closed_at: Mapped[datetime | None] = mapped_column()
    closed_month: Mapped[str | None] = mapped_column(String(7))
    outcome: Mapped[str | None] = mapped_column(String(60))
    # Why the case is no unit's 受理 at all: a 12345 ticket merged into an earlier one
    # (``merged``) or transferred to the complaints center (``transferred``, counted there as
    # the complaints case it became).
    excluded: Mapped[str | None] = mapped_column(String(20))


class StageFact(IdMixin, Base):
    """One timed stage (a deadline of ``yingshang.time``) as its events reported it."""

    __tablename__ = "ratings_stage_facts"
    __table_args__ = (
        Index("ix_ratings_stage_facts_completed", "completed_month", "department"),
        Index("ix_ratings_stage_facts_open", "completed_at", "department"),
    )

    stage_id: Mapped[str] = mapped_column(String(64), unique=True)
    service: Mapped[str] = mapped_column(String(40))
    case_kind: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[uuid.UUID] = mapped_column(Uuid())
    case_number: Mapped[str] = mapped_column(String(80))
    department: Mapped[str] = mapped_column(String(60))
    stage: Mapped[str] = mapped_column(String(40))
    due_at: Mapped[datetime | None] = mapped_column()
    warned_at: Mapped[datetime | None] = mapped_column()
    overdue_at: Mapped[datetime | None] = mapped_column()
    level: Mapped[int] = mapped_column(SmallInteger, default=0)
    completed_at: Mapped[datetime | None] = mapped_column()
    completed_month: Mapped[str | None] = mapped_column(String(7))
    on_time: Mapped[bool | None] = mapped_column(Boolean)


class LedgerEntry(IdMixin, Base):
    """督办台账: an open escalation of one stage, at its highest level so far."""

    __tablename__ = "ratings_ledger"
    __table_args__ = (
        Index("ix_ratings_ledger_open", "closed_at", "level", "department"),
        Index("ix_ratings_ledger_since", "since_month", "department"),
        Index("ix_ratings_ledger_page", "since", "id"),
    )

    stage_id: Mapped[str] = mapped_column(String(64), unique=True)
    service: Mapped[str] = mapped_column(String(40))
    case_kind: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[uuid.UUID] = mapped_column(Uuid())
    case_number: Mapped[str] = mapped_column(String(80))
    department: Mapped[str] = mapped_column(String(60))
    origin_client: Mapped[str | None] = mapped_column(String(120))
    stage: Mapped[str] = mapped_column(String(40))
    level: Mapped[int] = mapped_column(SmallInteger)
    since: Mapped[datetime] = mapped_column()
    since_month: Mapped[str] = mapped_column(String(7))
    due_at: Mapped[datetime | None] = mapped_column()
    raised_at: Mapped[datetime] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()
    closed_by: Mapped[str | None] = mapped_column(String(30))
