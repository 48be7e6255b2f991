"""A visit record: when, who, how, what was found."""

import uuid
from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.db import IdMixin, TimestampMixin
from ys_visits.models import Base

KIND = "visit"  # timeline and events ys.visits.visit.*


class Visit(IdMixin, TimestampMixin, Base):
    __tablename__ = "visits_visits"
    __table_args__ = (
        Index("ix_visits_visits_created", "created_at", "id"),
        Index("ix_visits_visits_enterprise", "enterprise_id", "visited_on"),
        Index("ix_visits_visits_pairing", "pairing_id", "visited_on"),
        Index("ix_visits_visits_department", "department", "visited_on"),
    )

    number: Mapped[str] = mapped_column(String(40), unique=True)  # ZF20261126-00001 走访
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visits_enterprises.id"))
    pairing_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visits_pairings.id"))
    leader_name: Mapped[str | None] = mapped_column(String(100))  # the pairing's leader
    leader_staff_no: Mapped[str | None] = mapped_column(String(40))
    department: Mapped[str] = mapped_column(String(60))
    visited_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(10))  # on_site | phone | video
    participants: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{name, title, dept}]
    summary: Mapped[str] = mapped_column(Text)
    problems_count: Mapped[int] = mapped_column(Integer, default=0)
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_by_name: Mapped[str | None] = mapped_column(String(120))
