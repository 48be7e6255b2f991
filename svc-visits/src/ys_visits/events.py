"""Events svc-visits publishes (contract.md), registered in ``catalogue`` (the gateway merges
it into the AsyncAPI document), and the one helper that records a change: a timeline entry
and the outbox event, in the caller's transaction.

Payloads carry ids and no personal data: no contact names or phones (leaders are officials
acting in office; their names are what the hall's duty board shows).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Position, Principal
from yingshang.cases import timeline
from yingshang.events.catalogue import EventCatalogue
from yingshang.events.envelope import CloudEvent, make_event
from yingshang.events.outbox import enqueue
from yingshang.time.events import register_deadline_events
from ys_visits.clocks import SERVICE

catalogue = EventCatalogue(title="svc-visits events")
OVERSIGHT = ("ratings", "gateway")
HALL_BOARD = ("approvals", "gateway")


class CaseRef(BaseModel):
    """Fields every case event carries (contract.md)."""

    case_id: str
    case_number: str
    department: str
    origin_client: str | None = None


class ProblemCreated(CaseRef):
    """诉求 raised (on a visit, on hall duty, or directly at the center)."""

    received_at: datetime
    source: str
    category: str
    enterprise_id: str | None = Field(None, description="none for a joint meeting's task")
    visit_id: str | None = None
    duty_id: str | None = None
    meeting_id: str | None = None
    indicator_code: str | None = None


class ProblemAssigned(CaseRef):
    """交办单: handed to ``department`` with its head's sign-for (签收), a proposal and a
    resolution deadline."""

    sign_due_at: datetime | None = None
    proposal_due_at: datetime | None = None
    resolution_due_at: datetime | None = None


class ProblemSigned(CaseRef):
    """签收: the department's head personally accepted the 交办单 (一把手亲自接单)."""

    signed_at: datetime


class ProblemContacted(CaseRef):
    """联系: the department reached the enterprise (``channel``: phone, on_site, video)."""

    contacted_at: datetime
    channel: str


class ProblemReturned(CaseRef):
    """退回: the department says it is not theirs; the center hands it on again."""


class ProblemProposed(CaseRef):
    proposed_at: datetime


class ProgressReported(CaseRef):
    """The monthly progress update (月度进展) until 销号."""

    progress_count: int
    reported_at: datetime
    percent: int | None = None


class ProblemSolved(CaseRef):
    """The department reports it solved; the enterprise's confirmation is awaited."""

    solved_at: datetime


class ProblemReopened(CaseRef):
    """The solution was disputed — by the enterprise (企业有异议), or by the bureau for a task
    without one (营商局退回重办): back to the department."""

    dispute_count: int


class ProblemClosed(CaseRef):
    """销号: ``outcome`` = ``confirmed`` (by the enterprise), ``accepted`` (by the bureau, for a
    task without an enterprise) or ``override`` (the bureau, without the confirmation)."""

    received_at: datetime
    closed_at: datetime
    outcome: Literal["confirmed", "accepted", "override"]


class ProblemCompleted(CaseRef):
    """销号 is the 好差评 evaluation node (``finish``): ratings invites the enterprise."""

    node: Literal["finish"] = "finish"
    item_name: str | None = None
    staff_no: str | None = None
    channel: str
    rater_type: Literal["person", "legal_person"] = "legal_person"
    service: str = SERVICE
    case_kind: str = "problem"


class PairingCreated(CaseRef):
    received_at: datetime
    enterprise_id: str
    leader_name: str
    leader_rank: str
    starts_on: date


class PairingClosed(CaseRef):
    """挂帮 ended (contract name ``closed``: it closes any open 督办 of the pairing)."""

    received_at: datetime
    closed_at: datetime
    outcome: Literal["ended"] = "ended"


class VisitRecorded(CaseRef):
    """走访: a visit to an enterprise, with the number of problems (诉求) it raised."""

    received_at: datetime
    enterprise_id: str
    pairing_id: str | None
    visited_on: date
    channel: str
    leader_name: str | None
    problems_raised: int


class DutyEvent(CaseRef):
    """坐班: a leader's sitting in a hall (the approvals hall shows who sits today)."""

    duty_id: str
    leader_name: str
    hall: str
    hall_name: str
    date: date
    start: str
    end: str
    state: str
    matters_handled: int
    problems_raised: int


class IndicatorChanged(BaseModel):
    """指标长: an indicator added or edited — its lead unit and owner (an official in office)."""

    indicator_id: str
    code: str
    name: str
    lead_department: str
    owner_name: str
    owner_staff_no: str | None = None
    active: bool
    version: int


