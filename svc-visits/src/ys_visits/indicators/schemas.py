"""Request and response bodies of indicators (指标长) and their scores."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from ys_visits.indicators.periods import Period
from ys_visits.pairings.schemas import DeptCode, Name, StaffNo

CODE_PATTERN = r"^[A-Z][A-Z0-9_]{1,39}$"
IndicatorCode = Annotated[str, StringConstraints(pattern=CODE_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Points = Annotated[Decimal, Field(ge=0, le=100, decimal_places=2)]
Figure = Annotated[Decimal, Field(ge=-(10**9), le=10**9, decimal_places=2)]
Rank = Annotated[int, Field(ge=1, le=1000)]


class IndicatorEdit(BaseModel):
    """An indicator as the bureau keeps it (the whole of it: a PUT replaces every field)."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    description: Text | None = None
    lead_department: DeptCode = Field(description="牵头单位, a department of the directory")
    co_departments: list[DeptCode] = Field(default_factory=list, max_length=20)
    owner_name: Name = Field(description="指标长: the person who answers for the indicator")
    owner_staff_no: StaffNo | None = Field(None, description="their 工号, if they log in")
    owner_title: Annotated[str, StringConstraints(max_length=100)] | None = None
    target: Text | None = Field(None, description="the target as the county states it")
    target_value: Figure | None = Field(None, description="the target's figure, if it has one")
    target_unit: Annotated[str, StringConstraints(min_length=1, max_length=20)] | None = None
    active: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> "IndicatorEdit":
        if self.lead_department in self.co_departments:
            raise ValueError("co_departments: 牵头单位不能同时是配合单位")
        if len(set(self.co_departments)) != len(self.co_departments):
            raise ValueError("co_departments: 有单位重复")
        if self.target_unit is not None and self.target_value is None:
            raise ValueError("target_unit: 填写目标值的计量单位时须填写目标值")
        return self


class IndicatorIn(IndicatorEdit):
    code: IndicatorCode = Field(description="never changes, e.g. STARTING_BUSINESS")


class ScoreEdit(BaseModel):
    """A period's score as the evaluation published it (0–100 points, rank among counties)."""

    model_config = ConfigDict(extra="forbid")

    score: Points
    rank: Rank | None = None
    rank_of: Rank | None = Field(None, description="how many counties were ranked")
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None

    @model_validator(mode="after")
    def _rank(self) -> "ScoreEdit":
        if self.rank is not None and self.rank_of is not None and self.rank > self.rank_of:
            raise ValueError("rank: 排名不能超过参评县（市、区）总数")
        return self


class ScoreIn(ScoreEdit):
    period: Period = Field(description="2026-Q3 (a quarter) or 2026 (a year)")


class ScoreOut(BaseModel):
    id: uuid.UUID
    period: str
    score: Decimal
    rank: int | None
    rank_of: int | None
    note: str | None
    recorded_by_name: str | None
    recorded_at: datetime
    version: int


class TaskCounts(BaseModel):
    """The 交办单 linked to the indicator (``indicator_code``), whatever their source."""

    open: int = 0
    closed: int = 0
    overdue: int = Field(0, description="open and past their earliest running deadline")


class IndicatorOut(BaseModel):
    id: uuid.UUID
    code: str
    name: str
    description: str | None
    lead_department: str
    co_departments: list[str]
    owner_name: str
    owner_staff_no: str | None
    owner_title: str | None
    target: str | None
    target_value: Decimal | None
    target_unit: str | None
    active: bool
    latest_score: ScoreOut | None = Field(description="the score of the latest period")
    tasks: TaskCounts
    updated_at: datetime
    version: int


class IndicatorDetail(IndicatorOut):
    scores: list[ScoreOut] = Field(description="every period's score, the latest first")
    actions: list[str] = Field(description="what the caller may do: edit, score, correct")


class RevisionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    subject: str = Field(description="indicator, or score (of ``period``)")
    period: str | None
    version: int
    snapshot: dict[str, Any]
    changed_by_name: str | None
    changed_at: datetime
