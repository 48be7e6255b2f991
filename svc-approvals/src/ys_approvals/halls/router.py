"""Halls and windows: public read; the hall's head arranges windows, items, schedules and
the windows' pads (评价器), whose bindings only the hall's staff read."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang import audit
from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal, Principal, public, staff, staff_or_client
from yingshang.clock import today
from yingshang.db import SessionDep
from yingshang.validators import PlausibleDate
from ys_approvals.appointments.schemas import Slot
from ys_approvals.appointments.service import slots
from ys_approvals.duty.schemas import DutyOut
from ys_approvals.duty.service import sittings
from ys_approvals.halls import pad, service
from ys_approvals.halls.models import Hall, Window
from ys_approvals.halls.schemas import (
    HallOut,
    PadInvitationOut,
    ScheduleIn,
    ScheduleRow,
    WindowClerksIn,
    WindowItemsIn,
    WindowOut,
    WindowPadIn,
    WindowPadOut,
)

api = router("/api/v1/approvals/halls", tags=["halls"])
MANAGERS = staff("head", "admin")
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "no such hall or window"}}


@api.get(
    "",
    response_model=list[HallOut],
    summary="The county hall and the town halls",
    dependencies=[allow(public())],
)
async def list_halls(session: SessionDep) -> list[HallOut]:
    return [await service.hall_out(session, h) for h in await service.list_halls(session)]


@api.get(
    "/{code}",
    response_model=HallOut,
    summary="One hall with its windows",
    dependencies=[allow(public())],
    responses=NOT_FOUND,
)
async def read_hall(code: str, session: SessionDep) -> HallOut:
    return await service.hall_out(session, await service.get_hall(session, code))


@api.get(
    "/{code}/duty",
    response_model=list[DutyOut],
    summary="Who sits in the hall on a day (坐班; default today)",
    dependencies=[allow(public())],
    responses=NOT_FOUND,
)
async def duty(code: str, session: SessionDep, day: PlausibleDate | None = None) -> list[DutyOut]:
    hall = await service.get_hall(session, code)
    return await sittings(session, hall, day or today())


@api.put(
    "/{code}/windows/{window}/items",
    response_model=WindowOut,
    summary="Which items a window takes (comprehensive windows take any)",
    dependencies=[allow(MANAGERS)],
    responses=NOT_FOUND,
)
async def set_items(
    code: str, window: str, body: WindowItemsIn, session: SessionDep, principal: CurrentPrincipal
) -> WindowOut:
    _, row = await _managed_window(session, principal, code, window)
    await service.set_window_items(session, row, body.item_codes, body.accepts_all)
    codes = await service.window_item_codes(session, [row.id])
    return WindowOut.model_validate(row).model_copy(update={"item_codes": codes.get(row.id, [])})


@api.put(
    "/{code}/windows/{window}/clerks",
    response_model=WindowOut,
    summary="The clerks (工号) seated at a window",
    dependencies=[allow(MANAGERS)],
    responses=NOT_FOUND,
)
async def set_clerks(
    code: str, window: str, body: WindowClerksIn, session: SessionDep, principal: CurrentPrincipal
) -> WindowOut:
    _, row = await _managed_window(session, principal, code, window)
    before, row.clerks = row.clerks, sorted(set(body.staff_nos))
    await session.flush()
    # who sits at a window also reads its pad's rating invitations: kept in the audit log
    await _audited(session, principal, "hall.window.clerks", code, window, before, row.clerks)
    return WindowOut.model_validate(row)


@api.put(
    "/{code}/windows/{window}/pad",
    response_model=WindowPadOut,
    summary="The client the window's pad (评价器) signs in as (scope approvals:pad)",
    dependencies=[allow(MANAGERS)],
    responses=NOT_FOUND,
)
async def set_pad(
    code: str, window: str, body: WindowPadIn, session: SessionDep, principal: CurrentPrincipal
) -> WindowPadOut:
    hall, row = await _managed_window(session, principal, code, window)
    before = row.pad_client
    pad.bind(row, body.client_id)
    await session.flush()
    await _audited(session, principal, "hall.window.pad", code, window, before, row.pad_client)
    return pad.binding(hall, row)


async def _audited(
    session: AsyncSession, who: Principal, action: str, hall: str, window: str,
    before: object, after: object,
) -> None:  # fmt: skip
    if before != after:
        detail = {"hall": hall, "window": window, "from": before, "to": after}
        await audit.record(session, actor=who, action=action, object_kind="window",
                           object_id=f"{hall}/{window}", detail=detail)  # fmt: skip


@api.get(
    "/{code}/pads",
    response_model=list[WindowPadOut],
    summary="Each window's pad (评价器) client and when it was bound, for the hall's staff",
    dependencies=[allow(staff())],
    responses={
        403: {"description": "not the hall's staff nor a county administrator"},
        404: {"description": "no such hall"},
    },
)
async def read_pads(
    code: str, session: SessionDep, principal: CurrentPrincipal
) -> list[WindowPadOut]:
    """Every window of the hall, its pad's client id (null: none) and since when: what an
    unbind would remove. Client ids only, never a secret."""
    hall = await service.get_hall(session, code)
    pad.check_binding_reader(principal, hall)
    return [pad.binding(hall, w) for w in await service.windows_of(session, hall)]


@api.get(
    "/{code}/windows/mine",
    response_model=list[str],
    summary="The codes of the hall's open windows the signed-in clerk is seated at (工号)",
    dependencies=[allow(staff())],
    responses=NOT_FOUND,
)
async def my_windows(code: str, session: SessionDep, principal: CurrentPrincipal) -> list[str]:
    """Where the user sits (``PUT …/windows/{w}/clerks``), for the intake form to start from:
    their own seating only, empty when they sit at none (staff and heads may take in at any
    window but are not seated by it)."""
    hall = await service.get_hall(session, code)
    seated = principal.staff_no
    return [
        w.code
        for w in await service.windows_of(session, hall)
        if w.active and seated is not None and seated in w.clerks
    ]


@api.get(
    "/{code}/windows/{window}/rating-invitation",
    response_model=PadInvitationOut,
    summary="The window's open 好差评 link, for its pad (评价器) or the clerk seated there",
    dependencies=[allow(staff_or_client(pad.PAD_SCOPE))],
    responses={
        403: {"description": "neither the window's pad nor a clerk seated at it"},
        404: {"description": "no such window, or no open invitation at it now"},
    },
)
async def rating_invitation(
    code: str,
    window: str,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> PadInvitationOut:
    """The invitation of the application last served at the window, while it is not rated,
    not expired, reached there a short while ago (``YS_PAD_OFFER_MINUTES``) and the window has
    taken in no application since: an older one never comes back once a newer one exists. The
    link rates once for whoever holds it: no cache keeps it."""
    response.headers["Cache-Control"] = "no-store"
    row = await service.get_window(session, code, window)
    hall = await session.get(Hall, row.hall_id)
    assert hall is not None
    pad.check_pad(principal, hall, row)
    offer_for = timedelta(minutes=request.app.state.settings.pad_offer_minutes)
    invitation = await pad.open_invitation(session, row, hall, offer_for=offer_for)
    return PadInvitationOut.model_validate(invitation)


@api.get(
    "/{code}/windows/{window}/schedule",
    response_model=list[ScheduleRow],
    summary="Opening hours (七天工作制, 延时服务)",
    dependencies=[allow(public())],
    responses=NOT_FOUND,
)
async def read_schedule(code: str, window: str, session: SessionDep) -> list[ScheduleRow]:
    row = await service.get_window(session, code, window)
    return [ScheduleRow.model_validate(s) for s in await service.schedule_of(session, row)]


@api.put(
    "/{code}/windows/{window}/schedule",
    response_model=list[ScheduleRow],
    summary="Replace a window's schedule",
    dependencies=[allow(MANAGERS)],
    responses=NOT_FOUND,
)
async def set_schedule(
    code: str, window: str, body: ScheduleIn, session: SessionDep, principal: CurrentPrincipal
) -> list[ScheduleRow]:
    _, row = await _managed_window(session, principal, code, window)
    rows = await service.set_schedule(session, row, body.rows)
    return [ScheduleRow.model_validate(s) for s in rows]


@api.get(
    "/{code}/windows/{window}/slots",
    response_model=list[Slot],
    summary="Appointment slots of a day with what is left",
    dependencies=[allow(public())],
    responses=NOT_FOUND,
)
async def read_slots(
    code: str, window: str, session: SessionDep, day: PlausibleDate = Query()
) -> list[Slot]:
    return await slots(session, await service.get_window(session, code, window), day)


async def _managed_window(
    session: SessionDep, principal: CurrentPrincipal, code: str, window: str
) -> tuple[Hall, Window]:
    """The window (404 if none) and its hall, which ``principal`` must manage (403)."""
    row = await service.get_window(session, code, window)
    hall = await session.get(Hall, row.hall_id)
    assert hall is not None
    service.check_hall_manager(principal, hall)
    return hall, row
