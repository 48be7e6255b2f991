"""Service items (事项) and their enumerations (GB/T 39554.1-2020 vocabulary)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.db import IdMixin, TimestampMixin, VersionMixin
from ys_approvals.models import Base


class ItemType(StrEnum):
    """事项类型."""

    licensing = "licensing"  # 行政许可
    payment = "payment"  # 行政给付
    confirmation = "confirmation"  # 行政确认
    adjudication = "adjudication"  # 行政裁决
    reward = "reward"  # 行政奖励
    other_power = "other_power"  # 其他行政权力
    public_service = "public_service"  # 公共服务


class HandlingKind(StrEnum):
    instant = "instant"  # 即办件: decided on the spot
    promised = "promised"  # 承诺件: decided within the committed limit


class Channel(StrEnum):
    window = "window"  # 窗口
    online = "online"  # 网上通办
    province_wide = "province_wide"  # 全省通办
    cross_province = "cross_province"  # 跨省通办


class CrossProvinceMode(StrEnum):
    """跨省通办 modes (国办发〔2020〕35号)."""

    full_online = "full_online"  # 全程网办
    proxy = "proxy"  # 异地代收代办
    multi_site = "multi_site"  # 多地联办


class ServiceItem(IdMixin, TimestampMixin, VersionMixin, Base):
    """One item of the catalog. Limits are working days (行政许可法 art. 42, 82)."""

    __tablename__ = "items"

    code: Mapped[str] = mapped_column(String(31), unique=True)  # 实施编码
    name: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(40), index=True)
    item_type: Mapped[str] = mapped_column(String(20))
    handling_kind: Mapped[str] = mapped_column(String(10))
    statutory_limit: Mapped[int] = mapped_column(Integer)  # 法定时限
    committed_limit: Mapped[int] = mapped_column(Integer)  # 承诺时限
    trips_needed: Mapped[int] = mapped_column(Integer, default=1)  # 跑动次数 0/1
    fee_free: Mapped[bool] = mapped_column(Boolean, default=True)
    fee_cents: Mapped[int] = mapped_column(Integer, default=0)
    fee_basis: Mapped[str | None] = mapped_column(Text)
    materials: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    steps: Mapped[list[str]] = mapped_column(JSON, default=list)
    online_depth: Mapped[int] = mapped_column(Integer, default=1)  # 网办深度 1..4
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    cross_province_mode: Mapped[str | None] = mapped_column(String(20))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    supervision_phone: Mapped[str | None] = mapped_column(String(40))
    # The item creates the legal person (企业设立登记): its applicant has no 统一社会信用代码 yet.
    registers_enterprise: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def required_materials(self) -> list[str]:
        return [str(m["name"]) for m in self.materials if m.get("required", True)]
