"""Request and response bodies of hall duty (坐班)."""

import datetime as dt
import uuid
from enum import StrEnum
from typing import Annotated

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from yingshang.validators import Reason
from ys_visits.pairings.schemas import DeptCode, Name, StaffNo
from ys_visits.problems.schemas import LongText, ProblemIn

HHMM = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


class DutyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hall: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]{1,39}$")] = Field(
        description="hall code, e.g. HALL_COUNTY"
    )
    leader_name: Name
    leader_staff_no: StaffNo | None = None
    leader_title: Annotated[str, StringConstraints(max_length=100)] | None = None
    department: DeptCode = Field(description="the leader's department")
    date: dt.date
    start: HHMM = "09:00"
    end: HHMM = "12:00"

    @model_validator(mode="after")
    def _ends_after_start(self) -> "DutyIn":
        if self.end <= self.start:
            raise ValueError("end: 坐班结束时间须晚于开始时间")
        return self


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Reason


class EmptyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Annotated[str, StringConstraints(max_length=2000)] | None = None


class Outcome(StrEnum):
    ANSWERED = "answered"  # 当场答复
    HANDLED = "handled"  # 当场办结
    REFERRED = "referred"  # 转办 (to a window or a department)
    PROBLEM = "problem"  # 形成交办单


class MatterIn(BaseModel):
    """A matter handled on duty; ``problem`` (with the enterprise) raises a 交办单."""

    model_config = ConfigDict(extra="forbid")

    summary: LongText
    outcome: Outcome = Outcome.ANSWERED
    enterprise_id: uuid.UUID | None = None
    problem: ProblemIn | None = None

    @model_validator(mode="after")
    def _problem_needs_enterprise(self) -> "MatterIn":
        if (self.problem is not None) != (self.outcome is Outcome.PROBLEM):
            raise ValueError("problem: 办理结果为“形成交办单”时须填写交办单内容，其他结果不填")
        if self.problem is not None and self.enterprise_id is None:
            raise ValueError("enterprise_id: 形成交办单须指明所涉企业")
        return self


class MatterOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    at: dt.datetime
    summary: str
    outcome: Outcome
    enterprise_id: uuid.UUID | None
    problem_id: uuid.UUID | None = Field(description="the 交办单 raised on this matter")
    problem_number: str | None = Field(
        None, description="the 交办单's number, if the reader may see the problem"
    )
    problem_title: str | None = Field(None, description="its title, likewise")
    recorded_by_name: str | None


class DutyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    hall: str
    hall_name: str
    leader_name: str
    leader_staff_no: str | None
    leader_title: str | None
    department: str
    date: dt.date = Field(validation_alias=AliasChoices("day", "date"))
    start: str
    end: str
    state: str
    checked_in_at: dt.datetime | None
    checked_out_at: dt.datetime | None
    matters_count: int
    problems_count: int
    cancel_reason: str | None
    version: int
    actions: list[str] = Field(default_factory=list)


class DutyDetail(DutyOut):
    matters: list[MatterOut]


class DutyPage(BaseModel):
    items: list[DutyOut]
    next_cursor: str | None = None
