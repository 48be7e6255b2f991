"""Events svc-complaints consumes (validated like external input; applied once via the inbox).

* ``ys.hotline.ticket.transferred`` — an enterprise's infringement complaint taken by 12345:
  open ONE linked case per ticket, however often the event arrives (inbox + the unique
  ``origin_ticket_id``); when the case closes, ``ys.complaints.case.closed`` names the ticket.
  The enterprise and the content come sealed for us (``FROM_HOTLINE``) and are opened as the
  payload is validated; in clear, as the hotline sent them before it sealed them, they are
  taken as they are;
* ``ys.ratings.invitation.created`` — the 好差评 link of one of our cases: SMS it to the
  contact we hold (ratings never sees the phone);
* ``ys.gateway.department.*`` — keep the local list of departments and towns current
  (``yingshang.directory``).
"""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.cases import timeline
from yingshang.cases.rules import system_actor
from yingshang.clock import ensure_utc, now
from yingshang.directory import directory_consumer
from yingshang.events import CloudEvent, ConsumerSpec, EventCatalogue
from yingshang.events.sealed import Passage
from yingshang.validators import is_valid_uscc, normalise_phone, normalise_uscc
from ys_complaints.cases import intake
from ys_complaints.cases.models import CASE_KIND, ComplaintCase
from ys_complaints.cases.notes import tell
from ys_complaints.cases.schemas import ComplaintIn
from ys_complaints.cases.vocabulary import Category, Source
from ys_complaints.directory.service import DEPARTMENTS

SERVICE = "complaints"
TRANSFER = "ys.hotline.ticket.transferred"
INVITATION = "ys.ratings.invitation.created"
HOTLINE = system_actor("hotline-transfer")
FROM_HOTLINE = Passage("hotline", SERVICE)  # what 12345 seals for us alone


class TransferredEnterprise(BaseModel):
    """The complainant, each field opened from its sealing for us (``FROM_HOTLINE``) before
    its own checks."""

    name: Annotated[str, FROM_HOTLINE.opened("enterprise.name")] = Field(
        min_length=1, max_length=200
    )
    uscc: Annotated[str, FROM_HOTLINE.opened("enterprise.uscc")] | None = Field(None, max_length=40)
    contact_name: Annotated[str, FROM_HOTLINE.opened("enterprise.contact_name")] | None = Field(
        None, max_length=80
    )
    phone: Annotated[str, FROM_HOTLINE.opened("enterprise.phone")] | None = Field(
        None, max_length=40
    )


class TicketTransferred(BaseModel):
    """``ys.hotline.ticket.transferred`` (contract): the enterprise in full, center to center,
    it and the content sealed for us on the way."""

    model_config = ConfigDict(extra="ignore")

    case_id: uuid.UUID
    case_number: str = Field(min_length=1, max_length=40)
    department: str | None = None
    origin_client: str | None = None
    ticket_id: uuid.UUID
    enterprise: TransferredEnterprise
    category: str | None = Field(None, max_length=60)
    content: Annotated[str, FROM_HOTLINE.opened("content")] = Field(min_length=1, max_length=20000)
    respondent_department: str | None = Field(None, max_length=60)
    received_at: datetime


class InvitationCreated(BaseModel):
    """``ys.ratings.invitation.created``: ids and the one-time link, no identity."""

    model_config = ConfigDict(extra="ignore")

    case_id: uuid.UUID
    case_number: str
    invitation_id: str
    token_url: str = Field(min_length=1, max_length=500)
    service: str
    case_kind: str | None = None
    node: str
    expires_at: datetime | None = None


def catalogue() -> EventCatalogue:
    cat = EventCatalogue("svc-complaints reads")
    cat.register(
        TRANSFER, TicketTransferred, description="12345 → complaints center", consumers=(SERVICE,)
    )
    cat.register(
        INVITATION,
        InvitationCreated,
        description="好差评 link to send by SMS",
        consumers=(SERVICE,),
    )
    return cat


EVENTS = catalogue()
transfers = ConsumerSpec(SERVICE, "hotline", "transfers", catalogue=EVENTS)
invitations = ConsumerSpec(SERVICE, "ratings", "invitations", catalogue=EVENTS)
directory = directory_consumer(SERVICE, DEPARTMENTS, catalogue=EVENTS)


def _uscc(value: str | None) -> str | None:
    return normalise_uscc(value) if value and is_valid_uscc(value) else None


def _phone(value: str | None) -> str | None:
    try:
        return normalise_phone(value) if value else None
    except ValueError:
        return None


def _received(at: datetime) -> datetime:
    """When 12345 received the matter: deadlines and statistics count from the receipt
    (DOMAIN.md), not from the transfer. Never later than now (a clock ahead at the hotline)."""
    return min(ensure_utc(at), now())


async def _respondent(session: AsyncSession, code: str | None) -> str | None:
    dept = await DEPARTMENTS.get(session, code) if code else None
    return code if dept is not None and dept.active else None


def _complaint(p: TicketTransferred, respondent: str | None) -> ComplaintIn:
    """The transfer as a complaint; already validated above, so built without re-checking the
    intake form's rules (the center completes the category and respondent when accepting)."""
    return ComplaintIn.model_construct(
        real_name=True,
        enterprise=None,
        disclose_to_respondent=False,
        respondent=respondent,
        category=Category.OTHER,
        category_other=f"12345 转办 ({p.category or '未分类'})",
        title=f"12345 转办: {p.content[:60]}",
        facts=p.content,
        claimed_amount=None,
        bill_due_date=None,
        evidence=[],
    )


@transfers.on(TRANSFER)
async def on_transferred(
    session: AsyncSession, event: CloudEvent, payload: TicketTransferred
) -> None:
    if await intake.by_ticket(session, payload.ticket_id) is not None:
        return  # the ticket already opened its case (a republished event has a new id)
    e = payload.enterprise
    who = intake.Identity(e.name, _uscc(e.uscc), e.contact_name, _phone(e.phone))
    origin = intake.Origin(
        Source.HOTLINE,
        HOTLINE,
        ("SYSTEM", "system"),
        ticket_id=payload.ticket_id,
        ticket_number=payload.case_number,
    )
    respondent = await _respondent(session, payload.respondent_department)
    made = await intake.register(
        session,
        _complaint(payload, respondent),
        who,
        origin,
        received_at=_received(payload.received_at),
    )
    if e.uscc and who.uscc is None:
        await _note(session, made.case, "12345 提供的统一社会信用代码未通过校验, 待核实")
    await intake.tell_registered(session, made.case, made.query_code)


async def _note(session: AsyncSession, case: ComplaintCase, text: str) -> None:
    await timeline.append(
        session,
        case_kind=CASE_KIND,
        case_id=case.id,
        action="note",
        actor=HOTLINE,
        from_state=case.state,
        to_state=case.state,
        note=text,
    )


@invitations.on(INVITATION)
async def on_invitation(
    session: AsyncSession, event: CloudEvent, payload: InvitationCreated
) -> None:
    if payload.service != SERVICE or payload.case_kind not in (None, CASE_KIND):
        return  # another service's case: that service sends its own
    case = await session.get(ComplaintCase, payload.case_id)
    if case is None:
        raise LookupError(f"no case {payload.case_id} for invitation {payload.invitation_id}")
    await tell(session, case, "rating_invitation", node=payload.node, url=payload.token_url)


CONSUMERS = (transfers, invitations, directory)
