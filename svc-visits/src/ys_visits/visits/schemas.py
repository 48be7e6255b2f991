"""Request and response bodies of visits (走访)."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ys_visits.pairings.schemas import DeptCode
from ys_visits.problems.schemas import EnterpriseRef, LongText, PersonName, ProblemIn


class Channel(StrEnum):
    ON_SITE = "on_site"  # 实地走访
    PHONE = "phone"  # 电话走访
    VIDEO = "video"  # 视频连线


class Participant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: PersonName
    title: Annotated[str, StringConstraints(max_length=100)] | None = None
    department: DeptCode | None = None


class VisitIn(BaseModel):
    """A visit, and the problems (诉求) found; each problem becomes a 交办单."""

    model_config = ConfigDict(extra="forbid")

    pairing_id: uuid.UUID | None = Field(None, description="the 挂帮 pairing this visit serves")
    enterprise_id: uuid.UUID | None = Field(None, description="default: the pairing's")
    department: DeptCode | None = Field(None, description="default: the pairing's")
    visited_on: date
    channel: Channel = Channel.ON_SITE
    participants: list[Participant] = Field(min_length=1, max_length=30)
    summary: LongText
    problems: list[ProblemIn] = Field(default_factory=list, max_length=20)


class ProblemRef(BaseModel):
    id: uuid.UUID
    number: str
    title: str
    state: str


class VisitOut(BaseModel):
    id: uuid.UUID
    number: str
    enterprise: EnterpriseRef
    pairing_id: uuid.UUID | None
    leader_name: str | None
    department: str
    visited_on: date
    channel: Channel
    participants: list[Participant]
    summary: str
    problems: list[ProblemRef]
    recorded_by_name: str | None
    created_at: datetime


class VisitPage(BaseModel):
    items: list[VisitOut]
    next_cursor: str | None = None
