"""五限时 on the foundation's deadline engine: which policy row a ticket's stage uses.

Policies are keyed by (service, case kind, stage, urgency). The hotline's 办理 limit depends on
the request type (咨询 2 wd, 求助 5 wd, 投诉/举报 12 wd …) unless the ticket is urgent (2
natural hours, 接诉即办), so for ``handle`` the urgency key is the type or ``urgent``; the
other stages are keyed ``normal`` / ``urgent``.
"""

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.problems import Invalid
from yingshang.time import deadlines
from yingshang.time.arithmetic import Unit
from yingshang.time.models import OPEN_STATUSES, RUNNING, DeadlineStage
from ys_hotline.access import CENTER
from ys_hotline.tickets.events import SERVICE
from ys_hotline.tickets.machine import Stage
from ys_hotline.tickets.models import CASE_KIND, ClockRound, Ticket
from ys_hotline.tickets.policy import UNASSIGNED
from ys_hotline.tickets.vocabulary import Urgency

Actor = deadlines.Actor
DAY_UNITS = {Unit.WORKING_DAYS.value, Unit.NATURAL_DAYS.value}


def holder(ticket: Ticket, stage: Stage | str) -> str:
    """Whose clock a stage is (warnings, escalation L1, scorecards): the department that holds
    the ticket — 反馈 included, the department's reply (DOMAIN.md: "反馈/回复 → 审核"); the
    center before 派单, after an approved 退单, on a transferred ticket, and for the 回访,
    which its operators make."""
    if stage == Stage.REVISIT or ticket.state in UNASSIGNED or not ticket.department:
        return CENTER
    return ticket.department


def policy_key(ticket: Ticket, stage: Stage) -> str:
    if ticket.urgency == Urgency.URGENT.value:
        return Urgency.URGENT.value
    return ticket.type if stage is Stage.HANDLE else Urgency.NORMAL.value


async def start(
    session: AsyncSession,
    ticket: Ticket,
    stage: Stage,
    actor: Actor,
    *,
    counted_from: datetime | None = None,
    new_case: bool = False,
) -> DeadlineStage:
    """``new_case``: the ticket is being taken in; its 办理 clock is only read afterwards in
    this transaction (its due time, the answer), so the row is not joined to the session.
    A clock started after a reopen records its round (the reopen counted before its clocks
    start, as the 回访's ``round`` counts)."""
    row = await deadlines.start_stage(
        session,
        service=SERVICE,
        case_kind=CASE_KIND,
        case_id=ticket.id,
        case_number=ticket.number,
        department=holder(ticket, stage),
        origin_client=ticket.origin_client,
        stage=stage.value,
        urgency=policy_key(ticket, stage),
        actor=actor,
        at=counted_from,
        new_case=new_case,
        attach=not new_case,
    )
    if ticket.reopen_count:
        session.add(ClockRound(stage_id=row.id, ticket_id=ticket.id, round=ticket.reopen_count + 1))
    return row


async def _open(session: AsyncSession, ticket: Ticket, stage: Stage) -> DeadlineStage | None:
    return await deadlines.open_stage(session, CASE_KIND, ticket.id, stage.value)


async def complete(session: AsyncSession, ticket: Ticket, stage: Stage, actor: Actor) -> None:
    row = await _open(session, ticket, stage)
    if row is not None:
        await deadlines.complete_stage(session, row, actor=actor)


async def cancel(session: AsyncSession, ticket: Ticket, stage: Stage, actor: Actor) -> None:
    row = await _open(session, ticket, stage)
    if row is not None:
        await deadlines.cancel(session, row, actor=actor)


async def extend_handling(
    session: AsyncSession, ticket: Ticket, days: int, actor: Actor, reason: str | None
) -> DeadlineStage:
    """An approved 延期 lengthens the 办理 limit by ``days`` in the stage's own day unit."""
    row = await _open(session, ticket, Stage.HANDLE)
    if row is None:
        raise Invalid("该工单没有正在计时的办理时限，无需延期", field="days")
    if row.unit not in DAY_UNITS:
        raise Invalid("紧急工单按小时计时，不能按天延期", field="days")
    return await deadlines.extend(session, row, days, row.unit, actor=actor, reason=reason)


async def reassign(session: AsyncSession, ticket: Ticket) -> None:
    """After the ticket changes hands (派单, an approved 退单, reopen) the running clocks answer
    to whoever now holds it (escalation L1 goes to its head)."""
    rows = await session.execute(
        select(DeadlineStage).where(
            DeadlineStage.case_kind == CASE_KIND,
            DeadlineStage.case_id == ticket.id,
            DeadlineStage.status.in_(OPEN_STATUSES),
        )
    )
    for row in rows.scalars():
        row.department = holder(ticket, row.stage)


async def of(session: AsyncSession, ticket: Ticket) -> list[DeadlineStage]:
    return await deadlines.stages_of(session, CASE_KIND, ticket.id)


async def running(session: AsyncSession, ticket: Ticket) -> dict[str, datetime]:
    """The due times of the ticket's running clocks, by stage (for the machine's guards)."""
    rows = await session.execute(
        select(DeadlineStage.stage, DeadlineStage.due_at).where(
            DeadlineStage.case_kind == CASE_KIND,
            DeadlineStage.case_id == ticket.id,
            DeadlineStage.status == RUNNING,
        )
    )
    return dict(rows.all())


async def rounds(session: AsyncSession, ticket: Ticket) -> dict[uuid.UUID, int]:
    """The round of each clock started after a reopen (the others are of the first)."""
    if not ticket.reopen_count:
        return {}
    rows = await session.execute(
        select(ClockRound.stage_id, ClockRound.round).where(ClockRound.ticket_id == ticket.id)
    )
    return dict(rows.all())


async def _rescheduled(session: AsyncSession, rows: list[DeadlineStage]) -> None:
    """A year's holiday file loaded: the engine recomputed these provisional stages; a
    ticket's copy of its 办理 due time follows (its view and the 延期 "before the deadline"
    rule read it)."""
    handling = {r.case_id: r for r in rows if r.case_kind == CASE_KIND and r.stage == Stage.HANDLE}
    if not handling:
        return
    tickets = await session.execute(select(Ticket).where(Ticket.id.in_(list(handling))))
    for ticket in tickets.scalars():
        ticket.due_at = handling[ticket.id].due_at


deadlines.on_rescheduled(SERVICE, _rescheduled)
