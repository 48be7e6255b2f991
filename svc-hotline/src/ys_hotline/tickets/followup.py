"""Actions around the loop: 延期, 催办/督办, 回访, reopen, 归档, 并单, transfer to the
complaints center and its closing."""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.clock import now
from yingshang.problems import Conflict, Invalid
from yingshang.time import deadlines
from yingshang.validators import is_reason, require_reason
from ys_hotline.tickets import policy, schemas, stages
from ys_hotline.tickets.machine import EXTENSION_REQUESTED, Stage
from ys_hotline.tickets.models import CASE_KIND, Ticket
from ys_hotline.tickets.transitions import SYSTEM, act, finish, load
from ys_hotline.tickets.vocabulary import OPEN_STATES, Status, TicketType, is_good

Data = dict[str, Any]
TRANSFERABLE = {TicketType.COMPLAINT.value, TicketType.REPORT.value}
SUPERVISED = (Stage.HANDLE.value,)  # the stage a 督办 presses: 办理, until 办结


async def request_extension(
    session: AsyncSession,
    ticket_id: uuid.UUID,
    body: schemas.ExtensionIn,
    who: Principal,
    etag: str | None,
) -> Ticket:
    """延期 must be asked for before the deadline, with the reason (DOMAIN.md, Hotline)."""

    async def effect(ticket: Ticket) -> Data:
        if ticket.extension_status == EXTENSION_REQUESTED:
            raise Conflict("已有一项延期申请在等待中心审核")
        if ticket.due_at is not None and now() >= ticket.due_at:
            raise Conflict("延期须在办理时限到期前申请", code="deadline-passed")
        ticket.extension_status, ticket.extension_days = EXTENSION_REQUESTED, body.days
        ticket.extension_reason = body.reason
        return {"days": body.days, "reason": body.reason}

    return await act(
        session, ticket_id, "request_extension", who, if_match=etag, note=body.reason, effect=effect
    )


async def decide_extension(
    session: AsyncSession,
    ticket_id: uuid.UUID,
    body: schemas.DecisionIn,
    who: Principal,
    etag: str | None,
) -> Ticket:
    """The center approves (the 办理 limit grows) or refuses a requested 延期."""

    async def effect(ticket: Ticket) -> Data:
        if ticket.extension_status != EXTENSION_REQUESTED:
            raise Conflict("没有待审核的延期申请")
        if not body.approve:  # the department reads why (a reason, as every step's)
            require_reason(body.note, "“不批准延期”")
        ticket.extension_status = "approved" if body.approve else "refused"
        if body.approve:
            row = await stages.extend_handling(
                session, ticket, ticket.extension_days or 0, who, ticket.extension_reason
            )
            ticket.due_at = row.due_at
        return {"approve": body.approve, "days": ticket.extension_days}

    return await act(
        session, ticket_id, "decide_extension", who, if_match=etag, note=body.note, effect=effect
    )


async def urge(
    session: AsyncSession,
    ticket_id: uuid.UUID,
    body: schemas.UrgeIn,
    who: Principal,
    etag: str | None,
) -> Ticket:
    """催办 (or 督办 when ``supervise``) by the center, the bureau or the committee. A 督办
    escalates the 办理 time limit at the issuer's level (``escalated``: the 督办 ledger holds
    it until the ticket is 办结)."""

    async def effect(ticket: Ticket) -> Data:
        ticket.urge_count += 1
        ticket.supervised = ticket.supervised or body.supervise
        if body.supervise:
            await deadlines.supervise_case(session, CASE_KIND, ticket.id, SUPERVISED, who)
        return {"supervise": body.supervise}

    return await act(session, ticket_id, "urge", who, if_match=etag, note=body.note, effect=effect)


async def revisit(
    session: AsyncSession,
    ticket_id: uuid.UUID,
    body: schemas.RevisitIn,
    who: Principal,
    etag: str | None,
) -> Ticket:
    """回访: the requester's satisfaction 1–5. The first is the ticket's 好差评 rating (one
    score); a 回访 after a reopen (round 2, 3, …) is the requester's word on the redo: it
    decides whether the ticket is reopened again, and svc-ratings keeps it beside the rating
    (the rater's verdict on the fix) without replacing it."""

    async def effect(ticket: Ticket) -> Data:
        ticket.satisfaction, ticket.revisited_at = body.level, now()
        if ticket.rating_level is None:
            ticket.rating_level = body.level
        return {"level": body.level, "comment": body.comment, "rater_type": body.rater_type,
                "at": ticket.revisited_at, "round": ticket.reopen_count + 1}  # fmt: skip

    return await act(
        session, ticket_id, "revisit", who, if_match=etag, note=body.comment, effect=effect
    )


