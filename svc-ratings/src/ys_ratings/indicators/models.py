"""Versioned indicator sets: a rating keeps the version it was scored against."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.clock import now
from yingshang.db import IdMixin
from ys_ratings.models import Base

OFFLINE, ONLINE = "offline", "online"


class IndicatorSet(IdMixin, Base):
    """评价指标体系: offline (window) or online (网上办事), one row per version."""

    __tablename__ = "ratings_indicator_sets"
    __table_args__ = (UniqueConstraint("kind", "version", name="uq_ratings_indicator_sets_kv"),)

    kind: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    basis: Mapped[str | None] = mapped_column(String(200))
    # [{"code": "overall", "name": "整体满意度"}, ...]
    indicators: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    created_by: Mapped[str | None] = mapped_column(String(120))

    def codes(self) -> set[str]:
        return {str(i["code"]) for i in self.indicators}
