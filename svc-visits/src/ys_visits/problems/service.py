"""Problems: raising one (on a visit, on duty or directly), who sees which, the views."""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.cases.numbers import case_number
from yingshang.clock import now
from yingshang.masking import mask_phone
from yingshang.problems import NotFound
from yingshang.redaction import Redactor
from yingshang.time.models import RUNNING, DeadlineStage
from ys_visits import access, clocks, events
from ys_visits.access import CENTER
from ys_visits.enterprises.models import Enterprise
from ys_visits.indicators.service import require_active
from ys_visits.problems import stages
from ys_visits.problems.machine import MACHINE, PROGRESS
from ys_visits.problems.models import KIND, Problem, ProgressUpdate
from ys_visits.problems.schemas import (
    EnterpriseRef,
    ProblemDetail,
    ProblemIn,
    ProblemOut,
    ProgressOut,
    StageOut,
)
from ys_visits.problems.vocabulary import Category, Source, State

NUMBER_PREFIX = "JB"  # 交办单


@dataclass(frozen=True)
class Origin:
    """Where a problem was found: a visit (channel of the visit), a duty sitting, the center,
    a joint meeting's decision (联席会议)."""

    source: Source
    channel: str
    visit_id: uuid.UUID | None = None
    duty_id: uuid.UUID | None = None
    meeting_id: uuid.UUID | None = None


DIRECT = Origin(Source.DIRECT, "center")


def may_see(principal: Principal, problem: Problem) -> bool:
    return (
        access.sees_all(principal)
        or access.in_depts(principal, problem.department)
        or (not principal.is_client and problem.raised_by == principal.sub)
    )


def visible(principal: Principal) -> ColumnElement[bool]:
    return access.scoped(principal, Problem.department, [Problem.raised_by == principal.sub])


async def get_visible(session: AsyncSession, problem_id: uuid.UUID, who: Principal) -> Problem:
    """The problem, or 404 — also when it exists but ``who`` may not see it."""
    problem = await session.get(Problem, problem_id)
    if problem is None or not may_see(who, problem):
        raise NotFound("没有这个交办单", code="problem-not-found")
    return problem


async def raise_problem(
    session: AsyncSession,
    body: ProblemIn,
    enterprise: Enterprise | None,
    origin: Origin,
    who: Principal,
) -> Problem:
    """登记: a 交办单 waiting to be handed to a department. Only a joint meeting's decision
    may have no enterprise (the table refuses any other); its indicator must be active."""
    if body.indicator_code is not None:
        await require_active(session, body.indicator_code, field="indicator_code")
    problem = Problem(
        number=await case_number(session, NUMBER_PREFIX),
        enterprise_id=enterprise.id if enterprise else None,
        source=origin.source.value,
        channel=origin.channel,
        visit_id=origin.visit_id,
        duty_id=origin.duty_id,
        meeting_id=origin.meeting_id,
        indicator_code=body.indicator_code,
        title=body.title,
        description=body.description,
        category=body.category.value,
        state=MACHINE.initial,
        contact_name=body.contact_name,
        contact_phone=body.contact_phone,
        received_at=now(),
        progress_count=0,
        dispute_count=0,
        satisfaction_excluded=False,
        raised_by=who.sub,
        raised_by_name=who.name or None,
    )
    session.add(problem)
    await session.flush()
    await _record_created(session, problem, who)
    return problem


async def _record_created(session: AsyncSession, problem: Problem, who: Principal) -> None:
    payload = events.ProblemCreated(
        **common(problem),
        received_at=problem.received_at,
        source=problem.source,
        category=problem.category,
        enterprise_id=_text(problem.enterprise_id),
        visit_id=_text(problem.visit_id),
        duty_id=_text(problem.duty_id),
        meeting_id=_text(problem.meeting_id),
        indicator_code=problem.indicator_code,
    )
    await events.record(
        session, kind=KIND, case_id=problem.id, action="created", actor=who,
        payload=payload, state=(None, problem.state),
    )  # fmt: skip


def _text(value: uuid.UUID | None) -> str | None:
    return str(value) if value else None


def common(problem: Problem) -> dict[str, Any]:
    """The contract's common fields; before 交办 the center is the responsible unit."""
    return {
        "case_id": str(problem.id),
        "case_number": problem.number,
        "department": problem.department or CENTER,
        "origin_client": problem.origin_client,
    }


