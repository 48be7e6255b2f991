"""Folding every service's case and deadline events into facts and the 督办 ledger.

Events of one case arrive in order (ordering key = case), but handlers still tolerate gaps and
reordering: a fact row is created by whichever event comes first and completed by the others.

The ledger follows stages, not only the case's closed flag: ``closed`` ends the escalations
raised until then, but a stage that still runs after 办结 (12345 回访, the complaints
center's anti-retaliation 回访核查) escalates into the ledger like any other, and a reopened
case (``reopened``, e.g. a 12345 ticket after a dissatisfied 回访) is open again for its redo.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.clock import ensure_utc
from yingshang.ids import uuid7
from yingshang.prepared import Prepared, insert_row
from ys_ratings.intake.payloads import (
    CaseAssigned,
    CaseClosed,
    CaseCommon,
    CaseCreated,
    CaseReopened,
    DeadlineEvent,
    center,
)
from ys_ratings.months import month_of
from ys_ratings.oversight.models import CaseFact, LedgerEntry, StageFact

ESCALATING = frozenset({"overdue", "escalated"})


async def _case(session: AsyncSession, service: str, kind: str, p: CaseCommon) -> CaseFact:
    rows = await session.execute(
        select(CaseFact).where(CaseFact.service == service, CaseFact.case_id == p.case_id)
    )
    fact = rows.scalar_one_or_none()
    if fact is None:
        fact = CaseFact(service=service, case_kind=kind, case_id=p.case_id)
        session.add(fact)
    # The latest event names the responsible department (a ticket may be re-dispatched).
    fact.case_number = p.case_number
    fact.department = p.department or fact.department or p.responsible(service)
    fact.origin_client = p.origin_client or fact.origin_client
    return fact


_FACT: Any = CaseFact.__table__
_FACT_ID = Prepared(
    select(_FACT.c.id).where(
        _FACT.c.service == bindparam("of_service"), _FACT.c.case_id == bindparam("of_case")
    )
)
_INSERT_FACT = insert_row(CaseFact)


async def case_created(
    session: AsyncSession, service: str, kind: str, p: CaseCreated, at: datetime
) -> None:
    received = p.received_at or at
    if await _FACT_ID.first(session, of_service=service, of_case=p.case_id) is None:
        # The usual order (the case's first event): one prepared INSERT, no unit of work.
        await _INSERT_FACT.run(
            session,
            id=uuid7(),  # as IdMixin's default
            service=service,
            case_kind=kind,
            case_id=p.case_id,
            case_number=p.case_number,
            department=p.responsible(service),
            origin_client=p.origin_client,
            received_at=received,
            received_month=month_of(received),
            closed_at=None,
            closed_month=None,
            outcome=None,
            excluded=None,
        )
        return
    fact = await _case(session, service, kind, p)
    fact.received_at, fact.received_month = received, month_of(received)
    await session.flush()


async def case_closed(session: AsyncSession, service: str, kind: str, p: CaseClosed) -> None:
    fact = await _case(session, service, kind, p)
    if p.received_at is not None and fact.received_at is None:
        fact.received_at, fact.received_month = p.received_at, month_of(p.received_at)
    fact.closed_at, fact.closed_month, fact.outcome = p.closed_at, month_of(p.closed_at), p.outcome
    # the escalations raised until the closure end with it; one raised later is of a stage
    # that runs after 办结 (回访, 回访核查) and stays until that stage completes
    raised_before = (LedgerEntry.case_id == p.case_id) & (LedgerEntry.since <= p.closed_at)
    await _close_ledger(session, raised_before, p.closed_at, "closed", service)
    await session.flush()


async def closed_by(
    session: AsyncSession, service: str, case_id: uuid.UUID, at: datetime
) -> datetime | None:
    """The case's closure as its facts hold it, if it came no later than ``at`` (a closure
    after ``at`` is of a later round: a ticket reopened and closed again)."""
    closed = await session.scalar(
        select(CaseFact.closed_at).where(CaseFact.service == service, CaseFact.case_id == case_id)
    )
    return closed if closed is not None and ensure_utc(closed) <= ensure_utc(at) else None


async def case_assigned(session: AsyncSession, service: str, kind: str, p: CaseAssigned) -> None:
    """派单 / 交办: the case counts for the unit handling it from now on (a 12345 ticket, a
    complaint, a 交办单 received by a center and handed on; re-handed after a 退单/退回). A
    case handed to a unit is that unit's matter, whatever it was before (a transferred ticket
    reopened at the 12345 center after its 回访, then dispatched)."""
    fact = await _case(session, service, kind, p)
    fact.excluded = None
    await session.flush()


async def case_released(session: AsyncSession, service: str, kind: str, p: CaseCommon) -> None:
    """退单 approved / 退回: the unit gave the case back as not its matter; it counts for the
    center again until it is handed to the next unit (``p.department`` names the unit that
    gave it back)."""
    fact = await _case(session, service, kind, p)
    fact.department = center(service)
    await session.flush()


async def case_excluded(
    session: AsyncSession, service: str, kind: str, p: CaseCommon, why: str
) -> None:
    """并单 / 转办: the case is no unit's 受理 (a duplicate of one counted already; a complaint
    the complaints center counts as its own case)."""
    fact = await _case(session, service, kind, p)
    fact.excluded = why
    await session.flush()


async def case_reopened(
    session: AsyncSession, service: str, kind: str, p: CaseReopened, at: datetime
) -> None:
    """The case is handled again (a 12345 ticket after a dissatisfied 回访): it is no longer
    closed, so the redo's stages escalate into the ledger; its next ``closed`` closes it
    again. A reopen older than the recorded closure (a late delivery) changes nothing."""
    fact = await _case(session, service, kind, p)
    if fact.closed_at is not None and fact.closed_at <= at:
        fact.closed_at = fact.closed_month = fact.outcome = None
    await session.flush()


async def _close_ledger(
    session: AsyncSession, condition: object, at: datetime, why: str, service: str
) -> None:
    await session.execute(
        update(LedgerEntry)
        .where(condition, LedgerEntry.service == service, LedgerEntry.closed_at.is_(None))  # type: ignore[arg-type]
        .values(closed_at=at, closed_by=why)
    )


async def _stage(session: AsyncSession, service: str, p: DeadlineEvent) -> StageFact:
    rows = await session.execute(select(StageFact).where(StageFact.stage_id == p.stage_id))
    fact = rows.scalar_one_or_none()
    if fact is None:
        fact = StageFact(stage_id=p.stage_id, service=service, case_id=p.case_id, level=0)
        session.add(fact)
    fact.case_kind, fact.case_number = p.case_kind, p.case_number
    fact.department = p.department or fact.department or p.responsible(service)
    fact.stage, fact.due_at = p.stage, p.due_at or fact.due_at
    return fact


async def deadline_event(
    session: AsyncSession, service: str, name: str, p: DeadlineEvent, at: datetime
) -> None:
    """warning / overdue / escalated / stage_completed / stage_cancelled of any service's
    deadline engine. A cancelled stage (a 退单 or 退回, a 并单, an upheld appeal) no longer
    runs: its escalation leaves the 督办 ledger; it never completed, so it has no fact."""
    if name == "stage_cancelled":
        await _close_ledger(session, LedgerEntry.stage_id == p.stage_id, at, name, service)
        return
    fact = await _stage(session, service, p)
    if name == "warning":
        fact.warned_at = fact.warned_at or at
    elif name in ESCALATING:
        fact.overdue_at = fact.overdue_at or at
        fact.level = max(fact.level or 0, p.level)
        if fact.completed_at is None and not await _ended_by_closure(session, service, p, at):
            await _raise(session, service, p, at)
    elif name == "stage_completed":
        await _stage_completed(session, service, fact, p, at)
    await session.flush()


async def _stage_completed(
    session: AsyncSession, service: str, fact: StageFact, p: DeadlineEvent, at: datetime
) -> None:
    fact.completed_at, fact.completed_month = at, month_of(at)
    on_time = p.on_time
    if on_time is None:
        on_time = fact.overdue_at is None and (fact.due_at is None or at <= fact.due_at)
    fact.on_time = on_time
    await _close_ledger(session, LedgerEntry.stage_id == p.stage_id, at, "stage_completed", service)


async def _ended_by_closure(
    session: AsyncSession, service: str, p: DeadlineEvent, at: datetime
) -> bool:
    """An escalation reached at ``at`` that the case's closure has already ended: one of a
    stage that ran until the case closed, delivered late. A level reached after the closure
    belongs to a stage still running after 办结 (回访, 回访核查): the engine escalates only
    running stages, so that one goes into the ledger."""
    closed = await session.scalar(
        select(CaseFact.closed_at).where(CaseFact.service == service, CaseFact.case_id == p.case_id)
    )
    return closed is not None and at <= closed


async def _raise(session: AsyncSession, service: str, p: DeadlineEvent, at: datetime) -> None:
    """Open the stage's ledger entry, or lift it to a higher level (催办 L2, 通报 L3)."""
    rows = await session.execute(select(LedgerEntry).where(LedgerEntry.stage_id == p.stage_id))
    entry = rows.scalar_one_or_none()
    level = max(p.level, 1)
    if entry is None:
        session.add(
            LedgerEntry(
                stage_id=p.stage_id,
                service=service,
                case_kind=p.case_kind,
                case_id=p.case_id,
                case_number=p.case_number,
                department=p.responsible(service),
                origin_client=p.origin_client,
                stage=p.stage,
                level=level,
                since=at,
                since_month=month_of(at),
                due_at=p.due_at,
                raised_at=at,
            )
        )
    elif entry.closed_at is None and level > entry.level:
        entry.level, entry.raised_at, entry.department = level, at, p.responsible(service)
