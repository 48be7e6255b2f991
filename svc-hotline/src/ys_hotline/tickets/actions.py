"""The ticket's actions as domain functions: each checks its own rule, then hands the
transition to :func:`ys_hotline.tickets.transitions.act`."""

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.clock import now
from yingshang.problems import Conflict, Invalid
from ys_hotline.catalogue import service as catalogue
from ys_hotline.knowledge import service as knowledge
from ys_hotline.tickets import schemas
from ys_hotline.tickets.models import Ticket, TicketReply
from ys_hotline.tickets.transitions import act
from ys_hotline.tickets.vocabulary import TicketType

Data = dict[str, Any]


async def answer(
    session: AsyncSession,
    ticket_id: uuid.UUID,
    body: schemas.AnswerIn,
    who: Principal,
    etag: str | None,
) -> Ticket:
    """直接答复: a 咨询 answered at intake from the knowledge base closes at once."""

    async def effect(ticket: Ticket) -> Data:
        if ticket.type != TicketType.CONSULT.value:
            raise Invalid("只有咨询类诉求可以直接答复，其他诉求请派单", field="answer")
        if body.kb_entry_id is not None:
            await knowledge.answerable(session, body.kb_entry_id)
        ticket.answer, ticket.kb_entry_id = body.answer, body.kb_entry_id
        ticket.closed_at, ticket.outcome = now(), "answered"
        return {"at": ticket.closed_at, "outcome": "answered"}

    return await act(
        session, ticket_id, "answer", who, if_match=etag, note=body.note, effect=effect
    )


async def _routing(session: AsyncSession, ticket: Ticket, body: schemas.DispatchIn) -> Data:
    code = body.category_code or ticket.category_code
    if not code:
        raise Invalid("派单须选择派单目录分类", field="category_code")
    category = await catalogue.find_active(session, code)
    if category.transfer_to_complaints:
        raise Conflict("该类诉求应转侵权投诉中心：请使用“转投诉中心”", code="transfer")
    department = body.department or category.lead_department
    if not department:
        raise Invalid("该事项由乡镇办理，请指定承办的乡镇", field="department")
    dept = await catalogue.department(session, department, "department")
    catalogue.check_handler(dept, category.level, "department")
    explicit = body.co_departments
    co = explicit if explicit is not None else list(category.co_departments or [])
    for code_ in co:
        co_dept = await catalogue.department(session, code_, "co_departments")
        catalogue.check_handler(co_dept, category.level, "co_departments")
    ticket.category_code, ticket.department = category.code, department
    ticket.co_departments = [c for c in co if c != department]
    return {"department": department, "co_departments": ticket.co_departments}


async def dispatch(
    session: AsyncSession,
    ticket_id: uuid.UUID,
    body: schemas.DispatchIn,
    who: Principal,
    etag: str | None,
) -> Ticket:
    """派单 to the lead department (+ co-handling units) from the dispatch catalogue."""

    async def effect(ticket: Ticket) -> Data:
        routed = await _routing(session, ticket, body)
        ticket.return_reason = None
        # a 延期 is the holding department's request about its own limit: it does not follow
        # the ticket to the next department
        ticket.extension_status = ticket.extension_days = ticket.extension_reason = None
        return routed

    return await act(
        session, ticket_id, "dispatch", who, if_match=etag, note=body.note, effect=effect
    )


async def sign(
    session: AsyncSession,
    ticket_id: uuid.UUID,
    body: schemas.NoteIn,
    who: Principal,
    etag: str | None,
) -> Ticket:
    """签收: only the head of the department (一把手亲自接单)."""

    async def effect(ticket: Ticket) -> Data:
        ticket.signed_by, ticket.signed_at = who.sub, now()
        return {"at": ticket.signed_at, "staff_no": who.staff_no}

    return await act(session, ticket_id, "sign", who, if_match=etag, note=body.note, effect=effect)


async def simple(
    session: AsyncSession,
    ticket_id: uuid.UUID,
    name: str,
    body: schemas.NoteIn,
    who: Principal,
    etag: str | None,
) -> Ticket:
    """Actions with nothing to record but the note: 联系, 退单审核, 归档."""
    return await act(session, ticket_id, name, who, if_match=etag, note=body.note)


async def reply(
    session: AsyncSession,
    ticket_id: uuid.UUID,
    body: schemas.ReplyIn,
    who: Principal,
    etag: str | None,
) -> Ticket:
    """回复: the department's answer, reviewed by the center."""

    async def effect(ticket: Ticket) -> Data:
        at = now()
        session.add(
            TicketReply(
                ticket_id=ticket.id,
                department=ticket.department or "",
                body=body.body,
                author=who.sub,
                author_name=who.name,
                at=at,
            )
        )
        ticket.handler_staff_no = who.staff_no
        return {"at": at}

    return await act(session, ticket_id, "reply", who, if_match=etag, effect=effect)


async def _pending_reply(session: AsyncSession, ticket: Ticket) -> TicketReply:
    stmt = (
        select(TicketReply)
        .where(TicketReply.ticket_id == ticket.id, TicketReply.verdict.is_(None))
        .order_by(TicketReply.at.desc())
    )
    found = (await session.execute(stmt.limit(1))).scalar_one_or_none()
    if found is None:
        raise Conflict("没有待审核的答复")
    return found


async def review(
    session: AsyncSession,
    ticket_id: uuid.UUID,
    body: schemas.DecisionIn,
    who: Principal,
    etag: str | None,
) -> Ticket:
    """审核: accept the reply (办结) or send it back to the department."""

    async def effect(ticket: Ticket) -> Data:
        pending = await _pending_reply(session, ticket)
        pending.verdict = "accepted" if body.approve else "sent_back"
        if body.approve:
            ticket.answer, ticket.closed_at, ticket.outcome = pending.body, now(), "resolved"
        return {"at": now(), "approve": body.approve}

    name = "accept" if body.approve else "send_back"
    return await act(session, ticket_id, name, who, if_match=etag, note=body.note, effect=effect)


async def return_ticket(
    session: AsyncSession,
    ticket_id: uuid.UUID,
    body: schemas.ReasonIn,
    who: Principal,
    etag: str | None,
) -> Ticket:
    """退单: the head returns a wrongly assigned ticket, with the reason."""

    async def effect(ticket: Ticket) -> Data:
        ticket.return_reason = body.reason
        return {"reason": body.reason}

    return await act(
        session, ticket_id, "return", who, if_match=etag, note=body.reason, effect=effect
    )


async def review_return(
    session: AsyncSession,
    ticket_id: uuid.UUID,
    body: schemas.DecisionIn,
    who: Principal,
    etag: str | None,
) -> Ticket:
    """派单异议审核: approved → back to the center for re-dispatch; refused → back to the dept."""
    name = "approve_return" if body.approve else "reject_return"
    return await act(session, ticket_id, name, who, if_match=etag, note=body.note)