def available(problem: Problem, who: Principal) -> list[str]:
    """The steps ``who`` may take now: the machine's, less those a guard blocks, and 月度进展."""
    names = MACHINE.available(problem, who)
    if problem.state in PROGRESS.sources and PROGRESS.allowed(who, problem) is not None:
        names.append(PROGRESS.name)
    return names


def view(
    problem: Problem, names: dict[uuid.UUID, str], running: list[DeadlineStage], who: Principal
) -> ProblemOut:
    """``names``: enterprise names by id (a joint meeting's task may have no enterprise)."""
    fields = {name: getattr(problem, name) for name in _COPIED}
    redact = redactor(problem)
    fields |= {name: redact.optional(fields[name]) for name in _FREE_TEXT}
    due, of = problem.due_at, problem.enterprise_id
    return ProblemOut(
        **fields,
        enterprise=EnterpriseRef(id=of, name=names.get(of, "")) if of else None,
        contact_phone=mask_phone(problem.contact_phone) if problem.contact_phone else None,
        overdue=problem.state != State.CLOSED and due is not None and due <= now(),
        escalation_level=clocks.escalation_level(running),
        actions=available(problem, who),
    )


_COPIED = (
    "id", "number", "source", "channel", "visit_id", "duty_id", "meeting_id", "indicator_code",
    "title", "description", "category", "state", "department", "contact_name", "received_at",
    "assigned_at", "resolution_due_on", "signed_at", "signed_by_name", "signed_by_staff_no",
    "contacted_at", "contact_channel", "proposal", "proposed_at", "resolution", "solved_at",
    "closed_at", "closure", "closure_note", "confirmed_by", "progress_count", "last_progress_at",
    "dispute_count", "satisfaction", "satisfaction_excluded", "due_at", "version",
)  # fmt: skip


# Written by people, who put the contact's number in: it reads masked there too.
_FREE_TEXT = ("title", "description", "proposal", "resolution", "closure_note")


def redactor(problem: Problem) -> Redactor:
    """The contact's phone, however written in free text, masked as the field is."""
    return Redactor.masking_phones(problem.contact_phone)


async def _names(session: AsyncSession, ids: set[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    known = {i for i in ids if i is not None}
    if not known:
        return {}
    rows = await session.execute(
        select(Enterprise.id, Enterprise.name).where(Enterprise.id.in_(known))
    )
    return dict(rows.all())


async def views(session: AsyncSession, rows: list[Problem], who: Principal) -> list[ProblemOut]:
    names = await _names(session, {p.enterprise_id for p in rows})
    running = await clocks.running(session, KIND, [p.id for p in rows])
    return [view(p, names, running[p.id], who) for p in rows]


async def detail(session: AsyncSession, problem: Problem, who: Principal) -> ProblemDetail:
    all_stages = await stages.of(session, problem)
    running = [s for s in all_stages if s.status == RUNNING]
    names = await _names(session, {problem.enterprise_id})
    base = view(problem, names, running, who)
    redact = redactor(problem)
    updates = await session.execute(
        select(ProgressUpdate)
        .where(ProgressUpdate.problem_id == problem.id)
        .order_by(ProgressUpdate.at, ProgressUpdate.id)
    )
    return ProblemDetail(
        **base.model_dump(),
        stages=[StageOut.model_validate(s) for s in stages.in_process_order(all_stages)],
        progress=[
            ProgressOut.model_validate(u).model_copy(update={"text": redact.text(u.text)})
            for u in updates.scalars()
        ],
    )


def list_query(
    who: Principal,
    *,
    states: list[State] | None,
    department: str | None,
    overdue: bool | None,
    enterprise_id: uuid.UUID | None,
    source: Source | None,
    category: Category | None,
    meeting_id: uuid.UUID | None,
    indicator_code: str | None,
) -> Select[Problem]:
    stmt = select(Problem).where(visible(who))
    if states:
        stmt = stmt.where(Problem.state.in_([s.value for s in states]))
    for column, value in (
        (Problem.department, department),
        (Problem.enterprise_id, enterprise_id),
        (Problem.source, source.value if source else None),
        (Problem.category, category.value if category else None),
        (Problem.meeting_id, meeting_id),
        (Problem.indicator_code, indicator_code),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if overdue is not None:
        late = (Problem.state != State.CLOSED.value) & (Problem.due_at <= now())
        stmt = stmt.where(late if overdue else ~late | Problem.due_at.is_(None))
    return stmt