class IndicatorScored(BaseModel):
    """An indicator's score for a period (``version`` > 1: a correction)."""

    indicator_id: str
    code: str
    lead_department: str
    period: str
    score: Decimal
    rank: int | None = None
    rank_of: int | None = None
    version: int


class MeetingRecorded(CaseRef):
    """联席会议 recorded; each decision is a 交办单 (``problem_ids``) handed to a department."""

    received_at: datetime
    held_on: date
    meeting_kind: str
    indicator_codes: list[str]
    participants: list[str]
    problem_ids: list[str]


PRODUCED: dict[str, tuple[type[BaseModel], str, tuple[str, ...]]] = {
    "problem.created": (ProblemCreated, "诉求 raised", OVERSIGHT),
    "problem.assigned": (ProblemAssigned, "交办: handed to a department", OVERSIGHT),
    "problem.signed": (ProblemSigned, "签收 by the department's head", ("gateway",)),
    "problem.contacted": (ProblemContacted, "联系: the enterprise contacted", ("gateway",)),
    "problem.returned": (ProblemReturned, "退回 by the department", OVERSIGHT),
    "problem.proposed": (ProblemProposed, "solution proposed", ("gateway",)),
    "problem.progress_reported": (ProgressReported, "monthly progress", ("gateway",)),
    "problem.solved": (ProblemSolved, "reported solved, awaiting confirmation", ("gateway",)),
    "problem.reopened": (ProblemReopened, "the enterprise disputed: reopened", OVERSIGHT),
    "problem.closed": (ProblemClosed, "销号 (confirmed or bureau override)", OVERSIGHT),
    "problem.completed": (ProblemCompleted, "销号: 好差评 node finish", OVERSIGHT),
    "pairing.created": (PairingCreated, "挂帮: a leader paired with an enterprise", OVERSIGHT),
    "pairing.closed": (PairingClosed, "挂帮 ended", OVERSIGHT),
    "visit.recorded": (VisitRecorded, "走访 recorded", ("gateway",)),
    "duty.recorded": (DutyEvent, "坐班 sitting entered in the schedule", HALL_BOARD),
    "duty.updated": (DutyEvent, "坐班 check-in / check-out, matters handled", HALL_BOARD),
    "duty.cancelled": (DutyEvent, "坐班 sitting cancelled", HALL_BOARD),
    "indicator.created": (IndicatorChanged, "指标长: an indicator added", ("gateway",)),
    "indicator.updated": (IndicatorChanged, "an indicator edited", ("gateway",)),
    "indicator.scored": (IndicatorScored, "an indicator's score for a period", ("gateway",)),
    "meeting.recorded": (MeetingRecorded, "联席会议 and the 交办单 it decided", ("gateway",)),
}
for _name, (_model, _text, _consumers) in PRODUCED.items():
    catalogue.register(f"ys.{SERVICE}.{_name}", _model, description=_text, consumers=_consumers)
# warning / overdue / escalated / stage_completed (+ stage changes) of both timed case kinds:
# pairing = the visit frequency ("visit overdue"), problem = the 交办单's deadlines.
register_deadline_events(catalogue, SERVICE, ("problem", "pairing"))


def event(kind: str, case_id: uuid.UUID, name: str, payload: BaseModel) -> CloudEvent:
    return make_event(SERVICE, f"ys.{SERVICE}.{kind}.{name}", payload, subject=f"{kind}/{case_id}")


async def record(
    session: AsyncSession,
    *,
    kind: str,
    case_id: uuid.UUID,
    action: str,
    actor: Principal,
    payload: BaseModel | None,
    event_name: str | None = None,
    state: tuple[str | None, str | None] = (None, None),
    note: str | None = None,
    data: dict[str, object] | None = None,
) -> CloudEvent | None:
    """A change that is not a kit transition (creation, progress, duty records): its
    timeline entry and, when ``payload`` is given, its event — one transaction."""
    published = event(kind, case_id, event_name or action, payload) if payload else None
    position = acting_position(actor)
    await timeline.append(
        session,
        case_kind=kind,
        case_id=case_id,
        action=action,
        actor=actor,
        from_state=state[0],
        to_state=state[1],
        position=(position.dept, position.role) if position else None,
        note=note,
        data=data,
        event_id=published.id if published else None,
    )
    if published is not None:
        await enqueue(session, published)
    return published


def acting_position(principal: Principal) -> Position | None:
    return principal.positions[0] if principal.positions else None
