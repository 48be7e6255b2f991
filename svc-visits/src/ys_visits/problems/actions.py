"""Every step of a problem on the case kit's :func:`apply_transition`, with its effects.

Order of checks (the kit's): 404 for a problem the caller may not see, 403 for a position that
may not take the step, 428/412 for If-Match, 409 for the wrong state or an unmet guard (e.g. 联系
before the proposal) — only then the step's own rules (422), its effects, the state change with
its timeline entry and event, and the clocks.
All in the caller's transaction: a refusal anywhere leaves nothing half-written.
"""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Position, Principal
from yingshang.cases.statemachine import apply_transition, check_step
from yingshang.clock import now, today
from yingshang.events.outbox import enqueue
from yingshang.problems import Invalid
from ys_visits import access, events
from ys_visits.directory.service import require_department
from ys_visits.problems import schemas as s
from ys_visits.problems import stages
from ys_visits.problems.machine import (
    CLOCKS,
    EXTRA_EVENTS,
    MACHINE,
    PROGRESS,
    Clocks,
)
from ys_visits.problems.models import KIND, Problem, ProgressUpdate
from ys_visits.problems.service import common, get_visible
from ys_visits.problems.vocabulary import CATEGORY_LABELS, Category, Closure, Stage


@dataclass
class Step:
    """What an effect hands the transition: timeline note and data, the event payload."""

    note: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    payload: BaseModel | None = None
    clocks_applied: bool = False  # the effect already ran the step's clocks
    after: Callable[[], None] | None = None  # changes that must follow the state change


Effect = Callable[[AsyncSession, Problem, Any, Principal], Awaitable[Step]]
EFFECTS: dict[str, Effect] = {}


def effect(name: str) -> Callable[[Effect], Effect]:
    def register(fn: Effect) -> Effect:
        EFFECTS[name] = fn
        return fn

    return register


async def act(
    session: AsyncSession,
    problem_id: uuid.UUID,
    name: str,
    body: BaseModel,
    who: Principal,
    if_match: str | None,
) -> Problem:
    """Take step ``name`` on a problem as ``who``."""
    problem = await get_visible(session, problem_id, who)
    if name == PROGRESS.name:
        states = MACHINE.labels
        position = check_step(KIND, PROGRESS, problem, who, if_match=if_match, states=states)  # type: ignore[type-var, unused-ignore]  # see machine.MACHINE
        assert isinstance(body, s.ProgressIn)
        await report_progress(session, problem, body, who, position)
        return problem
    MACHINE.check(problem, name, who, if_match=if_match)
    step = await EFFECTS[name](session, problem, body, who)
    await apply_transition(  # type: ignore[type-var, unused-ignore]  # see machine.MACHINE
        session,
        MACHINE,
        problem,
        name,
        who,
        if_match=MACHINE.etag(problem),  # the caller's tag was checked; effects may flush
        note=step.note,
        data=step.data or None,
        event_data=step.payload,
    )
    if step.after is not None:
        step.after()
    if problem.enterprise_id is not None:  # 好差评: only an enterprise rates the 销号
        for extra in EXTRA_EVENTS.get(name, ()):
            await enqueue(session, events.event(KIND, problem.id, extra, completed(problem)))
    if not step.clocks_applied:
        await stages.apply(session, problem, CLOCKS.get(name, Clocks()), who)
    await session.flush()
    return problem


def completed(problem: Problem) -> events.ProblemCompleted:
    return events.ProblemCompleted(
        **common(problem),
        item_name=CATEGORY_LABELS[Category(problem.category)],
        staff_no=problem.solved_by_staff_no,
        channel=problem.channel,
    )


@effect("assign")
async def assign(session: AsyncSession, p: Problem, body: s.AssignIn, who: Principal) -> Step:
    """交办: the department, and the deadlines (proposal by policy, resolution by date)."""
    await require_department(session, body.department, field="department")
    if body.resolution_due is not None and body.resolution_due <= today():
        raise Invalid("解决时限须晚于今天", field="resolution_due")
    p.department, p.resolution_due_on, p.assigned_at = body.department, body.resolution_due, now()
    # The clocks start before the state changes so the event carries both due dates.
    await stages.apply(session, p, CLOCKS["assign"], who)
    sign = await stages.due_of(session, p, Stage.SIGN)
    proposal = await stages.due_of(session, p, Stage.PROPOSAL)
    resolution = await stages.due_of(session, p, Stage.RESOLUTION)
    payload = events.ProblemAssigned(
        **common(p),
        sign_due_at=sign.due_at if sign else None,
        proposal_due_at=proposal.due_at if proposal else None,
        resolution_due_at=resolution.due_at if resolution else None,
    )
    data = {"department": body.department}
    return Step(note=body.note, data=data, payload=payload, clocks_applied=True)


@effect("return")
async def return_(session: AsyncSession, p: Problem, body: s.ReasonIn, who: Principal) -> Step:
    """退回: not this department's matter; the center hands it on again."""
    payload = events.ProblemReturned(**common(p))
    await stages.apply(session, p, CLOCKS["return"], who)

    def unassign() -> None:  # after the kit checked the returning head against the department
        p.department, p.assigned_at, p.resolution_due_on = None, None, None
        p.signed_at, p.signed_by_name, p.signed_by_staff_no = None, None, None
        p.contacted_at, p.contact_channel = None, None

    data = {"department": p.department}
    return Step(note=body.note, data=data, payload=payload, clocks_applied=True, after=unassign)


