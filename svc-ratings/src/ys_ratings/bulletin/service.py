"""Monthly bulletin: live from rating rows for an open month, the snapshot once closed."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, case, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.clock import now
from yingshang.problems import Conflict
from ys_ratings.bulletin.figures import SCOPE_COLUMNS, RectificationCounts, Tables, Tally
from ys_ratings.bulletin.models import BulletinRow, ClosedMonth
from ys_ratings.directory.service import Labels, labels
from ys_ratings.months import month_has_ended, previous_month
from ys_ratings.ratings.models import Rating
from ys_ratings.rectifications.models import Rectification

COUNTY_KEY = "*"


@dataclass
class Bulletin:
    month: str
    tables: Tables
    closed: ClosedMonth | None
    computed_at: datetime
    labels: Labels


async def _add_ratings(session: AsyncSession, month: str, tables: Tables) -> None:
    # One scan of the covering index (month, excluded, assessed_department, window, staff_no,
    # level): the groups come out in index order, so there is neither a sort nor a table
    # lookup. A rating counts for one unit only (``ratings.attribution``).
    r = Rating
    rows = await session.execute(
        select(r.assessed_department, r.window, r.staff_no, r.level, func.count())
        .where(r.month == month, r.excluded == false())
        .group_by(r.assessed_department, r.window, r.staff_no, r.level)
    )
    for department, window, staff_no, level, n in rows:
        tables.add_levels((department, window, staff_no), level, n)


def _counted(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


async def _add_rectifications(session: AsyncSession, month: str, tables: Tables) -> None:
    """按期整改 and 回访率 judge only what is due: a rectification completed (or ended, or
    timed afresh after a failed spot check: ``on_time`` set) or past its 整改 deadline; for
    the 回访率, one already called back too. A fresh 差评 is neither a failure nor a success."""
    r = Rectification
    due = or_(
        r.on_time.is_not(None), r.closed_at.is_not(None), r.overdue.is_(True), r.due_at <= now()
    )
    called = r.called_back_at.is_not(None)
    rows = await session.execute(
        select(
            r.assessed_department,
            r.window,
            r.staff_no,
            func.count(),
            _counted(due),
            _counted(or_(due, called)),
            _counted(r.on_time.is_(True)),
            _counted(called),
        )
        .where(r.month == month, r.excluded == false())
        .group_by(r.assessed_department, r.window, r.staff_no)
    )
    for department, window, staff_no, *counts in rows:
        tables.add_rectifications((department, window, staff_no), RectificationCounts(*counts))


async def live_tables(session: AsyncSession, month: str) -> Tables:
    tables = Tables()
    await _add_ratings(session, month, tables)
    await _add_rectifications(session, month, tables)
    tables.rank()
    return tables


async def snapshot(session: AsyncSession, month: str) -> tuple[Tables, Labels]:
    tables = Tables()
    names: Labels = {scope: {} for scope in SCOPE_COLUMNS}
    rows = await session.execute(select(BulletinRow).where(BulletinRow.month == month))
    for row in rows.scalars():
        tally = Tally(**{f: getattr(row, f) for f in Tally.__dataclass_fields__})
        if row.scope == "county":
            tables.total = tally
            continue
        tables.scopes[row.scope][row.key] = tally
        if row.label:
            names[row.scope][row.key] = row.label
    return tables, names


async def _tables(session: AsyncSession, month: str) -> Tables:
    """Flags need last month's ranks: its snapshot if closed, else computed live."""
    if await session.get(ClosedMonth, month) is not None:
        return (await snapshot(session, month))[0]
    return await live_tables(session, month)


async def bulletin(session: AsyncSession, month: str) -> Bulletin:
    closed = await session.get(ClosedMonth, month)
    if closed is not None:
        tables, names = await snapshot(session, month)
        return Bulletin(month, tables, closed, closed.closed_at, names)
    tables = await live_tables(session, month)
    tables.flag(await _tables(session, previous_month(month)))
    return Bulletin(month, tables, None, now(), await labels(session))


async def close_month(session: AsyncSession, month: str, actor: Principal) -> Bulletin:
    """Store the month's snapshot; later events (late ratings, appeals) never change it."""
    if await session.get(ClosedMonth, month) is not None:
        raise Conflict(f"{month} 已结账", code="month-closed")
    if not month_has_ended(month, now()):
        raise Conflict(f"{month} 尚未结束", code="month-open")
    report = await bulletin(session, month)
    closed = ClosedMonth(
        month=month,
        closed_at=now(),
        closed_by=actor.sub,
        closed_by_name=actor.name or None,
        ratings=report.tables.total.count,
    )
    session.add(closed)
    session.add(_row(month, "county", COUNTY_KEY, report.tables.total, None))
    for scope, lines in report.tables.scopes.items():
        names = report.labels.get(scope, {})
        session.add_all(
            _row(month, scope, key, tally, names.get(key)) for key, tally in lines.items()
        )
    await session.flush()
    return Bulletin(month, report.tables, closed, closed.closed_at, report.labels)


def _row(month: str, scope: str, key: str, tally: Tally, label: str | None) -> BulletinRow:
    return BulletinRow(month=month, scope=scope, key=key, label=label, **asdict(tally))


async def is_closed(session: AsyncSession, month: str) -> bool:
    return await session.get(ClosedMonth, month) is not None
