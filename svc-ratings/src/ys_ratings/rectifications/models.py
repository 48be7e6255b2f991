"""Rectification cases (整改单) opened by 差评 (level 1–2)."""

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Index, SmallInteger, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.db import IdMixin, TimestampMixin, VersionMixin
from ys_ratings.models import Base

# Classification after 回访核实 (DOMAIN.md, Ratings).
CLASSIFICATIONS = {
    "immediate": "立行立改",
    "deadline": "限期整改",
    "explanation": "解释说明",
}
APPEAL_UPHELD = "appeal_upheld"  # outcome when 申诉复核 upheld the rated unit's appeal
# The rater's verdict on the fix.
VERDICTS = {"satisfied": "满意", "basically_satisfied": "基本满意", "dissatisfied": "不满意"}
# 抽查回访 (spot check) after the verdict.
SPOT_CHECK_PASSED, SPOT_CHECK_FAILED = "passed", "failed"


class Rectification(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "ratings_rectifications"
    __table_args__ = (
        # Covering index of the bulletin's rectification figures (no table access): what is
        # due (done, ended, overdue or past its deadline), on time, called back.
        Index(
            "ix_ratings_rectifications_bulletin",
            "month",
            "excluded",
            "assessed_department",
            "window",
            "staff_no",
            "on_time",
            "called_back_at",
            "closed_at",
            "overdue",
            "due_at",
        ),
        Index("ix_ratings_rectifications_state", "state", "department"),
        Index("ix_ratings_rectifications_created", "created_at", "id"),
    )

    number: Mapped[str] = mapped_column(String(80), unique=True)
    rating_id: Mapped[uuid.UUID] = mapped_column(Uuid(), unique=True)
    state: Mapped[str] = mapped_column(String(30))
    # Copied from the rating: the bulletin groups rectifications like ratings.
    service: Mapped[str] = mapped_column(String(40))
    case_number: Mapped[str] = mapped_column(String(80))
    department: Mapped[str] = mapped_column(String(60))
    # The hall's unit co-handles the 差评 of its window; the figures count for the rating's unit.
    hall_department: Mapped[str | None] = mapped_column(String(60))
    assessed_department: Mapped[str] = mapped_column(String(60))
    window: Mapped[str | None] = mapped_column(String(60))
    staff_no: Mapped[str | None] = mapped_column(String(40))
    month: Mapped[str] = mapped_column(String(7))
    level: Mapped[int] = mapped_column(SmallInteger)
    origin_client: Mapped[str | None] = mapped_column(String(120))
    # 回访核实
    called_back_at: Mapped[datetime | None] = mapped_column()
    rater_reached: Mapped[bool | None] = mapped_column(Boolean)
    verified: Mapped[bool | None] = mapped_column(Boolean)
    callback_note: Mapped[str | None] = mapped_column(Text)
    classification: Mapped[str | None] = mapped_column(String(20))
    # The deadline of the rectify stage (yingshang.time), mirrored for lists and the bulletin.
    due_at: Mapped[datetime | None] = mapped_column()
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    rectified_at: Mapped[datetime | None] = mapped_column()
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    rectification_note: Mapped[str | None] = mapped_column(Text)
    claim_reason: Mapped[str | None] = mapped_column(Text)
    fed_back_at: Mapped[datetime | None] = mapped_column()
    feedback_note: Mapped[str | None] = mapped_column(Text)
    verdict: Mapped[str | None] = mapped_column(String(30))
    verdict_at: Mapped[datetime | None] = mapped_column()
    # 抽查回访: the latest spot check (a failed one sends the rectification back to 整改中)
    spot_checked_at: Mapped[datetime | None] = mapped_column()
    spot_check_result: Mapped[str | None] = mapped_column(String(10))  # passed | failed
    spot_check_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column()
    outcome: Mapped[str | None] = mapped_column(String(30))
    # Mirrors the rating's exclusion (申诉复核 upheld) so the bulletin needs no join.
    excluded: Mapped[bool] = mapped_column(Boolean, default=False)
