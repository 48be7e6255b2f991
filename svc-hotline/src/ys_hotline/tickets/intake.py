"""Intake (受理): a ticket from an operator, the console, the public form or the province.

The real creation path: validate, refuse excluded matters, look the category up in the
dispatch catalogue (派单 routes it later: no unit holds the ticket before), hint duplicates,
number the ticket, start the 办理 clock from the original receipt time, and write the
timeline entry and the ``created`` event.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.cases import timeline
from yingshang.clock import now
from yingshang.events.outbox import enqueue
from yingshang.ids import uuid7
from yingshang.prepared import as_loaded, column_values, insert_row
from yingshang.problems import Invalid
from yingshang.time.models import DeadlineStage
from ys_hotline.catalogue import service as catalogue
from ys_hotline.tickets import duplicates, events, kit, stages
from ys_hotline.tickets.machine import Stage
from ys_hotline.tickets.models import CASE_KIND, PHONE, Ticket
from ys_hotline.tickets.schemas import DuplicateHint, TicketIn
from ys_hotline.tickets.vocabulary import REFERRALS, SOURCE_NAMES, Source, Status

CLOCK_SKEW = timedelta(minutes=5)  # a pushed received_at may not lie in the future
_INSERT = insert_row(Ticket)


@dataclass
class Intake:
    ticket: Ticket
    duplicates: list[DuplicateHint]
    query_code: str | None = None  # shown once, at creation
    stage: DeadlineStage | None = None  # the 办理 clock started at intake
    replayed: bool = False  # a provincial retry of a ticket we already hold


def refuse_excluded(body: TicketIn) -> None:
    """Matters 12345 does not take are refused with the reason and where to go instead."""
    if body.excluded_matter is None:
        return
    reason, referral = REFERRALS[body.excluded_matter]
    raise Invalid(
        reason,
        code="excluded-matter",
        field="excluded_matter",
        matter=body.excluded_matter.value,
        referral=referral,
    )


def _source(body: TicketIn, principal: Principal | None) -> tuple[Source, str | None]:
    if principal is not None and principal.is_client:
        if not body.external_id:
            raise Invalid("省平台推送的工单须带有平台的 external_id", field="external_id")
        return Source.PROVINCE, principal.client_id
    if principal is None:
        return Source.WEB, None
    if body.source is Source.PROVINCE:
        # only the platform's own client pushes (its external id, its Idempotency-Key)
        raise Invalid("省平台工单只能由平台推送", field="source")
    return body.source, None


async def _existing(session: AsyncSession, client: str, external_id: str) -> Ticket | None:
    stmt = select(Ticket).where(Ticket.origin_client == client, Ticket.external_id == external_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def create(
    session: AsyncSession, body: TicketIn, principal: Principal | None, *, window_days: int
) -> Intake:
    refuse_excluded(body)
    source, client = _source(body, principal)
    if client and body.external_id:
        existing = await _existing(session, client, body.external_id)
        if existing is not None:
            return Intake(existing, [], replayed=True)
    at = now()
    received_at = body.received_at or at
    if received_at > at + CLOCK_SKEW:
        raise Invalid("受理时间不能晚于现在", field="received_at")
    if body.category_code:  # an active category of the dispatch catalogue
        await catalogue.routing(session, body.category_code)
    number = await kit.next_number(session, received_at)
    code, code_hash = kit.issue_query_code(number)
    phone = body.requester.phone
    phone_indexes = PHONE.indexes(phone) if phone else []  # the current secret's first
    found = await duplicates.hints(
        session,
        phone_indexes=phone_indexes,
        category=body.category_code,
        content=body.content,
        since=duplicates.window_start(at, window_days),
    )
    # No unit holds the ticket until 派单 (its category's lead department is only where the
    # dispatch will send it): 承办单位 and the events' department stay empty until then.
    assigned = {
        "requester_phone_index": phone_indexes[0] if phone_indexes else None,
        "number": number,
        "query_code_hash": code_hash,
        "department": None,
        "co_departments": [],
        "duplicate_hints": [hint.id_text for hint in found],
    }
    ticket = _new_ticket(body, source, client, principal, received_at, at, assigned)
    hints = [hint.view for hint in found]
    stage = await _record_created(session, ticket, principal)
    duplicates.remember(ticket.id, ticket.number, ticket.title, ticket.content)
    return Intake(ticket, hints, query_code=code, stage=stage)


def _new_ticket(
    body: TicketIn,
    source: Source,
    client: str | None,
    principal: Principal | None,
    received_at: datetime,
    at: datetime,
    assigned: dict[str, Any],
) -> Ticket:
    """Every column set here (``assigned``: number, query code hash, departments, duplicate
    hints, the phone's blind index): the row goes in with one prepared INSERT, not the ORM
    (whose Python-side defaults would otherwise fill the gaps)."""
    who = body.requester
    return as_loaded(
        Ticket,
        {
            "id": uuid7(),  # known before the INSERT: the 办理 clock names it
            "version": 1,
            "created_at": at,
            "updated_at": at,
            "source": source.value,
            "external_id": body.external_id,
            "origin_client": client,
            "type": body.type.value,
            "urgency": body.urgency.value,
            "category_code": body.category_code,
            "title": body.title,
            "content": body.content,
            "content_digest": duplicates.digest(body.content),
            "location": body.location,
            "requester_name": None if who.anonymous else who.name,
            "requester_phone": who.phone,
            "enterprise_name": who.enterprise_name,
            "enterprise_uscc": who.enterprise_uscc,
            "anonymous": who.anonymous,
            "confidential": who.confidential,
            "received_at": received_at,
            "state": Status.RECEIVED.value,
            "created_by": principal.sub if principal else "public",
            "urge_count": 0,
            "supervised": False,
            "reopen_count": 0,
            "due_at": None,
            "extension_status": None,
            "extension_days": None,
            "extension_reason": None,
            "return_reason": None,
            "merged_into_id": None,
            "answer": None,
            "kb_entry_id": None,
            "signed_by": None,
            "signed_at": None,
            "handler_staff_no": None,
            "closed_at": None,
            "outcome": None,
            "satisfaction": None,
            "rating_level": None,
            "revisited_at": None,
            **assigned,
        },
    )


async def _record_created(
    session: AsyncSession, ticket: Ticket, principal: Principal | None
) -> DeadlineStage:
    """The 受理 timeline entry first (a step is written before the clocks it starts, so the
    timeline reads 受理 → 开始计时), then the 办理 clock (its due time goes into the ticket's
    one INSERT), then the event."""
    actor = principal or "public"
    payload = events.Created(
        **events.common(ticket),
        received_at=ticket.received_at,
        type=ticket.type,
        urgency=ticket.urgency,
        category_code=ticket.category_code,
    )
    event = events.event(ticket, "created", payload)
    await timeline.append(
        session,
        case_kind=CASE_KIND,
        case_id=ticket.id,
        action="receive",
        actor=actor,
        to_state=ticket.state,
        note=f"来源：{SOURCE_NAMES[Source(ticket.source)]}",
        event_id=event.id,
    )
    stage = await stages.start(
        session, ticket, Stage.HANDLE, actor, counted_from=ticket.received_at, new_case=True
    )
    ticket.due_at = stage.due_at
    await _INSERT.run(session, **column_values(ticket))
    await enqueue(session, event)
    return stage
