"""Request and response bodies of pairings (挂帮)."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from yingshang.validators import PlausibleDate, Reason

DeptCode = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]{1,59}$")]
StaffNo = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,40}$")]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class LeaderRank(StrEnum):
    """Visit frequency defaults (DOMAIN.md): quarterly for leaders, monthly for cadres."""

    COUNTY_LEADER = "county_leader"  # 县领导
    DEPARTMENT_CADRE = "department_cadre"  # 部门干部


class PairingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enterprise_id: uuid.UUID
    leader_name: Name
    leader_staff_no: StaffNo | None = None
    leader_title: Annotated[str, StringConstraints(max_length=100)] | None = None
    leader_rank: LeaderRank
    department: DeptCode = Field(description="the responsible department (责任单位)")
    starts_on: PlausibleDate | None = Field(None, description="default: today")
    ends_on: PlausibleDate | None = None


class EndIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Reason = Field(description="why the pairing ends")


class EnterpriseRef(BaseModel):
    id: uuid.UUID
    name: str


class Frequency(BaseModel):
    policy_key: str = Field(description="the policy row's urgency key: leader|cadre[_<scale>]")
    amount: int
    unit: str


class PairingOut(BaseModel):
    id: uuid.UUID
    number: str
    enterprise: EnterpriseRef
    leader_name: str
    leader_staff_no: str | None
    leader_title: str | None
    leader_rank: LeaderRank
    department: str
    starts_on: date
    ends_on: date | None
    state: str
    frequency: Frequency
    visit_due_at: datetime | None = Field(description="a visit is due by then")
    overdue: bool
    escalation_level: int = Field(description="督办 level reached in the current window")
    last_visit_on: date | None
    visits_count: int
    end_reason: str | None
    created_at: datetime
    version: int
    actions: list[str]


class PairingPage(BaseModel):
    items: list[PairingOut]
    next_cursor: str | None = None
