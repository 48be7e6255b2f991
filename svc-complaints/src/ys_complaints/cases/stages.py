"""A case's time limits on the foundation's deadline engine (policies as rows).

The acceptance decision, the result to the enterprise and the check-back are the handling
center's clocks (``access.handling_center``: the center, or the bureau on a case against the
center itself, so warnings and escalation L1 go to the bureau's heads); the reply and the 督办
after a dispute are the responsible unit's (escalation L1 goes to that unit's head). A dispute
opens 督办 at once: the ``escalated`` event (level 2, the bureau) is emitted when the
supervision stage starts, so the bureau's 督办 ledger opens an entry that closes with the
stage (DOMAIN.md: "dissatisfied → 回访 + 督办 (L2)").

A stage keeps the department it started with. The only one running when the respondent can
change (受理 names or changes it) is the acceptance decision itself, which that step
completes: when a case turns out at 受理 to be against the center, the center held and took
that decision (its lateness stays the center's), and the bureau's clocks start from there.
"""

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.cases import timeline
from yingshang.clock import now
from yingshang.time import deadlines, require_policy
from yingshang.time.models import DeadlineStage
from ys_complaints.access import handling_center
from ys_complaints.cases.machine import CHECKBACK_WAIT, SERVICE, Clocks, Stage
from ys_complaints.cases.models import CASE_KIND, ComplaintCase

Actor = deadlines.Actor
UNIT_STAGES = frozenset({Stage.REPLY, Stage.SUPERVISION})
SUPERVISION_LEVEL = 2  # 督办 by the bureau (ladder level 2)


async def start(
    session: AsyncSession,
    case: ComplaintCase,
    stage: Stage,
    actor: Actor,
    *,
    at: datetime | None = None,
) -> DeadlineStage:
    return await deadlines.start_stage(
        session,
        service=SERVICE,
        case_kind=CASE_KIND,
        case_id=case.id,
        case_number=case.number,
        department=case.department if stage in UNIT_STAGES else handling_center(case),
        origin_client=case.origin_client,
        stage=stage.value,
        actor=actor,
        at=at,
    )


async def _open(session: AsyncSession, case: ComplaintCase, stage: Stage) -> DeadlineStage | None:
    return await deadlines.open_stage(session, CASE_KIND, case.id, stage.value)


async def apply(session: AsyncSession, case: ComplaintCase, clocks: Clocks, actor: Actor) -> None:
    """Complete, cancel and start the stages a step names; then refresh ``case.due_at``."""
    for stage in clocks.completes:
        row = await _open(session, case, stage)
        if row is not None:
            await deadlines.complete_stage(session, row, actor=actor)
    for stage in clocks.cancels:
        row = await _open(session, case, stage)
        if row is not None:
            await deadlines.cancel(session, row, actor=actor)
    for stage in clocks.starts:
        await _starters.get(stage, start)(session, case, stage, actor)
    await refresh_due(session, case)


async def _start_checkback(
    session: AsyncSession, case: ComplaintCase, stage: Stage, actor: Actor
) -> DeadlineStage:
    """The check-back opens once the waiting period after closure is over (default 30
    natural days, DOMAIN.md); its own limit counts from then."""
    wait = await require_policy(session, SERVICE, CASE_KIND, CHECKBACK_WAIT)
    opens = deadlines.due_for(wait, case.closed_at or now()).at
    case.checkback_from = opens
    return await start(session, case, stage, actor, at=opens)


async def _start_supervision(
    session: AsyncSession, case: ComplaintCase, stage: Stage, actor: Actor
) -> DeadlineStage:
    """督办 opens at level 2 (the bureau) at once: the stage's emission cursor is moved past
    the ladder's levels up to 2, so the sweeper never fires L1 (the unit's head, below the
    bureau already supervising) or L2 again — only the stage's own warning and overdue at
    its times, and the levels above (L3, the committee) when it stays late."""
    row = await start(session, case, stage, actor)
    row.level_emitted = max(row.level_emitted, _levels_up_to(row.ladder, SUPERVISION_LEVEL))
    escalated = await deadlines.supervise(session, row, level=SUPERVISION_LEVEL, target="bureau")
    await timeline.append(
        session,
        case_kind=CASE_KIND,
        case_id=case.id,
        action="escalated",
        actor=actor,
        from_state=case.state,
        to_state=case.state,
        note="企业对办理结果有异议，转营商局督办（第 2 级）",
        data=escalated.data,
        event_id=escalated.id,
    )
    case.supervised = True
    return row


def _levels_up_to(ladder: list[dict[str, Any]], level: int) -> int:
    """How many leading ladder entries are at or below ``level`` (the sweeper's cursor counts
    the ladder's entries in order)."""
    done = 0
    for entry in ladder or []:
        if int(entry.get("level", 0)) > level:
            break
        done += 1
    return done


_starters = {Stage.CHECKBACK: _start_checkback, Stage.SUPERVISION: _start_supervision}


async def refresh_due(session: AsyncSession, case: ComplaintCase) -> None:
    """``due_at`` = the earliest due time of the case's running clocks (lists, overdue)."""
    rows = await deadlines.stages_of(session, CASE_KIND, case.id)
    due = [r.due_at for r in rows if r.status == "running"]
    case.due_at = min(due) if due else None


async def of(session: AsyncSession, case: ComplaintCase) -> list[DeadlineStage]:
    return await deadlines.stages_of(session, CASE_KIND, case.id)