async def reopen(
    session: AsyncSession,
    ticket_id: uuid.UUID,
    body: schemas.ReasonIn,
    who: Principal,
    etag: str | None,
) -> Ticket:
    """Reopen after a dissatisfied 回访: back to the department that handled it, clocks from
    now; a ticket no department signed (answered at intake, closed by the complaints center)
    goes back to the center to be dispatched."""

    async def effect(ticket: Ticket) -> Data:
        if not dissatisfied(ticket):
            raise Conflict("只有回访未达满意（1 至 3 级）的工单可以重办")
        ticket.reopen_count += 1
        ticket.closed_at = ticket.outcome = ticket.satisfaction = ticket.revisited_at = None
        ticket.extension_status = ticket.extension_days = ticket.extension_reason = None
        return {"reason": body.reason}

    ticket = await load(session, ticket_id, who)
    name = reopen_action(ticket)
    return await act(session, ticket_id, name, who, if_match=etag, note=body.reason, effect=effect)


def dissatisfied(ticket: Ticket) -> bool:
    """The latest 回访 is not good (1–3: 基本满意就是基本不满意): the ticket may be reopened."""
    return ticket.satisfaction is not None and not is_good(ticket.satisfaction)


def reopen_action(ticket: Ticket) -> str:
    """Which reopen applies: to the department that signed it, or to the center."""
    return "reopen" if ticket.signed_at is not None else "reopen_at_center"


async def archive(
    session: AsyncSession,
    ticket_id: uuid.UUID,
    body: schemas.NoteIn,
    who: Principal,
    etag: str | None,
) -> Ticket:
    """归档 after the 回访. Without one only where none can be made (the machine's guard: no
    number to call, or the 回访 limit has run out), and with the reason on the timeline: the
    回访 is the ticket's rating, not a formality."""

    async def effect(ticket: Ticket) -> Data:
        if ticket.state == Status.CLOSED.value and not is_reason(body.note):
            raise Invalid("未回访即归档，须说明未能回访的原因", field="note")
        return {}

    return await act(
        session, ticket_id, "archive", who, if_match=etag, note=body.note, effect=effect
    )


async def merge(
    session: AsyncSession,
    ticket_id: uuid.UUID,
    body: schemas.MergeIn,
    who: Principal,
    etag: str | None,
) -> Ticket:
    """并单: a duplicate (same requester, same matter) joins the earlier ticket."""

    async def effect(ticket: Ticket) -> Data:
        target = policy.ensure_visible(who, await session.get(Ticket, body.into_ticket_id))
        if target.id == ticket.id or target.received_at > ticket.received_at:
            raise Invalid("只能并入更早受理的另一张工单", field="into_ticket_id")
        if target.state not in OPEN_STATES or target.state == Status.TRANSFERRED.value:
            raise Conflict("被并入的工单已办结或已转办，不能再并单", field="into_ticket_id")
        ticket.merged_into_id, ticket.closed_at, ticket.outcome = target.id, now(), "merged"
        return {"into_ticket_id": str(target.id), "into_case_number": target.number,
                "at": ticket.closed_at}  # fmt: skip

    return await act(session, ticket_id, "merge", who, if_match=etag, note=body.note, effect=effect)


async def transfer(
    session: AsyncSession,
    ticket_id: uuid.UUID,
    body: schemas.TransferIn,
    who: Principal,
    etag: str | None,
) -> Ticket:
    """An enterprise's complaint of infringement by a public body goes to the complaints
    center as a linked case; the ticket closes when that case closes."""

    async def effect(ticket: Ticket) -> Data:
        if not ticket.enterprise_name:
            raise Invalid(
                "只有企业的投诉可以转侵权投诉中心，请先登记企业名称", field="enterprise_name"
            )
        if ticket.type not in TRANSFERABLE:
            raise Invalid("只有投诉、举报类诉求可以转侵权投诉中心", field="type")
        return {"respondent_department": body.respondent_department}

    return await act(
        session, ticket_id, "transfer", who, if_match=etag, note=body.note, effect=effect
    )


# The complaints service's outcome codes (its ``closed`` event), as the ticket's note says them.
COMPLAINT_OUTCOMES = {
    "resolved": "企业确认办理结果",
    "closed_after_dispute": "企业有异议，督办后办结",
    "not_accepted": "不予受理",
}


async def complaint_closed(session: AsyncSession, ticket: Ticket, outcome: str | None) -> bool:
    """The linked complaints case closed: close the ticket (idempotent: False if not waiting).
    The timeline's note says the outcome in words; the ticket keeps its code."""
    if ticket.state != Status.TRANSFERRED.value:
        return False

    async def effect(t: Ticket) -> Data:
        t.closed_at, t.outcome = now(), (outcome or "complaint_closed")[:40]
        return {"at": t.closed_at, "outcome": t.outcome}

    note = f"投诉案件已办结：{COMPLAINT_OUTCOMES.get(outcome or '', '办理完毕')}"
    await finish(session, ticket, "complaint_closed", SYSTEM, note=note, effect=effect)
    return True
