"""A joint meeting as the bureau records it; its decisions are problems (``meeting_id``)."""

from datetime import date

from sqlalchemy import JSON, Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.db import IdMixin, TimestampMixin
from ys_visits.models import Base

KIND = "meeting"  # timeline and events ys.visits.meeting.*


class Meeting(IdMixin, TimestampMixin, Base):
    __tablename__ = "visits_meetings"
    __table_args__ = (
        Index("ix_visits_meetings_created", "created_at", "id"),
        Index("ix_visits_meetings_held", "held_on"),
    )

    number: Mapped[str] = mapped_column(String(40), unique=True)  # LX20261126-00001 联席
    held_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # review | warning | diagnosis
    chaired_by: Mapped[str] = mapped_column(String(100))
    chair_title: Mapped[str | None] = mapped_column(String(100))
    participants: Mapped[list[str]] = mapped_column(JSON)  # member units (department codes)
    minutes: Mapped[str] = mapped_column(Text)  # 研判情况 / 会议纪要
    indicator_codes: Mapped[list[str]] = mapped_column(JSON)  # the indicators discussed
    decisions_count: Mapped[int] = mapped_column(Integer)
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_by_name: Mapped[str | None] = mapped_column(String(120))
