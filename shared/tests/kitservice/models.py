"""The sample's tables (its own ``Base``; plumbing tables come from ``yingshang``)."""

from __future__ import annotations

from sqlalchemy import Index, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from yingshang.db import TYPE_MAP, IdMixin, TimestampMixin, VersionMixin, new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = TYPE_MAP


class SampleCase(IdMixin, TimestampMixin, VersionMixin, Base):
    """A request from an enterprise, dispatched to a department (a 12345-style 工单)."""

    __tablename__ = "kit_cases"
    __table_args__ = (
        Index("ix_kit_cases_created", "created_at", "id"),
        Index("ix_kit_cases_department", "department", "state"),
    )

    number: Mapped[str] = mapped_column(String(40), unique=True)  # KS20261126-00001
    title: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20))
    department: Mapped[str | None] = mapped_column(String(60))  # the handling unit
    requester_phone: Mapped[str] = mapped_column(String(20))
    enterprise_uscc: Mapped[str | None] = mapped_column(String(18))
    query_code_hash: Mapped[str] = mapped_column(String(64))  # 查询码, hashed
    created_by: Mapped[str] = mapped_column(String(120))
