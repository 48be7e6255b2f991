"""A problem (诉求) and its 交办单 hand-off, and the monthly progress updates."""

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.clock import now
from yingshang.db import IdMixin, TimestampMixin, UTCDateTime, VersionMixin
from yingshang.sealing import Sealed
from ys_visits.models import Base

KIND = "problem"  # case kind: timeline, deadline stages, events ys.visits.problem.*


class Problem(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "visits_problems"
    __table_args__ = (
        Index("ix_visits_problems_created", "created_at", "id"),
        Index("ix_visits_problems_department", "department", "state"),
        Index("ix_visits_problems_enterprise", "enterprise_id"),
        Index("ix_visits_problems_due", "state", "due_at"),
        Index("ix_visits_problems_received", "received_at"),
        Index("ix_visits_problems_closed", "closed_at"),
        Index("ix_visits_problems_meeting", "meeting_id"),
        Index("ix_visits_problems_indicator", "indicator_code", "state"),
        # Only a joint meeting's decision is a task without an enterprise (联席会议交办).
        CheckConstraint("enterprise_id IS NOT NULL OR source = 'meeting'", "enterprise_or_meeting"),
    )

    number: Mapped[str] = mapped_column(String(40), unique=True)  # JB20261126-00001 交办单
    enterprise_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visits_enterprises.id"))
    source: Mapped[str] = mapped_column(String(10))  # visit | duty | direct | meeting
    channel: Mapped[str] = mapped_column(String(20))  # how the enterprise was served
    visit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visits_visits.id"))
    duty_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visits_duty_shifts.id"))
    meeting_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visits_meetings.id"))
    # The indicator (指标长) the task serves: an indicator's linked tasks are a query.
    indicator_code: Mapped[str | None] = mapped_column(
        String(40), ForeignKey("visits_indicators.code")
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20))
    department: Mapped[str | None] = mapped_column(String(60))  # the handling department
    contact_name: Mapped[str | None] = mapped_column(String(50))
    # masked in responses, sealed at rest
    contact_phone: Mapped[str | None] = mapped_column(Sealed("visits", "phone"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolution_due_on: Mapped[date | None] = mapped_column(Date)  # set by the assigner
    # 签收 by the department's head (一把手亲自接单)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    signed_by_name: Mapped[str | None] = mapped_column(String(120))
    signed_by_staff_no: Mapped[str | None] = mapped_column(String(40))
    # 联系: the department's first contact with the enterprise
    contacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    contact_channel: Mapped[str | None] = mapped_column(String(10))  # phone | on_site | video
    proposal: Mapped[str | None] = mapped_column(Text)
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolution: Mapped[str | None] = mapped_column(Text)
    solved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    solved_by_staff_no: Mapped[str | None] = mapped_column(String(40))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closure: Mapped[str | None] = mapped_column(String(10))  # confirmed | override
    closure_note: Mapped[str | None] = mapped_column(Text)
    confirmed_by: Mapped[str | None] = mapped_column(String(50))  # the enterprise's contact
    progress_count: Mapped[int] = mapped_column(Integer, default=0)
    last_progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    dispute_count: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # earliest running clock
    satisfaction: Mapped[int | None] = mapped_column(Integer)  # 好差评 level, from ratings
    rating_id: Mapped[str | None] = mapped_column(String(64))  # the rating ``satisfaction`` is
    # 申诉复核 upheld (ys.ratings.rating.excluded): the level stays on record, statistics skip it
    satisfaction_excluded: Mapped[bool] = mapped_column(Boolean, default=False)
    origin_client: Mapped[str | None] = mapped_column(String(120))
    raised_by: Mapped[str] = mapped_column(String(120))
    raised_by_name: Mapped[str | None] = mapped_column(String(120))


class ProgressUpdate(IdMixin, Base):
    """月度进展: what the department reported, when, and who."""

    __tablename__ = "visits_problem_progress"
    __table_args__ = (Index("ix_visits_problem_progress_problem", "problem_id", "at"),)

    problem_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visits_problems.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)
    text: Mapped[str] = mapped_column(Text)
    percent: Mapped[int | None] = mapped_column(Integer)
    by: Mapped[str] = mapped_column(String(120))
    by_name: Mapped[str | None] = mapped_column(String(120))
    staff_no: Mapped[str | None] = mapped_column(String(40))
    department: Mapped[str | None] = mapped_column(String(60))
