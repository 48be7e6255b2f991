"""Recording a joint meeting (联席会议): the record, and each decision handed at once to its
department as a 交办单 — the 交办 step every problem takes, with the same deadlines and
escalation (ladder L1 → the department's head, L2 the bureau, L3 the committee).

The minutes go to every member unit: any staff reads a meeting; each 交办单 keeps its own
visibility (the department it was handed to, the center, oversight).
"""

import uuid
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import BUREAU, Principal
from yingshang.cases.numbers import case_number
from yingshang.clock import today
from yingshang.problems import Invalid, NotFound
from ys_visits import events
from ys_visits.directory.service import require_department
from ys_visits.enterprises import service as enterprises
from ys_visits.enterprises.models import Enterprise
from ys_visits.indicators.service import require_active
from ys_visits.meetings.models import KIND, Meeting
from ys_visits.meetings.schemas import (
    DecisionIn,
    DecisionOut,
    MeetingIn,
    MeetingKind,
    MeetingOut,
)
from ys_visits.problems import actions
from ys_visits.problems import service as problems
from ys_visits.problems.machine import MACHINE
from ys_visits.problems.models import Problem
from ys_visits.problems.schemas import AssignIn, ProblemIn
from ys_visits.problems.vocabulary import Source

NUMBER_PREFIX = "LX"  # 联席会议
CHANNEL = "joint_meeting"


async def get(session: AsyncSession, meeting_id: uuid.UUID) -> Meeting:
    meeting = await session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("没有这次会议", code="meeting-not-found")
    return meeting


async def _enterprise(session: AsyncSession, i: int, decision: DecisionIn) -> Enterprise | None:
    if decision.enterprise_id is None:
        return None
    field = f"decisions.{i}.enterprise_id"
    return await enterprises.named(session, decision.enterprise_id, field=field)


async def _check(session: AsyncSession, body: MeetingIn) -> list[Enterprise | None]:
    """Before anything is written (422 naming the field): the member units and the indicators
    exist; a decision goes to a department of the directory, serves an indicator the meeting
    discussed, is due after today, and names an enterprise of the registry if any. Returns
    those enterprises."""
    for i, code in enumerate(body.participants):
        await require_department(session, code, field=f"participants.{i}")
    for i, code in enumerate(body.indicator_codes):
        await require_active(session, code, field=f"indicator_codes.{i}")
    enterprises = []
    for i, decision in enumerate(body.decisions):
        await require_department(session, decision.department, field=f"decisions.{i}.department")
        if decision.indicator_code not in (None, *body.indicator_codes):
            raise Invalid(
                "决定事项关联的指标须是本次会议研判的指标",
                field=f"decisions.{i}.indicator_code",
            )
        if decision.resolution_due is not None and decision.resolution_due <= today():
            raise Invalid(
                "决定事项的完成时限须晚于会议日期",
                field=f"decisions.{i}.resolution_due",
            )
        enterprises.append(await _enterprise(session, i, decision))
    return enterprises


async def record(session: AsyncSession, body: MeetingIn, who: Principal) -> Meeting:
    """联席会议 recorded by the bureau; each decision becomes a 交办单 handed to its unit."""
    enterprises = await _check(session, body)
    meeting = Meeting(
        number=await case_number(session, NUMBER_PREFIX),
        held_on=body.held_on,
        title=body.title,
        kind=body.kind.value,
        chaired_by=body.chaired_by,
        chair_title=body.chair_title,
        participants=list(body.participants),
        minutes=body.minutes,
        indicator_codes=list(body.indicator_codes),
        decisions_count=len(body.decisions),
        recorded_by=who.sub,
        recorded_by_name=who.name or None,
    )
    session.add(meeting)
    await session.flush()
    handed = [
        await _hand_on(session, meeting, decision, enterprise, who)
        for decision, enterprise in zip(body.decisions, enterprises, strict=True)
    ]
    await _record_event(session, meeting, handed, who)
    return meeting


async def _hand_on(
    session: AsyncSession,
    meeting: Meeting,
    decision: DecisionIn,
    enterprise: Enterprise | None,
    who: Principal,
) -> Problem:
    """The decision as a 交办单 (source ``meeting``), then the 交办 step: its clocks start."""
    fields = ProblemIn(
        title=decision.title,
        description=decision.description,
        category=decision.category,
        indicator_code=decision.indicator_code,
    )
    origin = problems.Origin(Source.MEETING, CHANNEL, meeting_id=meeting.id)
    problem = await problems.raise_problem(session, fields, enterprise, origin, who)
    assign = AssignIn(
        department=decision.department,
        resolution_due=decision.resolution_due,
        note=f"联席会议 {meeting.number} 决定",
    )
    return await actions.act(session, problem.id, "assign", assign, who, MACHINE.etag(problem))


async def _record_event(
    session: AsyncSession, meeting: Meeting, handed: list[Problem], who: Principal
) -> None:
    payload = events.MeetingRecorded(
        case_id=str(meeting.id),
        case_number=meeting.number,
        department=BUREAU,
        received_at=meeting.created_at,
        held_on=meeting.held_on,
        meeting_kind=meeting.kind,
        indicator_codes=meeting.indicator_codes,
        participants=meeting.participants,
        problem_ids=[str(p.id) for p in handed],
    )
    await events.record(
        session, kind=KIND, case_id=meeting.id, action="recorded", actor=who, payload=payload
    )


async def views(session: AsyncSession, rows: list[Meeting], who: Principal) -> list[MeetingOut]:
    """Views of many meetings with one extra query (the 交办单 their decisions became). A
    交办单 keeps its own visibility: a reader is shown the decisions whose 交办单 it may see
    (as ``/problems`` would), and how many others there are, nothing of them."""
    decided: dict[uuid.UUID, list[DecisionOut]] = {m.id: [] for m in rows}
    hidden: dict[uuid.UUID, int] = dict.fromkeys(decided, 0)
    if rows:
        seen = problems.visible(who).label("seen")
        found = select(Problem, seen).where(Problem.meeting_id.in_(list(decided)))
        for p, visible in await session.execute(found.order_by(Problem.number)):
            meeting_id = p.meeting_id or p.id
            if visible:
                decided[meeting_id].append(_decision(p))
            else:
                hidden[meeting_id] += 1
    return [_view(m, decided[m.id], hidden[m.id]) for m in rows]


def _decision(p: Problem) -> DecisionOut:
    return DecisionOut(
        id=p.id, number=p.number, title=p.title, department=p.department,
        indicator_code=p.indicator_code, state=p.state, due_at=p.due_at,
    )  # fmt: skip


def _view(meeting: Meeting, decisions: list[DecisionOut], hidden: int) -> MeetingOut:
    return MeetingOut(
        id=meeting.id,
        number=meeting.number,
        held_on=meeting.held_on,
        title=meeting.title,
        kind=MeetingKind(meeting.kind),
        chaired_by=meeting.chaired_by,
        chair_title=meeting.chair_title,
        participants=meeting.participants,
        minutes=meeting.minutes,
        indicator_codes=meeting.indicator_codes,
        decisions=decisions,
        other_decisions=hidden,
        recorded_by_name=meeting.recorded_by_name,
        created_at=meeting.created_at,
    )


def list_query(
    *, kind: MeetingKind | None, held_from: date | None, held_to: date | None
) -> Select[Meeting]:
    stmt = select(Meeting)
    if kind is not None:
        stmt = stmt.where(Meeting.kind == kind.value)
    if held_from is not None:
        stmt = stmt.where(Meeting.held_on >= held_from)
    if held_to is not None:
        stmt = stmt.where(Meeting.held_on <= held_to)
    return stmt
