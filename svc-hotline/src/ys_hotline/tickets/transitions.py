"""Applying an action to a ticket with the case kit's :func:`apply_transition`.

Order of checks (the kit's): 404 for a ticket the principal may not see, 403 for a position
that may not take the step, 428/412 for If-Match, 409 for the wrong state, 409 for a guard of
the machine that does not hold (归档 before the 回访) — and only then the action's own rules
(which may need the database), its effects, the state change with its timeline entry and event,
and the five-limit clocks. All in the caller's transaction.
"""

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.cases import timeline
from yingshang.cases.rules import system_actor
from yingshang.cases.statemachine import NO_FACTS, Facts, apply_transition, check_step
from yingshang.events.outbox import enqueue
from ys_hotline.tickets import events, policy, stages
from ys_hotline.tickets.machine import (
    AT_DEPARTMENT,
    CHANGES_HANDS,
    CLOCKS,
    EXTENSION_LAPSED,
    EXTENSION_REQUESTED,
    EXTRA_EVENTS,
    MACHINE,
    NOTES,
    RUNNING,
    Clocks,
    Stage,
)
from ys_hotline.tickets.models import CASE_KIND, Ticket

Data = dict[str, Any]
Effect = Callable[[Ticket], Awaitable[Data | None]]
SYSTEM = system_actor("hotline")
_TIMELINE_KEYS = {"department", "co_departments", "reason", "level", "round", "days", "approve",
                  "into_ticket_id", "supervise", "outcome", "respondent_department"}  # fmt: skip


async def load(session: AsyncSession, ticket_id: uuid.UUID, principal: Principal) -> Ticket:
    return policy.ensure_visible(principal, await session.get(Ticket, ticket_id))


async def facts(session: AsyncSession, ticket: Ticket, name: str) -> Facts:
    """What the guard of transition ``name`` needs from the database (the running clocks),
    read only when a guard applies from the ticket's state."""
    if not MACHINE.guarded(name, ticket):
        return NO_FACTS
    return {RUNNING: await stages.running(session, ticket)}


async def act(
    session: AsyncSession,
    ticket_id: uuid.UUID,
    name: str,
    who: Principal,
    *,
    if_match: str | None,
    note: str | None = None,
    effect: Effect | None = None,
) -> Ticket:
    """Take action ``name`` on a ticket as ``who`` (an HTTP caller)."""
    ticket = await load(session, ticket_id, who)
    if name in NOTES:
        check_step(CASE_KIND, NOTES[name], ticket, who, if_match=if_match, states=MACHINE.labels)  # type: ignore[type-var, unused-ignore]  # see MACHINE
        await _annotate(session, ticket, name, who, note, effect)
        return ticket
    known = await facts(session, ticket, name)
    MACHINE.check(ticket, name, who, if_match=if_match, facts=known)
    await finish(session, ticket, name, who, note=note, effect=effect, facts=known)
    return ticket


async def finish(
    session: AsyncSession,
    ticket: Ticket,
    name: str,
    who: Principal,
    *,
    note: str | None = None,
    effect: Effect | None = None,
    facts: Facts = NO_FACTS,
) -> None:
    """The transition itself, after the checks (also used by event consumers as
    :data:`SYSTEM`). The effect may flush the row, so the kit's If-Match check is given the
    current tag: the caller's tag was checked before the effect ran."""
    data = (await effect(ticket) if effect else None) or {}
    transition = MACHINE.transition(name)
    if ticket.extension_status == EXTENSION_REQUESTED and transition.target not in AT_DEPARTMENT:
        ticket.extension_status = EXTENSION_LAPSED  # nobody can decide it any more
    event = transition.event
    await apply_transition(  # type: ignore[type-var, unused-ignore]  # as at MACHINE: mypy 2.4 misreads the model in an import cycle
        session, MACHINE, ticket, name, who,
        if_match=MACHINE.etag(ticket), note=note, facts=facts,  # the caller's tag: checked
        data={k: v for k, v in data.items() if k in _TIMELINE_KEYS} or None,
        event_data=events.payload(ticket, event, data) if event else None,
    )  # fmt: skip
    for extra in EXTRA_EVENTS.get(name, ()):
        await enqueue(session, events.event(ticket, extra, events.payload(ticket, extra, data)))
    if name in CHANGES_HANDS:
        await stages.reassign(session, ticket)
    await _clocks(session, ticket, CLOCKS.get(name, Clocks()), who)


async def _annotate(
    session: AsyncSession, ticket: Ticket, name: str, who: Principal, note: str | None,
    effect: Effect | None,
) -> None:  # fmt: skip
    """A step that changes no state (延期, 催办): effects + timeline entry, version bumped."""
    data = (await effect(ticket) if effect else None) or {}
    await session.flush()
    position = policy.acting_position(who, ticket)
    await timeline.append(
        session, case_kind=CASE_KIND, case_id=ticket.id, action=name, actor=who,
        from_state=ticket.state, to_state=ticket.state, position=position, note=note,
        data={k: v for k, v in data.items() if k in _TIMELINE_KEYS} or None,
    )  # fmt: skip


async def _clocks(session: AsyncSession, ticket: Ticket, clocks: Clocks, who: Principal) -> None:
    for stage in clocks.completes:
        await stages.complete(session, ticket, stage, who)
    for stage in clocks.cancels:
        await stages.cancel(session, ticket, stage, who)
        if stage is Stage.HANDLE:
            ticket.due_at = None  # no 办理 clock runs (转办, 并单): nothing is due
    for stage in clocks.starts:
        started = await stages.start(session, ticket, stage, who)
        if stage is Stage.HANDLE:
            ticket.due_at = started.due_at
