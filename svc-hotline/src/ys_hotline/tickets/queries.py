"""Reading tickets: lists and queues (visibility in SQL), detail with its full timeline."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, String, and_, cast, exists, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.cases import timeline
from yingshang.cases.pagination import PageRequest, paginate
from yingshang.cases.timeline import TimelineOut
from yingshang.clock import now
from yingshang.redaction import Redactor
from yingshang.time.models import RUNNING, DeadlineStage
from yingshang.validators import ordered_period
from ys_hotline.access import sees_everything
from ys_hotline.tickets import allowed, policy, stages, views
from ys_hotline.tickets.machine import AT_DEPARTMENT, EXTENSION_REQUESTED, TIMELINE
from ys_hotline.tickets.models import CASE_KIND, PHONE, Ticket, TicketReply
from ys_hotline.tickets.schemas import (
    ReplyOut,
    StageOut,
    TicketOut,
    TicketSummary,
)
from ys_hotline.tickets.vocabulary import Status

V = TypeVar("V", bound=TicketOut)

QUEUES = {
    "to_sign": (Status.DISPATCHED,),
    "to_contact": (Status.SIGNED,),
    "to_handle": (Status.SIGNED, Status.HANDLING),
    "to_review": (Status.REPLIED, Status.RETURN_REQUESTED),
    "to_dispatch": (Status.RECEIVED,),
    "to_revisit": (Status.CLOSED,),
}


@dataclass(frozen=True)
class Filters:
    status: list[str] | None = None
    type: str | None = None
    department: str | None = None
    overdue: bool | None = None
    received_from: datetime | None = None
    received_to: datetime | None = None
    keyword: str | None = None
    queue: str | None = None
    number: str | None = None  # the exact 工单编号, normalised
    phone: str | None = None  # the requester's phone, normalised (operators only: the router)


# Queues of the lead department's own steps (签收 by its head, 联系, 办理): a co-handling
# department sees the ticket but does not take these steps, so they are not in its queue.
LEAD_QUEUES = frozenset({"to_sign", "to_contact", "to_handle"})


def _visible(stmt: Select[Any], principal: Principal) -> Select[Any]:
    if principal.is_client:
        return stmt.where(Ticket.origin_client == principal.client_id)
    if sees_everything(principal):
        return stmt
    depts = sorted(principal.depts())
    if not depts:
        return stmt.where(false())
    as_co = [cast(Ticket.co_departments, String).like(f'%"{d}"%') for d in depts]
    held = or_(Ticket.department.in_(depts), *as_co)
    return stmt.where(held, Ticket.state.notin_(policy.UNASSIGNED))


def _overdue_clause(at: datetime) -> Any:
    return exists().where(
        DeadlineStage.case_kind == CASE_KIND,
        DeadlineStage.case_id == Ticket.id,
        DeadlineStage.status == RUNNING,
        DeadlineStage.due_at < at,
    )


# The center's 审核 covers the 延期 asked by a department besides the replies and returns.
PENDING_EXTENSION = and_(
    Ticket.extension_status == EXTENSION_REQUESTED, Ticket.state.in_(sorted(AT_DEPARTMENT))
)


def _filtered(stmt: Select[Any], f: Filters) -> Select[Any]:
    statuses = list(f.status or []) + [s.value for s in QUEUES.get(f.queue or "", ())]
    conditions: list[Any] = []
    if statuses:
        in_state = Ticket.state.in_(statuses)
        conditions.append(or_(in_state, PENDING_EXTENSION) if f.queue == "to_review" else in_state)
    if f.type:
        conditions.append(Ticket.type == f.type)
    if f.department:
        conditions.append(Ticket.department == f.department)
    if f.number:
        conditions.append(Ticket.number == f.number)
    if f.phone:  # sealed: its blind index under each configured secret
        conditions.append(Ticket.requester_phone_index.in_(PHONE.indexes(f.phone)))
    if f.received_from:
        conditions.append(Ticket.received_at >= f.received_from)
    if f.received_to:
        conditions.append(Ticket.received_at < f.received_to)
    if f.keyword:
        # words of the title or content, or the start of the 工单编号 (RX20261128-00042)
        pattern = f"%{f.keyword}%"
        number = Ticket.number.startswith(f.keyword.strip().upper(), autoescape=True)
        conditions.append(or_(Ticket.title.like(pattern), Ticket.content.like(pattern), number))
    if f.overdue is not None or f.queue == "overdue":
        clause = _overdue_clause(now())
        conditions.append(clause if f.overdue is not False else ~clause)
    return stmt.where(and_(*conditions)) if conditions else stmt


async def page(
    session: AsyncSession, principal: Principal, f: Filters, request: PageRequest
) -> tuple[list[TicketSummary], str | None]:
    """One page, newest receipt first (index ``ix_hotline_tickets_received``)."""
    ordered_period(f.received_from, f.received_to, field="received_to")
    stmt = _filtered(_visible(select(Ticket), principal), f)
    if f.queue in LEAD_QUEUES and not sees_everything(principal):
        stmt = stmt.where(Ticket.department.in_(sorted(principal.depts())))
    rows, next_cursor = await paginate(
        session, stmt, request, sort=Ticket.received_at, id_col=Ticket.id
    )
    if f.keyword:
        rows = [t for t in rows if _found_as_shown(t, f.keyword, principal)]
    by_case = await _stages(session, [t.id for t in rows])

    def row(ticket: Ticket) -> TicketSummary:
        # a list is no audited read: its titles read as to a reader who is not an operator
        seen = views.disclosure(principal, ticket, reveal=False)
        return views.summary(ticket, by_case.get(ticket.id, []), views.redactor(ticket, seen))

    return [row(t) for t in rows], next_cursor


def _found_as_shown(ticket: Ticket, keyword: str, principal: Principal) -> bool:
    """A keyword search finds a ticket by what its reader may read of it: a department does
    not find a confidential requester's ticket by their name or number (the page may then
    hold fewer rows than asked for; its cursor still goes on from the last row read)."""
    if ticket.number.startswith(keyword.strip().upper()):
        return True
    redact = views.redactor(ticket, views.disclosure(principal, ticket))
    word = keyword.casefold()
    return any(word in redact.text(text).casefold() for text in (ticket.title, ticket.content))


async def _stages(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[StageOut]]:
    """Every clock of these tickets, finished ones too (the 通报 flag outlives its stage)."""
    if not ids:
        return {}
    stmt = select(DeadlineStage).where(
        DeadlineStage.case_kind == CASE_KIND, DeadlineStage.case_id.in_(ids)
    )
    found: dict[uuid.UUID, list[StageOut]] = {}
    for row in (await session.execute(stmt)).scalars():
        found.setdefault(row.case_id, []).append(stage_view(row))
    return found


def stage_view(row: DeadlineStage, round_: int = 1) -> StageOut:
    state = row.status
    if state == RUNNING and row.due_at < now():
        state = "overdue"
    return StageOut(
        stage=row.stage,
        started_at=row.started_at,
        due_at=row.due_at,
        completed_at=row.completed_at,
        state=state,
        level=row.level_emitted,
        provisional=row.provisional,
        on_time=row.on_time,
        round=round_,
    )


async def detail(
    session: AsyncSession, ticket: Ticket, principal: Principal, *, reveal: bool = False
) -> TicketOut:
    """The full ticket as ``principal`` may see it, with replies, clocks and timeline
    (``reveal``: operators get the phone in full — the caller audits that read)."""
    rounds = await stages.rounds(session, ticket)
    clocks = [stage_view(s, rounds.get(s.id, 1)) for s in await stages.of(session, ticket)]
    replies = await session.execute(
        select(TicketReply).where(TicketReply.ticket_id == ticket.id).order_by(TicketReply.at)
    )
    view = view_of(ticket, principal, clocks, reveal=reveal)
    redact = views.redactor(ticket, views.disclosure(principal, ticket, reveal=reveal))
    view.replies = [
        ReplyOut.model_validate(r).model_copy(update={"body": redact.text(r.body)})
        for r in replies.scalars()
    ]
    view.timeline = await timeline_of(session, ticket, redact)
    return view


async def timeline_of(session: AsyncSession, ticket: Ticket, redact: Redactor) -> list[TimelineOut]:
    """The ticket's timeline, steps in words (zh-CN), the notes as ``redact`` leaves them."""
    return TIMELINE.outs(await timeline.entries(session, CASE_KIND, ticket.id), redact=redact)