@effect("sign")
async def sign(session: AsyncSession, p: Problem, body: s.NoteIn, who: Principal) -> Step:
    """签收: the department's head personally accepts the 交办单 (一把手亲自接单); the
    contact clock starts (a problem with an enterprise)."""
    p.signed_at, p.signed_by_name, p.signed_by_staff_no = now(), who.name or None, who.staff_no
    return Step(note=body.note, payload=events.ProblemSigned(**common(p), signed_at=now()))


@effect("contact")
async def contact(session: AsyncSession, p: Problem, body: s.ContactIn, who: Principal) -> Step:
    """联系: the department reached the enterprise about its problem (how, and when)."""
    p.contacted_at, p.contact_channel = now(), body.channel.value
    payload = events.ProblemContacted(
        **common(p), contacted_at=p.contacted_at, channel=body.channel.value
    )
    return Step(note=body.note, data={"channel": body.channel.value}, payload=payload)


@effect("propose")
async def propose(session: AsyncSession, p: Problem, body: s.ProposeIn, who: Principal) -> Step:
    p.proposal, p.proposed_at = body.proposal, now()
    return Step(note=body.note, payload=events.ProblemProposed(**common(p), proposed_at=now()))


@effect("solve")
async def solve(session: AsyncSession, p: Problem, body: s.SolveIn, who: Principal) -> Step:
    p.resolution, p.solved_at, p.solved_by_staff_no = body.resolution, now(), who.staff_no
    return Step(note=body.note, payload=events.ProblemSolved(**common(p), solved_at=now()))


def _closed(p: Problem, closure: Closure, note: str | None) -> events.ProblemClosed:
    p.closed_at, p.closure, p.closure_note = now(), closure.value, note
    return events.ProblemClosed(
        **common(p), received_at=p.received_at, closed_at=p.closed_at, outcome=closure.value
    )


@effect("confirm")
async def confirm(session: AsyncSession, p: Problem, body: s.ConfirmIn, who: Principal) -> Step:
    """销号 on the enterprise's confirmation, as the center received it."""
    p.confirmed_by = body.confirmed_by
    payload = _closed(p, Closure.CONFIRMED, body.note)
    data = {"confirmed_by": body.confirmed_by, "channel": body.channel.value}
    return Step(note=body.note, data=data, payload=payload)


def _not_own(p: Problem, who: Principal) -> None:
    """The bureau closes, never a person of the department handling the problem whatever
    bureau post they also hold (交叉挂职): its 销号 is a second pair of eyes."""
    what = "承办单位不能为自己的交办单销号"
    access.refuse_own_unit(who, p.department, what, "own-problem")


@effect("override_close")
async def override(session: AsyncSession, p: Problem, body: s.ReasonIn, who: Principal) -> Step:
    """营商局决定销号: closed without the enterprise's confirmation, with the reason."""
    _not_own(p, who)
    return Step(note=body.note, payload=_closed(p, Closure.OVERRIDE, body.note))


@effect("accept")
async def accept(session: AsyncSession, p: Problem, body: s.NoteIn, who: Principal) -> Step:
    """营商局确认销号: a task without an enterprise (a joint meeting's) is confirmed solved by
    the bureau, as the enterprise would confirm its own problem."""
    _not_own(p, who)
    return Step(note=body.note, payload=_closed(p, Closure.ACCEPTED, body.note))


@effect("reject")
@effect("dispute")
async def dispute(session: AsyncSession, p: Problem, body: s.ReasonIn, who: Principal) -> Step:
    """企业有异议 (or, for a task without an enterprise, 营商局退回重办): back to the
    department, whose resolution clock starts again."""
    p.dispute_count += 1
    p.solved_at = None
    return Step(
        note=body.note, payload=events.ProblemReopened(**common(p), dispute_count=p.dispute_count)
    )


async def report_progress(
    session: AsyncSession, p: Problem, body: s.ProgressIn, who: Principal, at: Position
) -> None:
    """月度进展: recorded, published, and the next month's clock starts."""
    p.progress_count += 1
    p.last_progress_at = now()
    session.add(
        ProgressUpdate(
            problem_id=p.id, at=p.last_progress_at, text=body.text, percent=body.percent,
            by=who.sub, by_name=who.name or None, staff_no=who.staff_no, department=at.dept,
        )
    )  # fmt: skip
    await session.flush()
    payload = events.ProgressReported(
        **common(p),
        progress_count=p.progress_count,
        reported_at=p.last_progress_at,
        percent=body.percent,
    )
    await events.record(
        session, kind=KIND, case_id=p.id, action=PROGRESS.name, actor=who, payload=payload,
        event_name="progress_reported", state=(p.state, p.state), note=body.text[:2000],
    )  # fmt: skip
    await stages.apply(session, p, CLOCKS[PROGRESS.name], who)
