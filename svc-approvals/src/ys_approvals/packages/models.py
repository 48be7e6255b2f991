"""A package bundles items of several departments behind one set of materials."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.db import IdMixin, TimestampMixin, VersionMixin
from ys_approvals.models import Base


class ItemPackage(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "packages"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    lead_department: Mapped[str] = mapped_column(String(40))  # 牵头部门
    statutory_limit: Mapped[int] = mapped_column(Integer)  # sum-free: the longest item's
    committed_limit: Mapped[int] = mapped_column(Integer)  # one limit for the whole
    materials: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # one set
    # Fee waivers as data: [{"item_code": ..., "waiver": "新办企业免费刻制公章5枚"}]
    fee_waivers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PackageItem(Base):
    __tablename__ = "package_items"

    package_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("packages.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
