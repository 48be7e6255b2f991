"""Bookings, per-slot counters and door-to-door requests."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, synonym

from yingshang.db import IdMixin, TimestampMixin, VersionMixin
from yingshang.sealing import Sealed
from ys_approvals.models import Base


class SlotCounter(IdMixin, Base):
    """Bookings taken in one slot; ``booked < capacity`` is enforced by a guarded UPDATE."""

    __tablename__ = "slot_counters"
    __table_args__ = (UniqueConstraint("window_id", "day", "start"),)

    window_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("windows.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    start: Mapped[str] = mapped_column(String(5))
    capacity: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, default=0)


class Appointment(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "appointments"

    window_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("windows.id"), index=True)
    item_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("items.id"))
    day: Mapped[date] = mapped_column(Date, index=True)
    start: Mapped[str] = mapped_column(String(5))
    status: Mapped[str] = mapped_column(String(20), default="booked")
    state: Mapped[str] = synonym("status")  # the case kit's name for it (``machine``)
    applicant_name: Mapped[str] = mapped_column(String(100))
    applicant_phone: Mapped[str] = mapped_column(Sealed("approvals", "phone"))
    note: Mapped[str | None] = mapped_column(Text)
    origin_client: Mapped[str | None] = mapped_column(String(80))
    booked_by: Mapped[str] = mapped_column(String(120))


class DoorToDoorRequest(IdMixin, TimestampMixin, VersionMixin, Base):
    """上门服务: staff bring the hall to the applicant (elderly, disabled, key projects)."""

    __tablename__ = "door_to_door_requests"

    item_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("items.id"))
    applicant_name: Mapped[str] = mapped_column(String(100))
    applicant_phone: Mapped[str] = mapped_column(Sealed("approvals", "phone"))
    address: Mapped[str] = mapped_column(String(300))
    wanted_day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="requested")
    state: Mapped[str] = synonym("status")  # the case kit's name for it (``machine``)
    assigned_staff_no: Mapped[str | None] = mapped_column(String(40))
    assigned_name: Mapped[str | None] = mapped_column(String(100))
    outcome: Mapped[str | None] = mapped_column(Text)
    origin_client: Mapped[str | None] = mapped_column(String(80))
