"""Request and response bodies of joint meetings (联席会议)."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from yingshang.validators import PastOrToday
from ys_visits.indicators.schemas import IndicatorCode
from ys_visits.pairings.schemas import DeptCode, Name
from ys_visits.problems.schemas import LongText, Title
from ys_visits.problems.vocabulary import Category


class MeetingKind(StrEnum):
    """定期研判、定时预警、靶向问诊 (DOMAIN.md, "From the source article")."""

    REVIEW = "review"  # 定期研判: periodic analysis
    WARNING = "warning"  # 定时预警: timed early warning
    DIAGNOSIS = "diagnosis"  # 靶向问诊: targeted diagnosis


class DecisionIn(BaseModel):
    """A decision of the meeting: a 交办单 handed to ``department`` when the meeting is
    recorded, with the deadlines every 交办单 has."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    description: LongText
    department: DeptCode = Field(description="the department that carries it out (责任单位)")
    indicator_code: IndicatorCode | None = Field(
        None, description="the indicator it serves: one the meeting discussed"
    )
    enterprise_id: uuid.UUID | None = Field(None, description="when it concerns an enterprise")
    category: Category = Category.OTHER
    resolution_due: date | None = Field(
        None, description="解决时限; default: the resolution policy (counted from today)"
    )


class MeetingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    held_on: PastOrToday
    title: Title
    kind: MeetingKind
    chaired_by: Name
    chair_title: Annotated[str, StringConstraints(max_length=100)] | None = None
    participants: list[DeptCode] = Field(min_length=1, max_length=60, description="member units")
    minutes: LongText = Field(description="the analysis and the minutes (研判情况、会议纪要)")
    indicator_codes: list[IndicatorCode] = Field(default_factory=list, max_length=30)
    decisions: list[DecisionIn] = Field(default_factory=list, max_length=30)

    @model_validator(mode="after")
    def _consistent(self) -> "MeetingIn":
        for name in ("participants", "indicator_codes"):
            named = getattr(self, name)
            if len(set(named)) != len(named):
                raise ValueError(f"{name}: 有代码重复")
        return self


class DecisionOut(BaseModel):
    """A decision as the 交办单 it became (its state now)."""

    id: uuid.UUID
    number: str
    title: str
    department: str | None
    indicator_code: str | None
    state: str
    due_at: datetime | None


class MeetingOut(BaseModel):
    id: uuid.UUID
    number: str
    held_on: date
    title: str
    kind: MeetingKind
    chaired_by: str
    chair_title: str | None
    participants: list[str]
    minutes: str
    indicator_codes: list[str]
    decisions: list[DecisionOut] = Field(
        description="the decisions whose 交办单 the reader may see (a 交办单 keeps its own "
        "visibility)"
    )
    other_decisions: int = Field(description="decisions whose 交办单 the reader may not see")
    recorded_by_name: str | None
    created_at: datetime


class MeetingPage(BaseModel):
    items: list[MeetingOut]
    next_cursor: str | None = None
