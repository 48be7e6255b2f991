"""A pairing (挂帮) of a leader and a responsible department with an enterprise."""

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.db import IdMixin, TimestampMixin, UTCDateTime, VersionMixin
from ys_visits.models import Base

KIND = "pairing"  # case kind: timeline, deadline stages, events ys.visits.pairing.*


class Pairing(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "visits_pairings"
    __table_args__ = (
        Index("ix_visits_pairings_created", "created_at", "id"),
        Index("ix_visits_pairings_department", "department", "state"),
        Index("ix_visits_pairings_enterprise", "enterprise_id", "state"),
        Index("ix_visits_pairings_leader", "leader_staff_no"),
        Index("ix_visits_pairings_due", "state", "visit_due_at"),
    )

    number: Mapped[str] = mapped_column(String(40), unique=True)  # GB20261126-00001
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visits_enterprises.id"))
    # County leaders hold positions in the county's directory; the directory has no leader
    # ranks (deploy/seed/county.yaml), so the rank is recorded on the pairing itself.
    leader_name: Mapped[str] = mapped_column(String(100))
    leader_staff_no: Mapped[str | None] = mapped_column(String(40))  # 工号, if they log in
    leader_title: Mapped[str | None] = mapped_column(String(100))  # e.g. 副县长
    leader_rank: Mapped[str] = mapped_column(String(20))  # county_leader | department_cadre
    department: Mapped[str] = mapped_column(String(60))  # the responsible department
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20))  # active | ended
    # The visit frequency: the policy row used (urgency key) and its terms when paired.
    policy_key: Mapped[str] = mapped_column(String(40))
    frequency_amount: Mapped[int] = mapped_column(Integer)
    frequency_unit: Mapped[str] = mapped_column(String(20))
    visit_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # current window
    last_visit_on: Mapped[date | None] = mapped_column(Date)
    visits_count: Mapped[int] = mapped_column(Integer, default=0)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(120))
