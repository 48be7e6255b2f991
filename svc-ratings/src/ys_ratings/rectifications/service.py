"""Rectifications: opened by a 差评, moved by the transitions of ``machine``.

Each transition writes, in the caller's transaction, the new state, a timeline entry and the
``ys.ratings.rectification.<event>`` outbox event (``yingshang.cases.statemachine``); the
``rectify`` stage of the deadline engine (15 working days by default) runs from the 差评 to the
department's completion, and again from a failed spot check (抽查回访) to the redo's completion.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.cases import timeline
from yingshang.cases.numbers import case_number
from yingshang.cases.rules import system_actor
from yingshang.cases.statemachine import apply_transition
from yingshang.clock import now
from yingshang.events.envelope import make_event
from yingshang.events.outbox import enqueue
from yingshang.problems import NotFound
from yingshang.time import deadlines
from ys_ratings.access import RatingsCenter, Viewer
from ys_ratings.events import SERVICE, RectificationEvent
from ys_ratings.rectifications.machine import (
    CANCEL_REASONS,
    CASE_KIND,
    STAGE_EFFECTS,
    State,
    rectification_machine,
)
from ys_ratings.rectifications.models import SPOT_CHECK_FAILED, Rectification

if TYPE_CHECKING:
    from ys_ratings.ratings.models import Rating

STAGE = "rectify"  # 整改时限
NUMBER_PREFIX = "ZG"  # 整改单
SYSTEM = system_actor("ratings")
EVENT_FIELDS = ("classification", "closed_at", "outcome")


async def open_for(session: AsyncSession, rating: Rating) -> Rectification:
    """Every 差评 (1–2) opens a rectification and starts its time limit."""
    rect = _new(rating, await case_number(session, NUMBER_PREFIX))
    session.add(rect)
    await session.flush()
    await _start_clock(session, rect, SYSTEM)
    await _opened(session, rect)
    return rect


async def _start_clock(session: AsyncSession, rect: Rectification, actor: Principal) -> None:
    """The 整改 time limit, counted from now; ``due_at`` mirrors it for lists."""
    stage = await deadlines.start_stage(
        session,
        service=SERVICE,
        case_kind=CASE_KIND,
        case_id=rect.id,
        case_number=rect.number,
        department=rect.department,
        stage=STAGE,
        actor=actor,
        origin_client=rect.origin_client,
    )
    rect.due_at = stage.due_at


def _new(rating: Rating, number: str) -> Rectification:
    """Copies the rating's grouping fields: the bulletin counts rectifications like ratings."""
    return Rectification(
        number=number,
        rating_id=rating.id,
        state=State.AWAITING_CALLBACK,
        service=rating.service,
        case_number=rating.case_number,
        department=rating.department,
        hall_department=rating.hall_department,
        assessed_department=rating.assessed_department,
        window=rating.window,
        staff_no=rating.staff_no,
        month=rating.month,
        level=rating.level,
        origin_client=rating.origin_client,
        overdue=False,
        excluded=False,
    )


async def _opened(session: AsyncSession, rect: Rectification) -> None:
    """The contract's ``ys.ratings.rectification.opened`` and the first timeline entry."""
    subject = f"{CASE_KIND}/{rect.id}"
    event = make_event(
        SERVICE, f"ys.{SERVICE}.{CASE_KIND}.opened", _payload(rect, {}), subject=subject
    )
    await enqueue(session, event)
    await timeline.append(
        session,
        case_kind=CASE_KIND,
        case_id=rect.id,
        action="opened",
        actor=SYSTEM,
        to_state=rect.state,
        event_id=event.id,
    )


async def visible(session: AsyncSession, rect_id: uuid.UUID, viewer: Viewer) -> Rectification:
    rect = await session.get(Rectification, rect_id)
    if rect is None or not viewer.sees(rect.department, rect.hall_department):
        raise NotFound("没有这项整改")
    return rect


async def act(
    session: AsyncSession,
    rect_id: uuid.UUID,
    name: str,
    viewer: Viewer,
    if_match: str | None,
    changes: dict[str, Any],
    note: str | None = None,
) -> Rectification:
    """Apply transition ``name`` as ``viewer``: 404 unseen, 403, 428/412, 409, 422."""
    rect = await visible(session, rect_id, viewer)
    await transition(session, rect, name, viewer.principal, viewer.center, if_match, changes, note)
    return rect


async def transition(
    session: AsyncSession,
    rect: Rectification,
    name: str,
    actor: Principal,
    center: RatingsCenter,
    if_match: str | None,
    changes: dict[str, Any],
    note: str | None = None,
) -> None:
    machine = rectification_machine(center)
    target = machine.transition(name).target
    if target == State.CLOSED:
        changes = {**changes, "closed_at": now()}

    def effect(case: Rectification) -> None:
        for field, value in changes.items():
            setattr(case, field, value)

    await apply_transition(
        session,
        machine,
        rect,
        name,
        actor,
        if_match=if_match,
        note=note,
        event_data=_payload(rect, {**changes, "state": target}),
        effect=effect,
    )
    await _stage(session, rect, name, actor)


async def _stage(session: AsyncSession, rect: Rectification, name: str, actor: Principal) -> None:
    what = STAGE_EFFECTS.get(name)
    if what == "restart":
        await _start_clock(session, rect, actor)
        await session.flush()
        return
    stage = await deadlines.open_stage(session, CASE_KIND, rect.id, STAGE) if what else None
    if stage is None:
        return
    if what == "cancel":
        await deadlines.cancel(session, stage, actor=actor, reason=CANCEL_REASONS[name])
        return
    stage = await deadlines.complete_stage(session, stage, actor=actor)
    # A fix that failed its spot check was not rectified on time, however soon the redo ends.
    redo = rect.spot_check_result == SPOT_CHECK_FAILED
    rect.rectified_at, rect.on_time = stage.completed_at, False if redo else stage.on_time
    await session.flush()


def _payload(rect: Rectification, changes: dict[str, Any]) -> dict[str, Any]:
    """The contract's fields of a rectification event (the machine adds its own)."""
    current = {field: getattr(rect, field) for field in EVENT_FIELDS}
    current.update({k: v for k, v in changes.items() if k in EVENT_FIELDS})
    return RectificationEvent(
        case_id=rect.id,
        case_number=rect.number,
        department=rect.department,
        origin_client=rect.origin_client,
        rectification_id=rect.id,
        rating_id=rect.rating_id,
        state=str(changes.get("state", rect.state)),
        rated_case_number=rect.case_number,
        received_at=rect.created_at,
        **current,
    ).model_dump(mode="json")
