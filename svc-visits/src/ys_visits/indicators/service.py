"""Indicators (指标长): kept by the bureau with every version, read by any staff with their
latest score and the tasks (交办单) linked to them.

Who writes: the bureau edits an indicator and corrects a recorded score; a score is recorded
by the bureau, the lead unit's head (一把手) or the owner — those who receive the evaluation's
result — so a unit never rewrites its own score once it is on record.
"""

import uuid
from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.cases.etag import check_if_match, flush_versioned
from yingshang.clock import now
from yingshang.events.outbox import enqueue
from yingshang.problems import Conflict, Invalid, NotFound
from ys_visits import access, events
from ys_visits.directory.service import require_department, require_staff
from ys_visits.indicators import periods
from ys_visits.indicators.models import INDICATOR, KIND, Indicator, IndicatorRevision
from ys_visits.indicators.models import IndicatorScore as Score
from ys_visits.indicators.schemas import (
    IndicatorDetail,
    IndicatorEdit,
    IndicatorIn,
    IndicatorOut,
    ScoreOut,
    TaskCounts,
)
from ys_visits.problems.models import Problem
from ys_visits.problems.vocabulary import State

CENT = Decimal("0.01")


def hundredths(value: Decimal) -> int:
    return int(value * 100)  # two decimal places at most (validated): exact


def from_hundredths(value: int) -> Decimal:
    return (Decimal(value) / 100).quantize(CENT)


def may_record(who: Principal, indicator: Indicator) -> bool:
    """Records a period's score: the bureau, the lead unit's head, the owner (by 工号)."""
    return (
        access.steers(who)
        or (not who.is_client and who.has("head", indicator.lead_department))
        or access.is_leader(who, indicator.owner_staff_no)
    )


def actions(who: Principal, indicator: Indicator) -> list[str]:
    """What ``who`` may do: edit and correct a score (the bureau), record a score."""
    bureau = access.steers(who)
    allowed = (("edit", bureau), ("score", may_record(who, indicator)), ("correct", bureau))
    return [name for name, yes in allowed if yes]


async def _by_code(session: AsyncSession, code: str) -> Indicator | None:
    return (await session.execute(select(Indicator).where(Indicator.code == code))).scalar()


async def get(session: AsyncSession, code: str) -> Indicator:
    row = await _by_code(session, code)
    if row is None:
        raise NotFound("没有这个指标", code="indicator-not-found")
    return row


async def require_active(session: AsyncSession, code: str, *, field: str) -> Indicator:
    """The active indicator ``code`` a task or a meeting names, or a 422 naming ``field``."""
    row = await _by_code(session, code)
    if row is None or not row.active:
        raise Invalid(f"{code} 不是在用的指标", field=field)
    return row


async def _check_units(session: AsyncSession, body: IndicatorEdit) -> None:
    """Units and the owner's 工号 as the directory has them now (active), on every write."""
    await require_department(session, body.lead_department, field="lead_department")
    for i, code in enumerate(body.co_departments):
        await require_department(session, code, field=f"co_departments.{i}")
    await require_staff(session, body.owner_staff_no, field="owner_staff_no")


def _fields(body: IndicatorEdit) -> dict[str, Any]:
    fields = body.model_dump(exclude={"code", "target_value"})
    value = body.target_value
    return {**fields, "target_hundredths": None if value is None else hundredths(value)}


def revision(
    indicator_id: uuid.UUID,
    subject: str,
    version: int,
    snapshot: dict[str, Any],
    who: Principal,
    period: str | None = None,
) -> IndicatorRevision:
    return IndicatorRevision(
        indicator_id=indicator_id, subject=subject, period=period, version=version,
        snapshot=snapshot, changed_by=who.sub, changed_by_name=who.name or None, changed_at=now(),
    )  # fmt: skip


def _snapshot(row: Indicator) -> dict[str, Any]:
    target = row.target_hundredths
    return {
        "code": row.code, "name": row.name, "description": row.description,
        "lead_department": row.lead_department, "co_departments": list(row.co_departments),
        "owner_name": row.owner_name, "owner_staff_no": row.owner_staff_no,
        "owner_title": row.owner_title, "target": row.target, "target_unit": row.target_unit,
        "target_value": None if target is None else str(from_hundredths(target)),
        "active": row.active,
    }  # fmt: skip


async def _changed(session: AsyncSession, row: Indicator, who: Principal, name: str) -> None:
    """A version kept and its event (``created`` / ``updated``), in the caller's transaction."""
    session.add(revision(row.id, INDICATOR, row.version, _snapshot(row), who))
    payload = events.IndicatorChanged(
        indicator_id=str(row.id), code=row.code, name=row.name,
        lead_department=row.lead_department, owner_name=row.owner_name,
        owner_staff_no=row.owner_staff_no, active=row.active, version=row.version,
    )  # fmt: skip
    await enqueue(session, events.event(KIND, row.id, name, payload))
    await session.flush()


