"""Halls, windows, which items a window takes, and window schedules.

"进一扇门，办所有事": a comprehensive window (``accepts_all``) takes any item; a dedicated
window takes the items listed for it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.db import IdMixin, TimestampMixin, UTCDateTime
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
    # the integration client (client credentials) of the window's pad (评价器), if it has one,
    # and when it was bound (null for a binding made before the time was kept)
    pad_client: Mapped[str | None] = mapped_column(String(64))
    pad_bound_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


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


class PadInvitation(IdMixin, Base):
    """A 好差评 invitation of an application taken in at a window, for that window's pad
    (评价器): the link ratings made (``ys.ratings.invitation.created``) and whether it was
    used (``ys.ratings.rating.submitted``), whichever of the two arrives first."""

    __tablename__ = "pad_invitations"
    __table_args__ = (
        UniqueConstraint("application_id", "node"),
        Index("ix_pad_invitations_window", "hall_code", "window_code", "received_at"),
    )

    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE")
    )
    node: Mapped[str] = mapped_column(String(20))  # 受理 accept | 办结 finish
    hall_code: Mapped[str] = mapped_column(String(40))
    window_code: Mapped[str] = mapped_column(String(20))
    invitation_id: Mapped[str | None] = mapped_column(String(64))
    token_url: Mapped[str | None] = mapped_column(String(500))  # a bearer link: never listed
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
