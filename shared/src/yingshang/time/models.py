"""Tables of the deadline engine (plumbing every service carries; migrations branch ``ys_time``).

* ``ys_calendar_years``: county-loaded holiday-cn year documents, so every replica sees them.
* ``ys_policies``: time-limit policies as rows (service, case kind, stage, urgency).
* ``ys_deadline_stages``: one timed stage of one case, with the policy terms copied at start
  (policy edits apply to new stages only) and the sweeper's cursor (``next_fire_at``).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Index, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.clock import now
from yingshang.db import IdMixin, PlumbingBase, UTCDateTime

RUNNING, PAUSED, COMPLETED, CANCELLED = "running", "paused", "completed", "cancelled"
OPEN_STATUSES = (RUNNING, PAUSED)


class CalendarYear(PlumbingBase):
    __tablename__ = "ys_calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    digest: Mapped[str] = mapped_column(String(64))  # sha256 of the canonical document
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)
    loaded_by: Mapped[str] = mapped_column(String(120))


class Policy(PlumbingBase):
    """A time limit (时限) and its escalation ladder for one (case kind, stage, urgency)."""

    __tablename__ = "ys_policies"
    __table_args__ = (UniqueConstraint("service", "case_kind", "stage", "urgency"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    service: Mapped[str] = mapped_column(String(40))
    case_kind: Mapped[str] = mapped_column(String(40))
    stage: Mapped[str] = mapped_column(String(40))
    urgency: Mapped[str] = mapped_column(String(20), default="normal")
    amount: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(20))
    warning_fraction: Mapped[float] = mapped_column(Float, default=0.8)
    ladder: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    description: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)
    updated_by: Mapped[str] = mapped_column(String(120))


class DeadlineStage(IdMixin, PlumbingBase):
    """One timed stage of a case.

    ``remaining`` and ``total`` are in the unit's *measure* (``yingshang.time.arithmetic``):
    days for working/natural days, office seconds for working hours, seconds otherwise.
    While running, the due time is ``remaining`` counted from ``counted_from``; while paused,
    ``remaining`` is what was left when the clock stopped and ``due_at`` keeps its last value.
    """

    __tablename__ = "ys_deadline_stages"
    __table_args__ = (
        Index("ix_ys_deadline_stages_next_fire_at", "next_fire_at"),
        Index("ix_ys_deadline_stages_case", "case_kind", "case_id"),
        Index("ix_ys_deadline_stages_provisional", "provisional", "status"),
    )

    service: Mapped[str] = mapped_column(String(40))
    case_kind: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[uuid.UUID] = mapped_column(Uuid())
    case_number: Mapped[str] = mapped_column(String(80))
    department: Mapped[str] = mapped_column(String(60))
    origin_client: Mapped[str | None] = mapped_column(String(120))
    stage: Mapped[str] = mapped_column(String(40))
    urgency: Mapped[str] = mapped_column(String(20))
    policy_id: Mapped[int | None] = mapped_column(Integer)
    policy_version: Mapped[int | None] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(20))
    warning_fraction: Mapped[float] = mapped_column(Float)
    ladder: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    counted_from: Mapped[datetime] = mapped_column(UTCDateTime())
    total: Mapped[float] = mapped_column(Float)
    remaining: Mapped[float] = mapped_column(Float)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    warning_at: Mapped[datetime] = mapped_column(UTCDateTime())
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(12), default=RUNNING)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    next_fire_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    warning_emitted: Mapped[bool] = mapped_column(Boolean, default=False)
    overdue_emitted: Mapped[bool] = mapped_column(Boolean, default=False)
    level_emitted: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now, onupdate=now)

    @property
    def case_key(self) -> str:
        """CloudEvents ``subject``: ``<kind>/<case_id>`` (the ordering key of the contract)."""
        return f"{self.case_kind}/{self.case_id}"
