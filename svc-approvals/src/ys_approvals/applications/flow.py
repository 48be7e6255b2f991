"""Applying the machine's transitions to an application (one place, one way)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.cases.statemachine import TransitionResult, apply_transition
from yingshang.problems import Forbidden
from ys_approvals.applications import events
from ys_approvals.applications.machine import MACHINE
from ys_approvals.applications.models import Application


async def step(
    session: AsyncSession,
    app: Application,
    name: str,
    actor: Principal,
    if_match: str | None,
    note: str | None,
    **data: Any,
) -> TransitionResult:
    """Transition + timeline + outbox event with the contract's common fields."""
    return await apply_transition(  # type: ignore[type-var, unused-ignore]  # mypy reads the model differently by cache state
        session,
        MACHINE,
        app,
        name,
        actor,
        if_match=if_match,
        note=note,
        data=data or None,
        event_data=events.transition_data(app, **data),
    )


def check_allowed(app: Application, name: str, actor: Principal) -> None:
    """Refuse early (403) before side effects that precede the transition itself."""
    if MACHINE.transition(name).allowed(actor, app) is None:
        raise Forbidden(f"您的岗位无权对该办件进行此操作（{name}）")


def available(app: Application, actor: Principal) -> list[str]:
    return MACHINE.available(app, actor)
