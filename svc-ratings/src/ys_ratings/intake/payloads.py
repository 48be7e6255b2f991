"""Payload models of the consumed events (the cross-service contract).

Unknown fields are ignored (producers may add fields); missing or malformed required ones make
the event invalid, which the consumer records as a dead letter.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from yingshang.clock import ensure_utc
from yingshang.time.terms import MAX_LEVELS

Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
Text = Annotated[str, StringConstraints(max_length=2000)]
UTC = Annotated[datetime, AfterValidator(ensure_utc)]
RaterType = Literal["person", "legal_person"]
# The center of each producing service (ARCHITECTURE.md, "Auth and access").
CENTERS = {
    "approvals": "HALL",
    "hotline": "HOTLINE_CENTER",
    "complaints": "COMPLAINTS_CENTER",
    "visits": "ENTERPRISE_CENTER",
    "ratings": "BUREAU",
}


def center(service: str) -> str:
    """The center that receives the cases of ``service`` (and holds them until handed on)."""
    return CENTERS.get(service, service.upper())


class CaseCommon(BaseModel):
    """Fields every case event carries (contract.md)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    case_id: uuid.UUID
    case_number: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    # Before dispatch a 12345 ticket has no responsible department yet: it counts for the
    # center that received it (see ``responsible``).
    department: Code | None = None
    origin_client: str | None = Field(None, max_length=120)

    def responsible(self, service: str) -> str:
        return self.department or center(service)


class CaseCreated(CaseCommon):
    # Some kinds open without it (e.g. a complaints finding): the event time stands in.
    received_at: UTC | None = None


class CaseClosed(CaseCommon):
    received_at: UTC | None = None
    closed_at: UTC
    outcome: str | None = Field(None, max_length=60)


class CaseAssigned(CaseCommon):
    """派单 / 交办: ``department`` is the unit the case was handed to (it handles it from now
    on); the deadlines and co-handlers the producer adds are not needed here."""

    department: Code


class CaseReopened(CaseCommon):
    """Handled again after ``closed`` (a 12345 ticket after a dissatisfied 回访) or before it
    (a disputed solution): the reason or count the producer adds is not needed here."""


class CaseCompleted(CaseCommon):
    """An evaluation node reached: 受理 (``accept``) or 办结 (``finish``)."""

    node: Literal["accept", "finish"]
    item_code: str | None = Field(None, max_length=64)
    item_name: str | None = Field(None, max_length=200)
    window: str | None = Field(None, max_length=60)
    staff_no: str | None = Field(None, max_length=40)
    channel: Code
    rater_type: RaterType = "person"
    service: Code
    case_kind: Code


class TicketRevisited(CaseCommon):
    """12345 回访: the return visit IS the ticket's 好差评 rating (one score, not two)."""

    level: int = Field(ge=1, le=5)
    staff_no: str | None = Field(None, max_length=40)
    comment: Text | None = None
    revisited_at: UTC
    # the 办结 the visit rates: the upward report's 受理/办结时间 (absent from the events of a
    # producer older than the field: then the closure the case facts hold stands in)
    closed_at: UTC | None = None
    rater_type: RaterType = "person"
    # 1: the ticket's rating; 2, 3, …: a 回访 after a reopen (the rater's word on the redo).
    round: int = Field(1, ge=1, le=1000)


class DeadlineEvent(CaseCommon):
    """warning / overdue / escalated / stage_completed from a service's deadline engine."""

    case_kind: Code
    stage: Code
    # 0 warning, 1 overdue / L1, up to the deepest ladder a policy may hold (an admin may add
    # levels beyond the default three)
    level: int = Field(ge=0, le=MAX_LEVELS)
    due_at: UTC | None = None
    stage_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    on_time: bool | None = None
