"""An indicator of the business-environment evaluation, its scores per period, and every
kept version of both (who changed what, when)."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.clock import now
from yingshang.db import IdMixin, TimestampMixin, UTCDateTime, VersionMixin
from ys_visits.models import Base

KIND = "indicator"  # ETag kind, events ys.visits.indicator.*
SCORE_KIND = "indicator_score"  # ETag kind of one period's score
INDICATOR, SCORE = "indicator", "score"  # what a revision row keeps


class Indicator(IdMixin, TimestampMixin, VersionMixin, Base):
    """营商环境评价指标 and who answers for it: the lead unit (牵头单位) and the owner (指标长),
    with co-units (配合单位) and the target. Numbers are kept in hundredths (exact on SQLite)."""

    __tablename__ = "visits_indicators"
    __table_args__ = (
        Index("ix_visits_indicators_created", "created_at", "id"),
        Index("ix_visits_indicators_lead", "lead_department", "active"),
        Index("ix_visits_indicators_owner", "owner_staff_no"),
    )

    code: Mapped[str] = mapped_column(String(40), unique=True)  # e.g. STARTING_BUSINESS
    name: Mapped[str] = mapped_column(String(100))  # 开办企业
    description: Mapped[str | None] = mapped_column(Text)
    lead_department: Mapped[str] = mapped_column(String(60))
    co_departments: Mapped[list[str]] = mapped_column(JSON)
    # The owner as pairings name leaders: a name, and the 工号 when they log in.
    owner_name: Mapped[str] = mapped_column(String(100))
    owner_staff_no: Mapped[str | None] = mapped_column(String(40))
    owner_title: Mapped[str | None] = mapped_column(String(100))
    target: Mapped[str | None] = mapped_column(Text)  # the target as the county states it
    target_hundredths: Mapped[int | None] = mapped_column(BigInteger)  # its figure, if any
    target_unit: Mapped[str | None] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean)


class IndicatorScore(IdMixin, TimestampMixin, VersionMixin, Base):
    """The indicator's score for a quarter (``2026-Q3``) or a year (``2026``): one per period."""

    __tablename__ = "visits_indicator_scores"
    __table_args__ = (UniqueConstraint("indicator_id", "period"),)

    indicator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visits_indicators.id"))
    period: Mapped[str] = mapped_column(String(7))
    score_hundredths: Mapped[int] = mapped_column(Integer)  # 0..10000 (0–100 points)
    rank: Mapped[int | None] = mapped_column(Integer)  # among the counties evaluated
    rank_of: Mapped[int | None] = mapped_column(Integer)  # how many counties were ranked
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_by_name: Mapped[str | None] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)


class IndicatorRevision(IdMixin, Base):
    """One kept version of an indicator (``subject`` indicator) or of one of its scores
    (``subject`` score, with the period): every version, the first included."""

    __tablename__ = "visits_indicator_revisions"
    __table_args__ = (
        Index("ix_visits_indicator_revisions_indicator", "indicator_id", "changed_at"),
    )

    indicator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visits_indicators.id"))
    subject: Mapped[str] = mapped_column(String(10))
    period: Mapped[str | None] = mapped_column(String(7))
    version: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    changed_by: Mapped[str] = mapped_column(String(120))
    changed_by_name: Mapped[str | None] = mapped_column(String(120))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)
