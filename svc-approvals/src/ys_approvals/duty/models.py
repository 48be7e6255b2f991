"""A read model of duty sittings published by svc-visits (``ys.visits.duty.*``)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.clock import now
from yingshang.db import IdMixin, UTCDateTime
from ys_approvals.models import Base


class DutySitting(IdMixin, Base):
    __tablename__ = "duty_sittings"
    __table_args__ = (Index("ix_duty_sittings_day", "day", "hall"),)

    source_key: Mapped[str] = mapped_column(String(100), unique=True)  # the sitting's id upstream
    leader_name: Mapped[str] = mapped_column(String(100))
    hall: Mapped[str] = mapped_column(String(200))  # hall code (or name when unknown)
    day: Mapped[date] = mapped_column(Date)
    start: Mapped[str | None] = mapped_column(String(5))
    end: Mapped[str | None] = mapped_column(String(5))
    department: Mapped[str | None] = mapped_column(String(40))
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    # svc-visits' state of the sitting: scheduled | on_duty (checked in) | completed | cancelled
    state: Mapped[str | None] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now, onupdate=now)
