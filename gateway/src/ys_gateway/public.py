"""``/api/v1/public``: what pages without a login need from the gateway.

* ``/departments``: each active unit's code and name (no heads, no people), so public pages
  name departments instead of showing their codes;
* ``/halls``: the service halls and their windows by name (a rating names the window);
* ``/calendar``: the county's working-day calendar over a range — the weekdays that are days
  off (statutory holidays) and the weekend days that are working days (调休) — so a countdown
  in the browser counts working days as the services' deadlines do: the years loaded into the
  gateway (``YS_CALENDAR_FILES`` at start, ``/api/v1/admin/calendar/years`` after) over the
  chinese-calendar package over Monday–Friday, as in every service.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from yingshang.app import allow, router
from yingshang.auth import public
from yingshang.db import SessionDep
from yingshang.problems import Invalid
from yingshang.time.store import current_calendar
from yingshang.validators import PlausibleDate
from ys_gateway.directory import service
from ys_gateway.directory.schemas import HallOut
from ys_gateway.models import Department

api = router("/api/v1/public", tags=["public"])
MAX_DAYS = 800  # a little over two years: the longest countdown the console shows


class DepartmentName(BaseModel):
    code: str
    name: str
    kind: str


class CalendarRange(BaseModel):
    start: date = Field(alias="from")
    end: date = Field(alias="to")
    days_off: list[date] = Field(description="Monday–Friday dates that are not working days")
    working_weekends: list[date] = Field(description="Saturdays and Sundays that are working days")
    provisional_years: list[int] = Field(
        description="years without holiday data: Monday–Friday assumed until they are loaded"
    )

    model_config = ConfigDict(populate_by_name=True)


@api.get(
    "/departments",
    response_model=list[DepartmentName],
    summary="Names of the active departments, towns and coordinating bodies (public)",
    dependencies=[allow(public())],
)
async def department_names(session: SessionDep) -> list[DepartmentName]:
    rows = await session.execute(
        select(Department.code, Department.name, Department.kind)
        .where(Department.active.is_(True))
        .order_by(Department.code)
    )
    return [DepartmentName(code=code, name=name, kind=kind) for code, name, kind in rows]


@api.get(
    "/halls",
    response_model=list[HallOut],
    summary="Service halls and their windows, by name (public)",
    dependencies=[allow(public())],
)
async def hall_names(session: SessionDep) -> list[HallOut]:
    return await service.list_halls(session)


@api.get(
    "/calendar",
    response_model=CalendarRange,
    response_model_by_alias=True,
    summary="Working-day calendar: days off on weekdays and working weekends in a range (public)",
    responses={422: {"description": "a range that ends before it starts, or too long"}},
    dependencies=[allow(public())],
)
async def calendar(
    session: SessionDep,
    start: Annotated[PlausibleDate, Query(alias="from")],
    end: Annotated[PlausibleDate, Query(alias="to")],
) -> CalendarRange:
    if end < start or (end - start).days > MAX_DAYS:
        raise Invalid(f"起止日期（from..to）须先后有序，且最多相隔 {MAX_DAYS} 天", field="to")
    cal = await current_calendar(session)
    days_off: list[date] = []
    working_weekends: list[date] = []
    day = start
    while day <= end:
        working, weekday = cal.is_working_day(day), day.weekday() < 5
        if weekday and not working:
            days_off.append(day)
        elif working and not weekday:
            working_weekends.append(day)
        day += timedelta(days=1)
    years = range(start.year, end.year + 1)
    return CalendarRange(
        start=start,
        end=end,
        days_off=days_off,
        working_weekends=working_weekends,
        provisional_years=[y for y in years if not cal.has_data(y)],
    )