async def create(session: AsyncSession, body: IndicatorIn, who: Principal) -> Indicator:
    """A new indicator (its code unique: a second one is a 409)."""
    if await _by_code(session, body.code) is not None:
        raise Conflict(f"指标 {body.code} 已存在，请修改它", code="indicator-exists",
                       field="code")  # fmt: skip
    await _check_units(session, body)
    row = Indicator(code=body.code, **_fields(body))
    session.add(row)
    await session.flush()
    await _changed(session, row, who, "created")
    return row


async def edit(
    session: AsyncSession, code: str, body: IndicatorEdit, if_match: str | None, who: Principal
) -> Indicator:
    """Replace what the bureau keeps (If-Match: 428 missing, 412 stale); an edit that changes
    nothing keeps the version as it is."""
    row = await get(session, code)
    not_own(row, who)
    check_if_match(if_match, row, KIND)
    await _check_units(session, body)
    for name, value in _fields(body).items():
        setattr(row, name, value)
    if session.is_modified(row):
        await flush_versioned(session)
        await _changed(session, row, who, "updated")
    return row


def not_own(indicator: Indicator, who: Principal) -> None:
    """The bureau keeps an indicator and corrects its scores, never a person of its lead unit
    whatever bureau post they also hold (交叉挂职): no unit rewrites what it answers for."""
    what = f"牵头单位（{indicator.lead_department}）不能修改本单位负责的指标"
    access.refuse_own_unit(who, indicator.lead_department, what, "own-indicator")


def score_view(row: Score) -> ScoreOut:
    return ScoreOut(
        id=row.id, period=row.period, score=from_hundredths(row.score_hundredths),
        rank=row.rank, rank_of=row.rank_of, note=row.note,
        recorded_by_name=row.recorded_by_name, recorded_at=row.recorded_at, version=row.version,
    )  # fmt: skip


async def task_counts(session: AsyncSession, codes: list[str]) -> dict[str, TaskCounts]:
    """Open, closed and overdue 交办单 per indicator, in one grouped query."""
    if not codes:
        return {}
    closed = Problem.state == State.CLOSED.value
    late = ~closed & (Problem.due_at <= now())
    rows = await session.execute(
        select(
            Problem.indicator_code,
            func.sum(case((closed, 0), else_=1)),
            func.sum(case((closed, 1), else_=0)),
            func.sum(case((late, 1), else_=0)),
        )
        .where(Problem.indicator_code.in_(codes))
        .group_by(Problem.indicator_code)
    )
    return {
        str(code): TaskCounts(open=int(o), closed=int(c), overdue=int(late_))
        for code, o, c, late_ in rows
    }


async def _scores(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Score]]:
    """Every score of the indicators, the latest period first, in one query."""
    found: dict[uuid.UUID, list[Score]] = defaultdict(list)
    if ids:
        rows = await session.execute(select(Score).where(Score.indicator_id.in_(ids)))
        for row in rows.scalars():
            found[row.indicator_id].append(row)
    for scores in found.values():
        scores.sort(key=lambda s: periods.sort_key(s.period), reverse=True)
    return found


def _view(row: Indicator, scores: list[Score], tasks: TaskCounts) -> dict[str, Any]:
    target = row.target_hundredths
    return {
        **{name: getattr(row, name) for name in _COPIED},
        "target_value": None if target is None else from_hundredths(target),
        "latest_score": score_view(scores[0]) if scores else None,
        "tasks": tasks,
    }


_COPIED = (
    "id", "code", "name", "description", "lead_department", "co_departments", "owner_name",
    "owner_staff_no", "owner_title", "target", "target_unit", "active", "updated_at", "version",
)  # fmt: skip


async def views(session: AsyncSession, rows: list[Indicator]) -> list[IndicatorOut]:
    """Views of many indicators in three queries whatever their number."""
    scores = await _scores(session, [r.id for r in rows])
    counts = await task_counts(session, [r.code for r in rows])
    return [IndicatorOut(**_view(r, scores[r.id], counts.get(r.code, TaskCounts()))) for r in rows]


async def detail(session: AsyncSession, row: Indicator, who: Principal) -> IndicatorDetail:
    scores = (await _scores(session, [row.id]))[row.id]
    counts = (await task_counts(session, [row.code])).get(row.code, TaskCounts())
    return IndicatorDetail(
        **_view(row, scores, counts),
        scores=[score_view(s) for s in scores],
        actions=actions(who, row),
    )


def list_query(
    *, lead_department: str | None, owner_staff_no: str | None, active: bool | None
) -> Select[Indicator]:
    """In the order they were added (the seed follows the national evaluation's order)."""
    stmt = select(Indicator).order_by(Indicator.created_at, Indicator.id)
    for column, value in (
        (Indicator.lead_department, lead_department),
        (Indicator.owner_staff_no, owner_staff_no),
        (Indicator.active, active),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    return stmt


async def revisions(session: AsyncSession, row: Indicator) -> list[IndicatorRevision]:
    rows = await session.execute(
        select(IndicatorRevision)
        .where(IndicatorRevision.indicator_id == row.id)
        .order_by(IndicatorRevision.changed_at, IndicatorRevision.id)
    )
    return list(rows.scalars())
