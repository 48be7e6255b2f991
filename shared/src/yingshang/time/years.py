"""County-loaded calendar years: load (admin API or data files), status, readiness warnings.

Loading a year stores the holiday-cn document in ``ys_calendar_years`` (every process sees it
on its next calendar lookup) and, in the same transaction, recomputes every running stage whose
due date was provisional (ARCHITECTURE.md: "loading the year's file recomputes open provisional
due dates"); a service that copies due dates onto its cases follows through its
``deadlines.on_rescheduled`` hook.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, status
from fastapi import Path as FastPath
from pydantic import BaseModel, ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal, Principal, county_admin, staff
from yingshang.clock import now
from yingshang.db import Database, SessionDep
from yingshang.idempotency import idempotent_post
from yingshang.problems import NotFound
from yingshang.time.auditing import admin_change
from yingshang.time.calendar import HolidayYear, Source, local_date
from yingshang.time.deadlines import recompute_provisional
from yingshang.time.models import RUNNING, CalendarYear, DeadlineStage
from yingshang.time.store import current_calendar, save_year

FILE_LOADER = "system:calendar-file"


class YearLoaded(BaseModel):
    year: int
    changed: bool
    off_days: int
    makeup_days: int
    recomputed: int
    loaded_at: datetime
    loaded_by: str


class YearStatus(BaseModel):
    year: int
    source: Source
    loaded_at: datetime | None = None
    loaded_by: str | None = None


async def load_year(session: AsyncSession, document: HolidayYear, *, loaded_by: str) -> YearLoaded:
    """Store a year's document and recompute open provisional stages (caller's transaction)."""
    at = now()
    changed = await save_year(session, document, loaded_by=loaded_by, at=at)
    recomputed = await recompute_provisional(session, actor=loaded_by) if changed else 0
    row = await session.get(CalendarYear, document.year)
    assert row is not None
    return YearLoaded(
        year=document.year,
        changed=changed,
        off_days=sum(1 for d in document.days if d.is_off_day),
        makeup_days=sum(1 for d in document.days if not d.is_off_day),
        recomputed=recomputed,
        loaded_at=row.loaded_at,
        loaded_by=row.loaded_by,
    )


def read_year_file(path: Path) -> HolidayYear:
    """Parse a holiday-cn file (blocking: call through a thread)."""
    return HolidayYear.model_validate(json.loads(path.read_text(encoding="utf-8")))


async def load_year_files(db: Database, paths: Sequence[Path]) -> list[str]:
    """Load each configured file (``YS_CALENDAR_FILES``); returns one problem text per bad file."""
    problems: list[str] = []
    for path in paths:
        try:
            document = await asyncio.to_thread(read_year_file, path)
        except (OSError, ValueError) as exc:
            problems.append(f"calendar file {path} not loaded: {_short(exc)}")
            continue
        async with db.write() as session:
            await load_year(session, document, loaded_by=FILE_LOADER)
    return problems


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(str(e["msg"]) for e in exc.errors()[:3])
    return str(exc)[:200]


async def years_without_data(session: AsyncSession) -> list[int]:
    """Years in use that fall back to Mon–Fri: this year (Asia/Shanghai) and the years of
    running stages whose due date is provisional."""
    cal = await current_calendar(session)
    years = {local_date(now()).year}
    span = select(func.min(DeadlineStage.due_at), func.max(DeadlineStage.due_at)).where(
        DeadlineStage.provisional.is_(True), DeadlineStage.status == RUNNING
    )
    first, last = (await session.execute(span)).one()
    if first is not None and last is not None:
        years.update(range(local_date(first).year, local_date(last).year + 1))
    return sorted(y for y in years if not cal.has_data(y))


def missing_years_warning(years: Sequence[int]) -> str:
    listed = ", ".join(str(y) for y in years)
    return (
        f"working-day calendar: no holiday data for {listed}; Monday–Friday is assumed and due "
        "dates there are provisional until the year's holiday-cn file is loaded"
    )


def calendar_router(service: str, prefix: str | None = None) -> APIRouter:
    """``/api/v1/<service>/admin/calendar/years`` (or ``<prefix>/years``): load a year
    (BUREAU/admin), list and read (staff)."""
    api = router(prefix or f"/api/v1/{service}/admin/calendar", tags=["working-day calendar"])
    errors: dict[int | str, dict[str, Any]] = {
        401: {"description": "no token"},
        403: {"description": "not allowed"},
    }

    @idempotent_post(
        api,
        "/years",
        response_model=YearLoaded,
        status_code=status.HTTP_201_CREATED,
        summary="Load a year's holidays and make-up days (holiday-cn JSON; BUREAU/admin)",
        dependencies=[allow(county_admin())],
        responses={**errors, 422: {"description": "not a valid holiday-cn document"}},
    )
    async def post_year(
        document: Annotated[HolidayYear, Body()], session: SessionDep, principal: CurrentPrincipal
    ) -> YearLoaded:
        loaded = await load_year(session, document, loaded_by=principal.sub)
        await _audit(session, principal, loaded)
        return loaded

    @api.get(
        "/years",
        response_model=list[YearStatus],
        summary="Calendar years: loaded files and the source used for nearby years",
        dependencies=[allow(staff())],
        responses=errors,
    )
    async def list_years(session: SessionDep) -> list[YearStatus]:
        return await year_statuses(session)

    @api.get(
        "/years/{year}",
        summary="A loaded year's document",
        dependencies=[allow(staff())],
        responses={**errors, 404: {"description": "not loaded"}},
    )
    async def read_year(
        year: Annotated[int, FastPath(ge=2000, le=2200)], session: SessionDep
    ) -> dict[str, Any]:
        row = await session.get(CalendarYear, year)
        if row is None:
            raise NotFound(f"尚未载入 {year} 年的节假日安排")
        return row.document

    return api


async def year_statuses(session: AsyncSession) -> list[YearStatus]:
    cal = await current_calendar(session)
    rows = {r.year: r for r in (await session.execute(select(CalendarYear))).scalars()}
    this_year = local_date(now()).year
    years = sorted({*rows, this_year - 1, this_year, this_year + 1})
    return [
        YearStatus(
            year=y,
            source=cal.source(y),
            loaded_at=rows[y].loaded_at if y in rows else None,
            loaded_by=rows[y].loaded_by if y in rows else None,
        )
        for y in years
    ]


async def _audit(session: AsyncSession, principal: Principal, loaded: YearLoaded) -> None:
    if not loaded.changed:
        return
    detail = loaded.model_dump(mode="json", exclude={"changed", "loaded_at", "loaded_by"})
    year = str(loaded.year)
    await admin_change(session, principal, "calendar.load_year", "calendar_year", year, detail)


__all__ = ["calendar_router", "load_year", "load_year_files", "years_without_data"]
