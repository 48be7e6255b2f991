"""The calendar as every process sees it: chinese-calendar plus the ``ys_calendar_years`` rows.

:func:`current_calendar` asks the database which county years are loaded (year + digest, a tiny
query) and rebuilds the in-memory calendar only when that answer changed, so a year loaded by
another replica is used at once. Office hours are process configuration (``YS_OFFICE_HOURS``).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from datetime import datetime

import orjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.cases.numbers import upsert_for
from yingshang.prepared import Prepared
from yingshang.time.calendar import HolidayYear, OfficeHours, WorkCalendar
from yingshang.time.models import CalendarYear

_office_hours = OfficeHours()
_cache: OrderedDict[tuple[object, ...], WorkCalendar] = OrderedDict()
_CACHE_SIZE = 16


_LOADED = Prepared(select(CalendarYear.year, CalendarYear.digest).order_by(CalendarYear.year))


def configure_office_hours(hours: OfficeHours) -> None:
    """Install the office hours of this process (set from settings by the sweeper component)."""
    global _office_hours
    _office_hours = hours


def office_hours() -> OfficeHours:
    return _office_hours


def digest(document: HolidayYear) -> str:
    canonical = orjson.dumps(document.document(), option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(canonical).hexdigest()


async def current_calendar(session: AsyncSession) -> WorkCalendar:
    """The calendar for this transaction: loaded county years as committed (or written here)."""
    key = (_office_hours, *await _LOADED.all(session))  # (frozen, hashable)
    cached = _cache.get(key)
    if cached is not None:
        _cache.move_to_end(key)
        return cached
    documents = await session.execute(select(CalendarYear.year, CalendarYear.document))
    files = {year: HolidayYear.model_validate(doc) for year, doc in documents}
    calendar = WorkCalendar(files, _office_hours)
    _cache[key] = calendar
    while len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return calendar


async def save_year(
    session: AsyncSession, document: HolidayYear, *, loaded_by: str, at: datetime
) -> bool:
    """Upsert a year's document; ``False`` when the same document was already stored."""
    row = await session.get(CalendarYear, document.year)
    new_digest = digest(document)
    if row is not None and row.digest == new_digest:
        return False
    values = {
        "year": document.year,
        "document": document.document(),
        "digest": new_digest,
        "loaded_at": at,
        "loaded_by": loaded_by,
    }
    stmt = upsert_for(session.get_bind().dialect)(CalendarYear).values(**values)
    stmt = stmt.on_conflict_do_update(index_elements=["year"], set_=values)
    await session.execute(stmt)
    if row is not None:
        session.expire(row)
    return True
