"""Undercover inspections (暗访) and their findings against departments.

Each finding is classed 不诚信 / 不规范 / 不担当 (DOMAIN.md) and is a rectification task of the
department: a deadline (a policy row, overridable per finding), the department's report, the
inspection team's verification.
"""

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.db import IdMixin, TimestampMixin, VersionMixin
from ys_complaints.models import Base

FINDING_KIND = "finding"


class Inspection(IdMixin, TimestampMixin, Base):
    __tablename__ = "complaints_inspections"
    __table_args__ = (Index("ix_complaints_inspections_conducted", "conducted_on", "id"),)

    number: Mapped[str] = mapped_column(String(40), unique=True)  # AF20260302-00001
    conducted_on: Mapped[date] = mapped_column(Date)
    team: Mapped[list[str]] = mapped_column(JSON)  # 暗访组 members (staff names)
    scope: Mapped[str] = mapped_column(Text)  # where the team went and what it tried
    summary: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(120))


class Finding(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "complaints_findings"
    __table_args__ = (
        Index("ix_complaints_findings_dept", "department", "state"),
        Index("ix_complaints_findings_created", "created_at", "id"),
    )

    inspection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("complaints_inspections.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(String(40), unique=True)  # AZ20260302-00001 (older: ZG…)
    department: Mapped[str] = mapped_column(String(60))
    finding_class: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20))
    due_at: Mapped[datetime | None]
    rectification: Mapped[str | None] = mapped_column(Text)  # the department's report
    rectified_at: Mapped[datetime | None]
    verification_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None]
    created_by: Mapped[str] = mapped_column(String(120))
