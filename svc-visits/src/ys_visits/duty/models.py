"""A duty sitting (坐班) and the matters handled on it."""

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.clock import now
from yingshang.db import IdMixin, TimestampMixin, UTCDateTime, VersionMixin
from ys_visits.models import Base

KIND = "duty"  # timeline, ETag and events ys.visits.duty.*


class DutyShift(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "visits_duty_shifts"
    __table_args__ = (
        Index("ix_visits_duty_shifts_starts", "starts_at", "id"),
        Index("ix_visits_duty_shifts_day", "day", "hall"),
        Index("ix_visits_duty_shifts_leader", "leader_name", "day"),
    )

    number: Mapped[str] = mapped_column(String(40), unique=True)  # ZB20261126-00001 坐班
    hall: Mapped[str] = mapped_column(String(40))  # hall code (deploy/seed/county.yaml)
    hall_name: Mapped[str] = mapped_column(String(200))
    hall_department: Mapped[str] = mapped_column(String(60))  # HALL, or the town's code
    leader_name: Mapped[str] = mapped_column(String(100))
    leader_staff_no: Mapped[str | None] = mapped_column(String(40))
    leader_title: Mapped[str | None] = mapped_column(String(100))
    department: Mapped[str] = mapped_column(String(60))  # the leader's department
    day: Mapped[date] = mapped_column(Date)
    start: Mapped[str] = mapped_column(String(5))  # HH:MM Asia/Shanghai
    end: Mapped[str] = mapped_column(String(5))
    # ``day`` at ``start`` as one instant: the schedule's order, in keyset pages of one column
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(20))
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    matters_count: Mapped[int] = mapped_column(Integer, default=0)
    problems_count: Mapped[int] = mapped_column(Integer, default=0)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(120))


class DutyMatter(IdMixin, Base):
    """A matter handled on duty (坐班办件); a problem raised here flows into a 交办单."""

    __tablename__ = "visits_duty_matters"
    __table_args__ = (Index("ix_visits_duty_matters_shift", "shift_id", "at"),)

    shift_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visits_duty_shifts.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)
    summary: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(10))  # answered | handled | referred | problem
    enterprise_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visits_enterprises.id"))
    problem_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visits_problems.id"))
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_by_name: Mapped[str | None] = mapped_column(String(120))
