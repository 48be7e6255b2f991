"""Reading applications: lookup with object-level checks, lists, and the response view."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.cases.pagination import SortKey
from yingshang.clock import now
from yingshang.db import UTCDateTime
from yingshang.problems import NotFound
from ys_approvals import access
from ys_approvals.applications import flow
from ys_approvals.applications.machine import CLOSED, PAUSED
from ys_approvals.applications.models import Application, ApplicationPart, PausedPeriod
from ys_approvals.applications.schemas import ApplicationOut, PartOut, PauseOut
from ys_approvals.people import masked


async def parts_of(session: AsyncSession, app: Application) -> list[ApplicationPart]:
    rows = await session.execute(
        select(ApplicationPart)
        .where(ApplicationPart.application_id == app.id)
        .order_by(ApplicationPart.item_code)
    )
    parts = list(rows.scalars())
    # The rules of the state machine read the deciding departments from the case.
    app._departments = {p.department for p in parts} | {app.department}  # type: ignore[attr-defined]
    return parts


async def views(
    session: AsyncSession, apps: list[Application], principal: Principal
) -> list[ApplicationOut]:
    """A page of applications, masked, with their parts and pauses in two queries."""
    ids = [a.id for a in apps]
    parts: dict[uuid.UUID, list[ApplicationPart]] = {i: [] for i in ids}
    pauses: dict[uuid.UUID, list[PausedPeriod]] = {i: [] for i in ids}
    rows = await session.execute(
        select(ApplicationPart)
        .where(ApplicationPart.application_id.in_(ids))
        .order_by(ApplicationPart.item_code)
    )
    for part in rows.scalars():
        parts[part.application_id].append(part)
    periods = await session.execute(
        select(PausedPeriod)
        .where(PausedPeriod.application_id.in_(ids))
        .order_by(PausedPeriod.started_at)
    )
    for period in periods.scalars():
        pauses[period.application_id].append(period)
    out = []
    for app in apps:
        app._departments = {p.department for p in parts[app.id]} | {app.department}  # type: ignore[attr-defined]
        actions = flow.available(app, principal)
        out.append(view(app, parts[app.id], pauses[app.id], actions=actions, reveal=False))
    return out


async def pauses_of(session: AsyncSession, app: Application) -> list[PausedPeriod]:
    rows = await session.execute(
        select(PausedPeriod)
        .where(PausedPeriod.application_id == app.id)
        .order_by(PausedPeriod.started_at)
    )
    return list(rows.scalars())


async def visible_application(
    session: AsyncSession, principal: Principal, app_id: uuid.UUID
) -> tuple[Application, list[ApplicationPart]]:
    """The application if ``principal`` may see it; 404 otherwise (never 403)."""
    app = await session.get(Application, app_id)
    if app is None:
        raise NotFound("没有这个办件")
    parts = await parts_of(session, app)
    if not access.may_see(principal, app, {p.department for p in parts}):
        raise NotFound("没有这个办件")
    return app, parts


def list_query(
    principal: Principal,
    *,
    status: str | None,
    department: str | None,
    overdue: bool | None,
    green: bool | None = None,
    number: str | None = None,
) -> Select[Any]:
    query = select(Application).where(access.visible(principal))
    if number is not None:
        query = query.where(Application.number == number)
    if green is not None:
        query = query.where(Application.green_channel.is_(green))
    if status:
        query = query.where(Application.state == status)
    if department:
        query = query.where(Application.department == department)
    if overdue is not None:
        late = late_clause(now())
        query = query.where(late if overdue else not_(late))
    return query


# An open clock sorts before this; an application with none (a 即办件, an intake 补正 whose
# limit has not started) after every one that has.
NO_DUE = datetime(9999, 12, 31, tzinfo=UTC)


def queue_keys() -> list[SortKey]:
    """The hall's working order (绿色通道 for key projects: priority queue, DOMAIN.md): open
    applications before closed ones; among them the green channel first; then the running
    clock's due time, soonest first (handling until the decision, then the delivery of a
    licence granted); then the earliest submitted."""
    running_due = case(
        (Application.decided_at.is_(None), Application.due_at),
        else_=Application.delivery_due_at,
    )
    return [
        case((Application.state.in_(CLOSED), 1), else_=0),
        case((Application.green_channel.is_(True), 0), else_=1),
        func.coalesce(running_due, literal(NO_DUE, UTCDateTime())),
        Application.submitted_at,
    ]


def late_clause(at: datetime) -> ColumnElement[bool]:
    """SQL form of :func:`running_late` (open applications only)."""
    handling = and_(
        Application.on_time.is_(None),
        Application.due_at.is_not(None),
        or_(
            and_(Application.state.not_in(PAUSED), Application.due_at < at),
            and_(Application.state.in_(PAUSED), Application.due_at < Application.updated_at),
        ),
    )
    delivery = and_(
        Application.delivery_on_time.is_(None),
        Application.delivery_due_at.is_not(None),
        Application.delivery_due_at < at,
    )
    stopped_late = or_(Application.on_time.is_(False), Application.delivery_on_time.is_(False))
    return and_(Application.state.not_in(CLOSED), or_(handling, delivery, stopped_late))


def running_late(app: Application, at: datetime) -> bool:
    """An open application behind a time limit: the clock running now is past due, or one
    stopped late. The handling clock runs until the decision; while it stands still (补正,
    hearing ...) it is late only if it already was when it stopped: the step that paused it
    is the application's last change. The delivery clock runs from 准予许可 until the licence
    is posted, handed over or ready to collect (a refusal has none)."""
    if app.state in CLOSED:
        return False
    return _stopped_late(app) or _handling_late(app, at) or _delivery_late(app, at)


def _stopped_late(app: Application) -> bool:
    """The decision or the delivery came after its due time."""
    return app.on_time is False or app.delivery_on_time is False


def _handling_late(app: Application, at: datetime) -> bool:
    if app.on_time is not None or app.due_at is None:
        return False
    if app.state in PAUSED:
        return app.due_at < app.updated_at
    return app.due_at < at


def _delivery_late(app: Application, at: datetime) -> bool:
    if app.delivery_on_time is not None or app.delivery_due_at is None:
        return False
    return app.delivery_due_at < at


def is_overdue(app: Application) -> bool:
    if app.state in CLOSED:
        return _stopped_late(app)
    return running_late(app, now())


def view(
    app: Application,
    parts: list[ApplicationPart],
    pauses: list[PausedPeriod],
    *,
    actions: list[str],
    reveal: bool,
) -> ApplicationOut:
    data: dict[str, Any] = {c.key: getattr(app, c.key) for c in Application.__table__.columns}
    data, _ = masked(data, reveal=reveal)
    return ApplicationOut.model_validate(
        {
            **data,
            "status": app.state,
            "package": app.package_id is not None,
            "overdue": is_overdue(app),
            "parts": [PartOut.model_validate(p) for p in parts],
            "pauses": [PauseOut.model_validate(p) for p in pauses],
            "actions": actions,
            "masked": not reveal,
        }
    )
