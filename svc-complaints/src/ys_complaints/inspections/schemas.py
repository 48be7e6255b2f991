"""Bodies of inspections (暗访) and findings."""

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from yingshang.cases.pagination import Page
from yingshang.validators import PastOrToday
from ys_complaints.inspections.machine import FindingClass

DeptCode = Field(pattern=r"^[A-Z][A-Z0-9_]{1,59}$")
MemberName = Annotated[str, Field(min_length=1, max_length=80, description="a team member")]


class FindingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    department: str = DeptCode
    finding_class: FindingClass
    description: str = Field(min_length=5, max_length=5000)
    deadline_days: int | None = Field(
        None, ge=1, le=120, description="working days to rectify (default: the policy)"
    )


class InspectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    conducted_on: PastOrToday = Field(description="the day of the visit: not after today")
    team: list[MemberName] = Field(min_length=1, max_length=20)
    scope: str = Field(min_length=2, max_length=5000)
    summary: str | None = Field(None, max_length=5000)
    findings: list[FindingIn] = Field(default_factory=list, max_length=100)


class FindingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    inspection_id: uuid.UUID
    department: str
    finding_class: str
    class_label: str
    description: str
    state: str
    due_at: datetime | None
    overdue: bool
    rectification: str | None
    rectified_at: datetime | None
    verification_note: str | None
    closed_at: datetime | None
    created_at: datetime
    version: int
    actions: list[str]


FindingPage = Page[FindingOut]


class InspectionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    conducted_on: date
    team: list[str]
    scope: str
    summary: str | None
    created_at: datetime
    findings: list[FindingOut]


class InspectionSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    conducted_on: date
    scope: str
    created_at: datetime


InspectionPage = Page[InspectionSummary]


class RectifyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(min_length=5, max_length=5000, description="what the department did")


class VerifyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(None, max_length=5000)


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(min_length=2, max_length=5000)
    deadline_days: int | None = Field(None, ge=1, le=120)