def view_of(
    ticket: Ticket, principal: Principal, clocks: list[StageOut], *, reveal: bool = False
) -> TicketOut:
    """The ticket from what is in memory (no queries): replies and timeline left empty."""
    return view_as(TicketOut, ticket, principal, clocks, reveal=reveal)


def view_as(
    model: type[V],
    ticket: Ticket,
    principal: Principal,
    clocks: list[StageOut],
    *,
    reveal: bool = False,
    **extra: Any,
) -> V:
    """:func:`view_of` as ``model``, a view extending :class:`TicketOut` with ``extra``
    fields (built once, not copied from a :class:`TicketOut`)."""
    seen = views.disclosure(principal, ticket, reveal=reveal)
    redact = views.redactor(ticket, seen)
    return model(
        **views.summary_fields(ticket, clocks, redact),
        **extra,
        content=redact.text(ticket.content),
        location=redact.optional(ticket.location),
        requester=views.requester(ticket, seen),
        co_departments=list(ticket.co_departments or []),
        external_id=ticket.external_id,
        answer=redact.optional(ticket.answer),
        return_reason=redact.optional(ticket.return_reason),
        merged_into_id=ticket.merged_into_id,
        duplicate_hints=[] if principal.is_client else list(ticket.duplicate_hints or []),
        satisfaction=ticket.satisfaction,
        rating_level=ticket.rating_level,
        closed_at=ticket.closed_at,
        outcome=ticket.outcome,
        reopen_count=ticket.reopen_count,
        version=ticket.version,
        stages=clocks,
        actions=allowed.available(ticket, principal, views.running_clocks(clocks)),
        phone_revealable=bool(ticket.requester_phone)
        and policy.may_reveal_phone(principal, ticket),
    )
