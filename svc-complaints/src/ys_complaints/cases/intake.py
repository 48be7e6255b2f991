"""登记: a complaint becomes a case — from the center's console, the provincial platform, the
public web form, or a 12345 transfer. Number, query code, evidence, the ``created`` event, the
timeline entry and the acceptance clock are written in the caller's transaction.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang import notify
from yingshang.auth import Principal
from yingshang.cases import numbers, timeline
from yingshang.clock import now
from yingshang.events.outbox import enqueue
from ys_complaints.access import CENTER
from ys_complaints.cases import events, stages
from ys_complaints.cases.machine import MACHINE, Stage
from ys_complaints.cases.models import CASE_KIND, ComplaintCase, Evidence
from ys_complaints.cases.schemas import ComplaintIn
from ys_complaints.cases.vocabulary import NUMBER_PREFIX, Source
from ys_complaints.directory import service as directory

Actor = Principal | str


@dataclass(frozen=True)
class Identity:
    """Who complains (all ``None`` for an anonymous complaint)."""

    name: str | None = None
    uscc: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None


@dataclass(frozen=True)
class Origin:
    """Where the complaint came from."""

    source: Source
    actor: Actor
    position: tuple[str, str] | None = None
    client_id: str | None = None
    ticket_id: uuid.UUID | None = None
    ticket_number: str | None = None


@dataclass(frozen=True)
class Registered:
    case: ComplaintCase
    query_code: str


def acting_position(principal: Principal) -> tuple[str, str] | None:
    """The position a person registers in (the center's first), or the client's."""
    if principal.is_client:
        return (str(principal.client_id)[:60], "client")
    for position in principal.positions:
        if position.dept == CENTER:
            return position.dept, position.role
    first = principal.positions[0] if principal.positions else None
    return (first.dept, first.role) if first else None


def origin_of(principal: Principal, source: Source) -> Origin:
    if principal.is_client:
        return Origin(Source.PROVINCE, principal, acting_position(principal), principal.client_id)
    return Origin(source, principal, acting_position(principal))


def identity_of(body: ComplaintIn) -> Identity:
    e = body.enterprise
    if e is None:
        return Identity()
    return Identity(e.name, e.uscc, e.contact_name, e.contact_phone)


async def register(
    session: AsyncSession,
    body: ComplaintIn,
    who: Identity,
    origin: Origin,
    *,
    received_at: datetime | None = None,
) -> Registered:
    """Open a case from a validated complaint (422 for an unknown respondent).
    ``received_at``: when the matter was received elsewhere first (a 12345 ticket): the case
    and its acceptance clock count from then."""
    if body.respondent:
        await directory.require(session, body.respondent, field="respondent")
    at = received_at or now()
    number = await numbers.case_number(session, NUMBER_PREFIX, at=at)
    code = numbers.new_query_code()
    case = _new_case(body, who, origin, number, at)
    case.query_code_hash = numbers.hash_query_code(code, salt=number)
    session.add(case)
    await session.flush()
    for item in body.evidence:
        session.add(Evidence(case_id=case.id, **item.model_dump()))
    await _record(session, case, origin)
    await stages.start(session, case, Stage.ACCEPTANCE, origin.actor, at=at)
    await stages.refresh_due(session, case)
    return Registered(case, code)


def _new_case(
    body: ComplaintIn, who: Identity, origin: Origin, number: str, at: datetime
) -> ComplaintCase:
    actor = origin.actor
    return ComplaintCase(
        number=number,
        source=origin.source.value,
        origin_client=origin.client_id,
        origin_ticket_id=origin.ticket_id,
        origin_ticket_number=origin.ticket_number,
        real_name=body.real_name,
        enterprise_name=who.name,
        enterprise_uscc=who.uscc,
        contact_name=who.contact_name,
        contact_phone=who.contact_phone,
        disclose_to_respondent=body.disclose_to_respondent,
        respondent=body.respondent,
        department=CENTER,
        category=body.category.value,
        category_other=body.category_other,
        title=body.title,
        facts=body.facts,
        claimed_fen=_fen(body.claimed_amount),
        bill_due_date=body.bill_due_date,
        state=MACHINE.initial,
        received_at=at,
        dispute_count=0,
        supervised=False,
        created_by=actor.sub if isinstance(actor, Principal) else actor,
    )


def _fen(amount: Decimal | None) -> int | None:
    return None if amount is None else int(amount * 100)


async def _record(session: AsyncSession, case: ComplaintCase, origin: Origin) -> None:
    created = events.event(case, "created")
    note = f"12345 工单 {origin.ticket_number} 转办" if origin.ticket_number else None
    await timeline.append(
        session,
        case_kind=CASE_KIND,
        case_id=case.id,
        action="created",
        actor=origin.actor,
        to_state=case.state,
        position=origin.position,
        note=note,
        data={"source": case.source},
        event_id=created.id,
    )
    await enqueue(session, created)


async def by_ticket(session: AsyncSession, ticket_id: uuid.UUID) -> ComplaintCase | None:
    """The case a hotline ticket opened, if any (one per ticket)."""
    query = select(ComplaintCase).where(ComplaintCase.origin_ticket_id == ticket_id)
    return (await session.execute(query)).scalar_one_or_none()


async def tell_registered(session: AsyncSession, case: ComplaintCase, query_code: str) -> None:
    """SMS the case number and query code to a complainant who did not see a receipt."""
    if case.contact_phone:
        await notify.enqueue(
            session,
            recipient=case.contact_phone,
            template="complaint_registered",
            params={"number": case.number, "query_code": query_code},
        )
