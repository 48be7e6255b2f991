"""Every step of a case on the case kit's :func:`apply_transition`, with its effects.

Order of checks (the kit's): 404 for a case the caller may not see, 403 for a position that
may not take the step, 428/412 for If-Match, 409 for the wrong state — only then the step's
own rules (which may need the database), its effects, the state change with its timeline
entry and event, and the clocks. All in the caller's transaction.
"""

import uuid

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Position, Principal
from yingshang.cases import timeline
from yingshang.cases.statemachine import apply_transition, check_step
from yingshang.events.outbox import enqueue
from yingshang.problems import NotFound
from yingshang.time import deadlines
from ys_complaints.access import may_see
from ys_complaints.cases import events, stages
from ys_complaints.cases.machine import CLOCKS, EXTRA_EVENTS, MACHINE, URGE, Clocks, Stage
from ys_complaints.cases.models import CASE_KIND, ComplaintCase
from ys_complaints.cases.notes import write_note
from ys_complaints.cases.steps import EFFECTS, rated
from ys_complaints.cases.vocabulary import NoteKind

# The stage a 督办 presses, the first running of: the unit's reply, the 督办 after a dispute,
# the result to the enterprise (after the reply).
SUPERVISED = (Stage.REPLY.value, Stage.SUPERVISION.value, Stage.FEEDBACK.value)


async def load(session: AsyncSession, case_id: uuid.UUID, who: Principal) -> ComplaintCase:
    """The case, or 404 — also when it exists but ``who`` may not see it."""
    case = await session.get(ComplaintCase, case_id)
    if case is None or not may_see(who, case):
        raise NotFound("没有这个案件")
    return case


async def act(
    session: AsyncSession,
    case_id: uuid.UUID,
    name: str,
    body: BaseModel,
    who: Principal,
    if_match: str | None,
) -> ComplaintCase:
    """Take step ``name`` on a case as ``who`` (an HTTP caller)."""
    case = await load(session, case_id, who)
    if name == URGE.name:
        position = check_step(CASE_KIND, URGE, case, who, if_match=if_match, states=MACHINE.labels)  # type: ignore[type-var, unused-ignore]  # see MACHINE
        await urge(session, case, str(getattr(body, "note", "")), who, position)
        return case
    position = MACHINE.check(case, name, who, if_match=if_match)
    await perform(session, case, name, body, who, position)
    return case


async def refuse_at_intake(
    session: AsyncSession, case: ComplaintCase, answer: BaseModel, who: Principal
) -> None:
    """不予受理 as the complaint is registered (told at the counter or on the phone): the
    step's own rule decides who may (the handling center's staff or head, not a clerk)."""
    position = MACHINE.check(case, "reject", who, if_match=MACHINE.etag(case))
    await perform(session, case, "reject", answer, who, position)


async def perform(
    session: AsyncSession,
    case: ComplaintCase,
    name: str,
    body: BaseModel,
    who: Principal,
    position: Position,
) -> None:
    """The step itself, after the checks (also the public page's, as a system actor). The
    effect may flush the row, so the kit is given the current tag: the caller's was checked."""
    step = await EFFECTS[name](session, case, body, who, position)
    event = MACHINE.transition(name).event
    await apply_transition(  # type: ignore[type-var, unused-ignore]  # as at MACHINE: mypy 2.4 misreads the model in an import cycle
        session,
        MACHINE,
        case,
        name,
        who,
        if_match=MACHINE.etag(case),
        note=step.note,
        data=step.data or None,
        event_data=events.payload(case, event, step.data) if event else None,
        effect=step.then,
    )
    for extra in EXTRA_EVENTS.get(name, ()):
        if extra != "completed" or rated(case):
            await enqueue(session, events.event(case, extra, step.data))
    await stages.apply(session, case, CLOCKS.get(name, Clocks()), who)


async def urge(
    session: AsyncSession, case: ComplaintCase, note: str, who: Principal, position: Position
) -> None:
    """催办 / 督办: a note on the case and its timeline; the state does not change. The 督办
    escalates the running stage at the issuer's level (``escalated``: the 督办 ledger)."""
    await write_note(session, case, NoteKind.URGE, note, who, position)
    case.supervised = True
    await session.flush()
    escalated = await deadlines.supervise_case(session, CASE_KIND, case.id, SUPERVISED, who)
    await timeline.append(
        session,
        case_kind=CASE_KIND,
        case_id=case.id,
        action=URGE.name,
        actor=who,
        from_state=case.state,
        to_state=case.state,
        position=(position.dept, position.role),
        note=note,
        event_id=escalated.id if escalated else None,
    )
