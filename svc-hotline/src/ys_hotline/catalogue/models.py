"""Dispatch catalogue rows and their history (every edit keeps the previous version)."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.clock import now
from yingshang.db import IdMixin
from ys_hotline.models import Base

# Level of a matter: a county department's matter is never pushed down to a town
# (国办函〔2025〕66号); a town matter may go to a town.
COUNTY, TOWN = "county", "town"


class DispatchCategory(Base):
    """派单目录 entry: e.g. 市场监管/食品安全 → 市场监督管理局 (+ 卫生健康局)."""

    __tablename__ = "hotline_categories"

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    lead_department: Mapped[str | None] = mapped_column(String(60))
    co_departments: Mapped[list[str]] = mapped_column(JSON, default=list)
    level: Mapped[str] = mapped_column(String(10), default=COUNTY)
    # 涉企侵权: transferred to the complaints center instead of dispatched.
    transfer_to_complaints: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped by every UPDATE, which matches the revision it was read at (a lost race: 412).
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
    updated_by: Mapped[str | None] = mapped_column(String(120))

    __mapper_args__ = {"version_id_col": revision}  # noqa: RUF012 (SQLAlchemy reads it)

    def snapshot(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "lead_department": self.lead_department,
            "co_departments": list(self.co_departments or []),
            "level": self.level,
            "transfer_to_complaints": self.transfer_to_complaints,
            "active": self.active,
            "revision": self.revision,
        }


class DispatchCategoryRevision(IdMixin, Base):
    """One kept version of a catalogue entry (who changed it, when, what it was)."""

    __tablename__ = "hotline_category_revisions"
    __table_args__ = (Index("ix_hotline_category_revisions_code", "code", "revision"),)

    code: Mapped[str] = mapped_column(
        String(60), ForeignKey("hotline_categories.code", ondelete="CASCADE")
    )
    revision: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    changed_by: Mapped[str | None] = mapped_column(String(120))
    changed_at: Mapped[datetime] = mapped_column(default=now)


def new_revision_id() -> uuid.UUID:
    return uuid.uuid4()
