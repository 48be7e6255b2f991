"""The application (办件), its per-department parts and its paused periods."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.db import IdMixin, TimestampMixin, UTCDateTime, VersionMixin
from yingshang.sealing import Sealed
from ys_approvals.models import Base

CASE_KIND = "application"


class Application(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "applications"
    __table_args__ = (
        Index("ix_applications_state", "state", "created_at"),
        Index("ix_applications_department", "department", "created_at"),
        # the window pad: has the window taken anyone in since (halls/pad.py)
        Index("ix_applications_window", "hall_code", "window_code", "submitted_at"),
        # … or finished anyone's application since
        Index("ix_applications_finish", "finish_hall_code", "finish_window_code", "finished_at"),
    )

    number: Mapped[str] = mapped_column(String(60), unique=True)  # 办件编号
    query_code_hash: Mapped[str] = mapped_column(String(128))  # 查询码 (hashed)
    state: Mapped[str] = mapped_column(String(30))
    item_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("items.id"), index=True)
    package_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("packages.id"))
    item_code: Mapped[str] = mapped_column(String(40))  # item code or package code
    item_name: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(40))  # responsible / lead department
    handling_kind: Mapped[str] = mapped_column(String(10))
    statutory_limit: Mapped[int] = mapped_column(Integer)
    committed_limit: Mapped[int] = mapped_column(Integer)
    trips_needed: Mapped[int] = mapped_column(Integer, default=1)
    channel: Mapped[str] = mapped_column(String(20))  # window|online|mail|cross_province
    front_office: Mapped[str] = mapped_column(String(40))  # HALL or the town running intake
    hall_code: Mapped[str | None] = mapped_column(String(40))
    window_code: Mapped[str | None] = mapped_column(String(20))
    staff_no: Mapped[str | None] = mapped_column(String(40))  # intake clerk's 工号
    origin_client: Mapped[str | None] = mapped_column(String(80))
    green_channel: Mapped[bool] = mapped_column(Boolean, default=False)  # 绿色通道
    applicant_type: Mapped[str] = mapped_column(String(20))  # person | legal_person
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_id_no: Mapped[str | None] = mapped_column(Sealed("approvals", "id_no"))
    applicant_phone: Mapped[str] = mapped_column(Sealed("approvals", "phone"))
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    uscc: Mapped[str | None] = mapped_column(String(18))
    materials_received: Mapped[list[str]] = mapped_column(JSON, default=list)
    missing_materials: Mapped[list[str]] = mapped_column(JSON, default=list)
    form: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    materials_complete_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # 一次性告知: when the one intake 补正 notice was given (at most one per application)
    intake_notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # 办结 at a window: where the clerk who finished it sits (none: not at a window, or not
    # known); the applicant served there rates it on that window's pad (halls/pad.py)
    finish_hall_code: Mapped[str | None] = mapped_column(String(40))
    finish_window_code: Mapped[str | None] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(String(20))  # approved|rejected|refused
    decision_reason: Mapped[str | None] = mapped_column(Text)
    extension_days: Mapped[int] = mapped_column(Integer, default=0)
    extension_request: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    delivery_method: Mapped[str | None] = mapped_column(String(20))  # pickup | postal
    postal_address: Mapped[str | None] = mapped_column(String(300))
    tracking_number: Mapped[str | None] = mapped_column(String(60))
    stage_id: Mapped[uuid.UUID | None] = mapped_column()
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # the due date was counted on the Mon-Fri fallback (a year without holiday data)
    provisional: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    working_days_used: Mapped[int | None] = mapped_column(Integer)
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    # 送达 (行政许可法 art. 44): the delivery stage of a licence granted, copied like the above
    delivery_stage_id: Mapped[uuid.UUID | None] = mapped_column()
    delivery_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivery_on_time: Mapped[bool | None] = mapped_column(Boolean)
    # 通知领取: the licence waits at the window and the applicant was told (its clock stopped)
    pickup_ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def case_key(self) -> str:
        return f"{CASE_KIND}/{self.id}"

    def window_of(self, node: str) -> tuple[str, str] | None:
        """(hall, window) where an evaluation node was reached: 受理 (``accept``) at the
        window that took the application in, 办结 (``finish``) at the one it was finished at;
        none when that was at no window or is not known."""
        hall, window = (
            (self.hall_code, self.window_code)
            if node == "accept"
            else (self.finish_hall_code, self.finish_window_code)
        )
        return (hall, window) if hall and window else None


class ApplicationPart(IdMixin, Base):
    """One department's share of an application; a single-item application has one part."""

    __tablename__ = "application_parts"

    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id"))
    item_code: Mapped[str] = mapped_column(String(31))
    item_name: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # approved|rejected
    fee_waiver: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(40))  # 工号
    reason: Mapped[str | None] = mapped_column(Text)


class PausedPeriod(IdMixin, Base):
    """A period that does not count (补正 in review, 听证, 检验检测, 专家评审)."""

    __tablename__ = "paused_periods"

    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    requested: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)
