"""A problem's time limits on the foundation's deadline engine (policies as rows).

The sign-for (签收), contact (联系), proposal, resolution and monthly-progress clocks are the
handling department's (L1 of the escalation ladder goes to its head); obtaining the enterprise's
confirmation is the center's, and confirming a task without an enterprise (a joint meeting's)
the bureau's. A task without an enterprise has no contact clock: there is no one to contact.
A resolution date set by the assigner overrides the policy's default amount.
"""

from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import BUREAU
from yingshang.clock import today
from yingshang.time import deadlines
from yingshang.time.arithmetic import Unit
from yingshang.time.models import DeadlineStage
from ys_visits.access import CENTER
from ys_visits.clocks import SERVICE, earliest_due
from ys_visits.problems.machine import ENTERPRISE_STAGES, Clocks
from ys_visits.problems.models import KIND, Problem
from ys_visits.problems.vocabulary import PROCESS_ORDER, Stage

Actor = deadlines.Actor


def _unit(problem: Problem, stage: Stage) -> str:
    """Whose clock ``stage`` is (L1 of the ladder goes to that unit's head)."""
    if stage is Stage.CONFIRMATION:
        return CENTER if problem.enterprise_id else BUREAU
    return problem.department or CENTER


async def start(
    session: AsyncSession, problem: Problem, stage: Stage, actor: Actor
) -> DeadlineStage:
    amount, unit = None, None
    if stage is Stage.RESOLUTION and problem.resolution_due_on and not problem.dispute_count:
        # Natural days count from the day after today and end at 24:00 of the due date.
        amount, unit = max((problem.resolution_due_on - today()).days, 1), Unit.NATURAL_DAYS
    return await deadlines.start_stage(
        session,
        service=SERVICE,
        case_kind=KIND,
        case_id=problem.id,
        case_number=problem.number,
        department=_unit(problem, stage),
        origin_client=problem.origin_client,
        stage=stage.value,
        actor=actor,
        amount=amount,
        unit=unit,
    )


async def _open(session: AsyncSession, problem: Problem, stage: Stage) -> DeadlineStage | None:
    return await deadlines.open_stage(session, KIND, problem.id, stage.value)


async def apply(session: AsyncSession, problem: Problem, clocks: Clocks, actor: Actor) -> None:
    """Complete, cancel, then start the stages a step names; then refresh ``due_at``."""
    for stage in clocks.completes:
        row = await _open(session, problem, stage)
        if row is not None:
            await deadlines.complete_stage(session, row, actor=actor)
    for stage in clocks.cancels:
        row = await _open(session, problem, stage)
        if row is not None:
            await deadlines.cancel(session, row, actor=actor)
    for stage in clocks.starts:
        if problem.enterprise_id is not None or stage not in ENTERPRISE_STAGES:
            await start(session, problem, stage, actor)
    await refresh_due(session, problem)


async def of(session: AsyncSession, problem: Problem) -> list[DeadlineStage]:
    return await deadlines.stages_of(session, KIND, problem.id)


def in_process_order(rows: list[DeadlineStage]) -> list[DeadlineStage]:
    """A problem's stages in the order of the process (``PROCESS_ORDER``); the clocks of one
    stage (月度进展 each month, a reopened 解决) oldest first."""
    rank = {stage.value: n for n, stage in enumerate(PROCESS_ORDER)}
    return sorted(rows, key=lambda row: (rank.get(row.stage, len(rank)), row.started_at))


async def refresh_due(session: AsyncSession, problem: Problem) -> None:
    """``due_at`` = the earliest due time of the running clocks (lists, overdue filter)."""
    problem.due_at = earliest_due(await of(session, problem))


async def due_of(session: AsyncSession, problem: Problem, stage: Stage) -> DeadlineStage | None:
    return await _open(session, problem, stage)
