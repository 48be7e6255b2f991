"""Halls, windows and which window takes which item (进一扇门，办所有事)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal, county_admin
from yingshang.problems import Forbidden, Invalid, NotFound
from ys_approvals.catalog.models import ServiceItem
from ys_approvals.halls.models import Hall, Window, WindowItem, WindowSchedule
from ys_approvals.halls.schemas import HallOut, ScheduleRow, WindowOut


async def get_hall(session: AsyncSession, code: str) -> Hall:
    hall = (await session.execute(select(Hall).where(Hall.code == code))).scalar_one_or_none()
    if hall is None:
        raise NotFound(f"没有大厅 {code}")
    return hall


async def get_window(session: AsyncSession, hall_code: str, window_code: str) -> Window:
    hall = await get_hall(session, hall_code)
    row = await session.execute(
        select(Window).where(Window.hall_id == hall.id, Window.code == window_code)
    )
    window = row.scalar_one_or_none()
    if window is None:
        raise NotFound(f"大厅 {hall_code} 没有窗口 {window_code}")
    return window


def check_hall_manager(principal: Principal, hall: Hall) -> None:
    """The head or admin of the hall's department (HALL, or the town) arranges its windows;
    so do the county's administrators (BUREAU/admin). Another unit's admin does not."""
    if not (county_admin().allows(principal) or principal.has(("head", "admin"), hall.department)):
        raise Forbidden("只有本大厅的负责人或管理员、或县级系统管理员可以调整窗口")


async def window_item_codes(
    session: AsyncSession, window_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[str]]:
    rows = await session.execute(
        select(WindowItem.window_id, ServiceItem.code)
        .join(ServiceItem, ServiceItem.id == WindowItem.item_id)
        .where(WindowItem.window_id.in_(window_ids))
        .order_by(ServiceItem.code)
    )
    out: dict[uuid.UUID, list[str]] = {}
    for window_id, code in rows:
        out.setdefault(window_id, []).append(code)
    return out


async def windows_of(session: AsyncSession, hall: Hall) -> list[Window]:
    rows = await session.execute(
        select(Window).where(Window.hall_id == hall.id).order_by(Window.code)
    )
    return list(rows.scalars())


async def hall_out(session: AsyncSession, hall: Hall) -> HallOut:
    windows = await windows_of(session, hall)
    codes = await window_item_codes(session, [w.id for w in windows])
    out = HallOut.model_validate(hall)
    out.windows = [
        WindowOut.model_validate(w).model_copy(update={"item_codes": codes.get(w.id, [])})
        for w in windows
    ]
    return out


async def list_halls(session: AsyncSession) -> list[Hall]:
    rows = await session.execute(select(Hall).where(Hall.active.is_(True)).order_by(Hall.code))
    return list(rows.scalars())


async def seat_of(
    session: AsyncSession,
    front_office: str,
    staff_no: str | None,
    *,
    prefer: tuple[str, str] | None = None,
) -> tuple[str, str] | None:
    """(hall, window) where the clerk ``staff_no`` is seated (``PUT …/windows/{w}/clerks``)
    among the open windows of the halls ``front_office`` runs; seated at several, ``prefer``
    if it is one of them (the window that took the application in). None when they sit at
    none, or where cannot be told."""
    if staff_no is None:
        return None
    rows = await session.execute(
        select(Hall.code, Window.code, Window.clerks)
        .join(Window, Window.hall_id == Hall.id)
        .where(Hall.department == front_office, Hall.active.is_(True), Window.active.is_(True))
    )
    seats = [(hall, window) for hall, window, clerks in rows if staff_no in (clerks or [])]
    if len(seats) == 1:
        return seats[0]
    return prefer if prefer in seats else None


async def window_takes(session: AsyncSession, window: Window, item_id: uuid.UUID) -> bool:
    if window.accepts_all:
        return True
    row = await session.get(WindowItem, (window.id, item_id))
    return row is not None


async def set_window_items(
    session: AsyncSession, window: Window, codes: Sequence[str], accepts_all: bool
) -> None:
    rows = await session.execute(select(ServiceItem).where(ServiceItem.code.in_(codes)))
    items = list(rows.scalars())
    unknown = sorted(set(codes) - {i.code for i in items})
    if unknown:
        raise Invalid(f"事项目录中没有这些事项：{'、'.join(unknown)}", field="item_codes")
    await session.execute(delete(WindowItem).where(WindowItem.window_id == window.id))
    session.add_all(WindowItem(window_id=window.id, item_id=i.id) for i in items)
    window.accepts_all = accepts_all
    await session.flush()


async def set_schedule(
    session: AsyncSession, window: Window, rows: Sequence[ScheduleRow]
) -> list[WindowSchedule]:
    await session.execute(delete(WindowSchedule).where(WindowSchedule.window_id == window.id))
    schedule = [WindowSchedule(window_id=window.id, **r.model_dump()) for r in rows]
    session.add_all(schedule)
    await session.flush()
    return schedule


async def schedule_of(session: AsyncSession, window: Window) -> list[WindowSchedule]:
    rows = await session.execute(
        select(WindowSchedule)
        .where(WindowSchedule.window_id == window.id)
        .order_by(WindowSchedule.weekday, WindowSchedule.start)
    )
    return list(rows.scalars())
