"""Rectification API models: one small body per action."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ys_ratings.rectifications.models import Rectification


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CallBackIn(_Body):
    """回访核实: was the rater reached, and is the 差评 confirmed?"""

    reached: bool
    verified: bool
    note: str = Field(min_length=1, max_length=2000)


class ClassifyIn(_Body):
    classification: Literal["immediate", "deadline", "explanation"] = Field(
        description="immediate 立行立改 / deadline 限期整改 / explanation 解释说明"
    )
    note: str | None = Field(None, max_length=2000)


class ReasonIn(_Body):
    reason: str = Field(min_length=4, max_length=2000)


class NoteIn(_Body):
    note: str = Field(min_length=1, max_length=2000)


class OptionalNoteIn(_Body):
    note: str | None = Field(None, max_length=2000)


class VerdictIn(_Body):
    """The rater's verdict on the fix (满意 / 基本满意 / 不满意)."""

    verdict: Literal["satisfied", "basically_satisfied", "dissatisfied"]
    note: str | None = Field(None, max_length=2000)


class SpotCheckIn(_Body):
    """抽查回访: did the fix hold? A failed check needs the reason (it goes back to 整改中)."""

    passed: bool
    note: str | None = Field(None, max_length=2000)


class RectificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    rating_id: uuid.UUID
    state: str
    service: str
    case_number: str
    department: str
    hall_department: str | None = Field(
        None, description="the unit running the hall whose window is named (reads, co-handles)"
    )
    assessed_department: str = Field(
        description="the one unit the rating counts for in the department ranking and 部门考核"
    )
    window: str | None
    staff_no: str | None
    month: str
    level: int
    called_back_at: datetime | None
    rater_reached: bool | None
    verified: bool | None
    callback_note: str | None
    classification: str | None
    due_at: datetime | None
    overdue: bool
    rectified_at: datetime | None
    on_time: bool | None
    rectification_note: str | None
    claim_reason: str | None
    fed_back_at: datetime | None
    feedback_note: str | None
    verdict: str | None
    verdict_at: datetime | None
    spot_checked_at: datetime | None
    spot_check_result: Literal["passed", "failed"] | None = Field(
        description="抽查回访: the latest spot check's result"
    )
    spot_check_note: str | None
    closed_at: datetime | None
    outcome: str | None
    created_at: datetime
    version: int
    actions: list[str] = Field(default_factory=list, description="what you may do now")

    @classmethod
    def of(cls, row: Rectification) -> RectificationOut:
        return cls.model_validate(row)


class RectificationPage(BaseModel):
    items: list[RectificationOut]
    next_cursor: str | None
