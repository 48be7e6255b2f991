"""Published documents and power-and-responsibility list entries (权责清单)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.db import IdMixin, TimestampMixin, VersionMixin
from ys_approvals.models import Base


class DisclosureDocument(IdMixin, TimestampMixin, VersionMixin, Base):
    """A policy/regulation (政策法规), a procedure (办事流程) or a fee standard (收费标准)."""

    __tablename__ = "disclosure_documents"
    __table_args__ = (Index("ix_disclosure_documents_kind", "kind", "department"),)

    kind: Mapped[str] = mapped_column(String(20))  # policy | procedure | fee_standard
    title: Mapped[str] = mapped_column(String(300))
    department: Mapped[str] = mapped_column(String(40))
    doc_number: Mapped[str | None] = mapped_column(String(100))  # 文号
    body: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str | None] = mapped_column(Text)
    effective_on: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PowerEntry(IdMixin, TimestampMixin, VersionMixin, Base):
    """One line of a department's 权责清单."""

    __tablename__ = "power_entries"

    department: Mapped[str] = mapped_column(String(40), index=True)
    power_type: Mapped[str] = mapped_column(String(30))  # 行政许可/行政处罚/行政检查 ...
    name: Mapped[str] = mapped_column(String(300))
    legal_basis: Mapped[str] = mapped_column(Text)
    duties: Mapped[str] = mapped_column(Text)  # 责任事项
    accountability: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # 追责情形
    active: Mapped[bool] = mapped_column(Boolean, default=True)
