"""Request and response bodies of problems (诉求 / 交办单)."""

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from yingshang.validators import Phone, Reason
from ys_visits.indicators.schemas import IndicatorCode
from ys_visits.pairings.schemas import DeptCode
from ys_visits.problems.vocabulary import (
    Category,
    Closure,
    ConfirmChannel,
    ContactChannel,
    Source,
    State,
)

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
PersonName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
Note = Annotated[str, StringConstraints(max_length=2000)]


class ProblemIn(BaseModel):
    """A problem found on a visit or on duty (the enterprise comes from the context)."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    description: LongText
    category: Category = Category.OTHER
    contact_name: PersonName | None = Field(None, description="the enterprise's contact")
    contact_phone: Phone | None = None
    indicator_code: IndicatorCode | None = Field(
        None, description="the indicator (指标长) the problem bears on: one of its linked tasks"
    )


class DirectProblemIn(ProblemIn):
    """A problem raised directly at the center (not on a visit or on duty)."""

    enterprise_id: uuid.UUID


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    department: DeptCode = Field(description="the department that handles it (责任单位)")
    resolution_due: date | None = Field(
        None, description="解决时限; default: the resolution policy (counted from today)"
    )
    note: Note | None = None


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Reason


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Note | None = None


class ContactIn(BaseModel):
    """联系: how the department reached the enterprise."""

    model_config = ConfigDict(extra="forbid")

    channel: ContactChannel
    note: Note | None = None


class ProposeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    proposal: LongText = Field(description="the proposed solution (解决方案)")
    note: Note | None = None


class ProgressIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: LongText
    percent: int | None = Field(None, ge=0, le=100)


class SolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resolution: LongText = Field(description="what was done")
    note: Note | None = None


class ConfirmIn(BaseModel):
    """The enterprise's confirmation of 销号, as the center received it."""

    model_config = ConfigDict(extra="forbid")

    confirmed_by: PersonName = Field(description="the enterprise's contact who confirmed")
    channel: ConfirmChannel
    note: Note | None = None


class EnterpriseRef(BaseModel):
    id: uuid.UUID
    name: str


class StageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    stage: str
    status: str
    started_at: datetime
    due_at: datetime
    completed_at: datetime | None
    provisional: bool
    on_time: bool | None
    level_emitted: int = Field(description="0 none; 1..3 督办 levels reached")


class ProgressOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    text: str
    percent: int | None
    by_name: str | None
    staff_no: str | None
    department: str | None


class ProblemOut(BaseModel):
    id: uuid.UUID
    number: str
    enterprise: EnterpriseRef | None = Field(description="none for a joint meeting's task")
    source: Source
    channel: str
    visit_id: uuid.UUID | None
    duty_id: uuid.UUID | None
    meeting_id: uuid.UUID | None
    indicator_code: str | None
    title: str
    description: str
    category: Category
    state: State
    department: str | None
    contact_name: str | None
    contact_phone: str | None = Field(description="masked; /contact with a reason for all of it")
    received_at: datetime
    assigned_at: datetime | None
    resolution_due_on: date | None
    signed_at: datetime | None = Field(description="签收 by the department's head")
    signed_by_name: str | None
    signed_by_staff_no: str | None
    contacted_at: datetime | None = Field(description="联系: first contact with the enterprise")
    contact_channel: ContactChannel | None
    proposal: str | None
    proposed_at: datetime | None
    resolution: str | None
    solved_at: datetime | None
    closed_at: datetime | None
    closure: Closure | None
    closure_note: str | None
    confirmed_by: str | None
    progress_count: int
    last_progress_at: datetime | None
    dispute_count: int
    satisfaction: int | None = Field(description="the enterprise's 好差评 level, if rated")
    satisfaction_excluded: bool = Field(
        description="an upheld appeal (申诉复核) excluded the rating from statistics"
    )
    due_at: datetime | None
    overdue: bool
    escalation_level: int
    version: int
    actions: list[str] = Field(description="what the caller may do now")


class ProblemDetail(ProblemOut):
    stages: list[StageOut]
    progress: list[ProgressOut]


class ProblemPage(BaseModel):
    items: list[ProblemOut]
    next_cursor: str | None = None


class ContactOut(BaseModel):
    contact_name: str | None
    contact_phone: str | None
