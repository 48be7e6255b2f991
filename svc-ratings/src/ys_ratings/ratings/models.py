"""Rating rows: the only source of every bulletin figure (no pre-aggregated table)."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Index, SmallInteger, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.clock import now
from yingshang.db import IdMixin
from yingshang.sealing import Sealed
from yingshang.vocabulary import RATING_LEVELS
from ys_ratings.models import Base

# Five levels (GB/T 39734-2020): 5 非常满意 … 1 非常不满意 (named once in shared).
LEVEL_NAMES = RATING_LEVELS
BAD_MAX = 2  # national 差评 = 1–2
COUNTY_GOOD_MIN = 4  # county rule: "基本满意就是基本不满意", only 4–5 are good
NATIONAL_GOOD_MIN = 3  # national rule: good = not 差评

# Where the rating was given (rating channel), not how the 办件 was handled.
CHANNELS = (
    "window_pad",  # 窗口评价器
    "sms",  # 短信链接
    "web",
    "app",
    "hotline",  # 12345 回访
    "comprehensive",  # 综合点评
    "supervision",  # 监督查评
    "system",  # default rating after N days (policy, off by default)
)
RATER_TYPES = ("person", "legal_person")  # provincial code 0 / 1
SOURCES = ("invitation", "hotline", "province", "default")


class Rating(IdMixin, Base):
    __tablename__ = "ratings_ratings"
    __table_args__ = (
        # One rating per 办件 per evaluation node per rater (国办发〔2019〕51号).
        UniqueConstraint("service", "case_id", "node", "rater_key", name="uq_ratings_ratings_once"),
        # Covering index of the live bulletin: one index scan per month, no table access.
        Index(
            "ix_ratings_ratings_bulletin",
            "month",
            "excluded",
            "assessed_department",
            "window",
            "staff_no",
            "level",
        ),
        Index("ix_ratings_ratings_rated_at", "rated_at"),
        Index("ix_ratings_ratings_case", "service", "case_id"),
    )

    invitation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    service: Mapped[str] = mapped_column(String(40))
    case_kind: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[uuid.UUID] = mapped_column(Uuid())
    case_number: Mapped[str] = mapped_column(String(80))
    node: Mapped[str] = mapped_column(String(20))
    node_at: Mapped[datetime | None] = mapped_column()
    department: Mapped[str] = mapped_column(String(60))  # the matter's (办件's) department
    # The unit running the hall whose window the rating names (HALL for the county hall, the
    # town for its 便民服务中心): it manages that window and its clerks, reads the rating and
    # co-handles its rectification (ys_ratings.access).
    hall_department: Mapped[str | None] = mapped_column(String(60))
    # The one unit the rating counts for in the department ranking and 部门考核 (never two):
    # the hall for the 受理 at its window, the matter's department otherwise (ratings.service).
    assessed_department: Mapped[str] = mapped_column(String(60))
    item_code: Mapped[str | None] = mapped_column(String(64))
    item_name: Mapped[str | None] = mapped_column(String(200))
    window: Mapped[str | None] = mapped_column(String(60))
    staff_no: Mapped[str | None] = mapped_column(String(40))
    service_channel: Mapped[str | None] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(20))
    rater_type: Mapped[str] = mapped_column(String(20))
    level: Mapped[int] = mapped_column(SmallInteger)
    indicator_set_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    comment: Mapped[str | None] = mapped_column(Text)
    # Rater identity: shown to the ratings center only (see ys_ratings.access).
    rater_key: Mapped[str] = mapped_column(String(80))
    rater_name: Mapped[str | None] = mapped_column(String(120))
    rater_phone: Mapped[str | None] = mapped_column(Sealed("ratings", "phone"))  # sealed at rest
    rater_id_no: Mapped[str | None] = mapped_column(Sealed("ratings", "id_no"))
    rated_at: Mapped[datetime] = mapped_column()
    month: Mapped[str] = mapped_column(String(7))
    # 申诉复核 upheld: excluded from statistics, never deleted.
    excluded: Mapped[bool] = mapped_column(Boolean, default=False)
    excluded_reason: Mapped[str | None] = mapped_column(Text)
    # 12345: the latest 回访 after the ticket was reopened — the rater's word on the redo, kept
    # beside the rating (which stays the first 回访: one score, not two).
    followup_level: Mapped[int | None] = mapped_column(SmallInteger)
    followup_at: Mapped[datetime | None] = mapped_column()
    source: Mapped[str] = mapped_column(String(20))
    origin_client: Mapped[str | None] = mapped_column(String(120))
    external_id: Mapped[str | None] = mapped_column(String(80))
    event_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=now)

    @property
    def is_bad(self) -> bool:
        return self.level <= BAD_MAX
