"""Halls, windows, which items a window takes, and window schedules.

"进一扇门，办所有事": a comprehensive window (``accepts_all``) takes any item; a dedicated
window takes the items listed for it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.db import IdMixin, TimestampMixin
from ys_approvals.models import Base


class Hall(IdMixin, TimestampMixin, Base):
    __tablename__ = "halls"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(40))  # HALL, or the town's code
    kind: Mapped[str] = mapped_column(String(10))  # county | town
    address: Mapped[str | None] = mapped_column(String(300))
    seven_day: Mapped[bool] = mapped_column(Boolean, default=False)  # 七天工作制
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Window(IdMixin, TimestampMixin, Base):
    __tablename__ = "windows"
    __table_args__ = (UniqueConstraint("hall_id", "code"),)

    hall_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("halls.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # intake | delivery | tax | assist | complaint
    accepts_all: Mapped[bool] = mapped_column(Boolean, default=False)  # 综合窗口
    clerks: Mapped[list[str]] = mapped_column(JSON, default=list)  # 工号 of the clerks seated
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class WindowItem(Base):
    __tablename__ = "window_items"

    window_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("windows.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )


class WindowSchedule(IdMixin, Base):
    """Opening hours of a window on one weekday, cut into appointment slots."""

    __tablename__ = "window_schedules"

    window_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("windows.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday .. 6 = Sunday
    start: Mapped[str] = mapped_column(String(5))  # "09:00" Asia/Shanghai
    end: Mapped[str] = mapped_column(String(5))
    slot_minutes: Mapped[int] = mapped_column(Integer, default=30)
    capacity: Mapped[int] = mapped_column(Integer, default=4)  # bookings per slot
    extended: Mapped[bool] = mapped_column(Boolean, default=False)  # 延时服务
