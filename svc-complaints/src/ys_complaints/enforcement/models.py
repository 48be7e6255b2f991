"""Enforcement actions departments record toward enterprises, and the mix they are held to.

"三为主" (DOMAIN.md): at least 70% of enforcement effort on service, 20% on education, at most
10% on penalty. The targets are a row an admin edits, not constants.
"""

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.clock import now
from yingshang.db import IdMixin
from ys_complaints.models import Base


class EnforcementAction(IdMixin, Base):
    __tablename__ = "complaints_enforcement_actions"
    __table_args__ = (
        Index("ix_complaints_enforcement_dept_day", "department", "acted_on"),
        Index("ix_complaints_enforcement_recorded", "recorded_at", "id"),
    )

    department: Mapped[str] = mapped_column(String(60))
    acted_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))  # service | education | penalty
    first_offence_waived: Mapped[bool] = mapped_column(Boolean, default=False)  # 首违不罚
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    enterprise_uscc: Mapped[str | None] = mapped_column(String(18))
    description: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str | None] = mapped_column(String(300))
    fine_fen: Mapped[int | None] = mapped_column(BigInteger)
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(default=now)


class EnforcementTargets(Base):
    """The one row of the mix the county holds its departments to."""

    __tablename__ = "complaints_enforcement_targets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    service_min: Mapped[float] = mapped_column(Float)
    education_share: Mapped[float] = mapped_column(Float)
    penalty_max: Mapped[float] = mapped_column(Float)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=now)
    updated_by: Mapped[str] = mapped_column(String(120))
