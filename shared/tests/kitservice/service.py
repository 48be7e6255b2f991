"""The sample's rules: who sees which case, opening a case, acting on it. Never commits."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from kitservice.machine import CASE_MACHINE, KIND, SERVICE
from kitservice.models import SampleCase
from kitservice.schemas import ActionIn, ActionName, CaseIn, CaseOut
from yingshang.auth import BUREAU, COMMITTEE, HOTLINE_CENTER, Principal
from yingshang.cases import timeline
from yingshang.cases.numbers import case_number, hash_query_code, new_query_code
from yingshang.cases.statemachine import apply_transition
from yingshang.events.envelope import make_event
from yingshang.events.outbox import enqueue
from yingshang.masking import MaskedView, mask_fields, mask_phone
from yingshang.problems import Invalid, NotFound

# The center and the coordinating bodies oversee every case; a department sees its own.
OVERSIGHT = frozenset({HOTLINE_CENTER, BUREAU, COMMITTEE})
PERSONAL = {"requester_phone": mask_phone}
NUMBER_PREFIX = "KS"


def sees_all(principal: Principal) -> bool:
    return bool(principal.depts() & OVERSIGHT)


def can_see(principal: Principal, case: SampleCase) -> bool:
    return sees_all(principal) or case.department in principal.depts()


def visible(stmt: Select[SampleCase], principal: Principal) -> Select[SampleCase]:
    """``stmt`` narrowed to the cases ``principal`` may see (the same rule as can_see)."""
    if sees_all(principal):
        return stmt
    return stmt.where(SampleCase.department.in_(sorted(principal.depts())))


def reveals_contact(principal: Principal) -> bool:
    """Hotline operators see the requester's phone in full (DOMAIN.md, Hotline)."""
    return principal.has("clerk", HOTLINE_CENTER)


async def get_visible(
    session: AsyncSession, case_id: uuid.UUID, principal: Principal
) -> SampleCase:
    """The case, or 404 — also when it exists but belongs to another department."""
    case = await session.get(SampleCase, case_id)
    if case is None or not can_see(principal, case):
        raise NotFound("no such case")
    return case


def view(case: SampleCase, principal: Principal, *, reveal: bool) -> tuple[CaseOut, list[str]]:
    """The response body, masked per role, and the personal fields it reveals (to audit)."""
    data: dict[str, Any] = {
        field: getattr(case, field) for field in CaseOut.model_fields if field != "actions"
    }
    data["actions"] = CASE_MACHINE.available(case, principal)
    masked: MaskedView = mask_fields(data, PERSONAL, reveal=reveal)
    return CaseOut.model_validate(masked.data), masked.revealed


async def open_case(
    session: AsyncSession, body: CaseIn, principal: Principal
) -> tuple[SampleCase, str]:
    """受理 intake: number, query code, timeline entry and ``created`` event, one transaction."""
    number = await case_number(session, NUMBER_PREFIX)
    code = new_query_code()
    case = SampleCase(
        number=number,
        title=body.title,
        state=CASE_MACHINE.initial,
        requester_phone=body.requester_phone,
        enterprise_uscc=body.enterprise_uscc,
        query_code_hash=hash_query_code(code, salt=number),
        created_by=principal.sub,
    )
    session.add(case)
    await session.flush()
    await _record_creation(session, case, principal)
    return case, code


async def _record_creation(session: AsyncSession, case: SampleCase, principal: Principal) -> None:
    payload = {
        "case_id": str(case.id),
        "case_number": case.number,
        "department": case.department,
        "received_at": case.created_at.isoformat(),
    }
    event = make_event(
        SERVICE, f"ys.{SERVICE}.{KIND}.created", payload, subject=CASE_MACHINE.case_key(case)
    )
    first = principal.positions[0] if principal.positions else None
    await timeline.record(
        session,
        case_kind=KIND,
        case_id=case.id,
        action="created",
        actor=principal,
        to_state=case.state,
        position=(first.dept, first.role) if first else None,
        event_id=event.id,
    )
    await enqueue(session, event)


async def act(
    session: AsyncSession,
    case_id: uuid.UUID,
    action: ActionName,
    body: ActionIn,
    principal: Principal,
    if_match: str | None,
) -> SampleCase:
    """Apply ``action`` to a case the principal can see (404 otherwise)."""
    case = await get_visible(session, case_id, principal)
    department = body.department
    if action == "dispatch" and not department:
        raise Invalid("dispatch needs the department to hand the case to", field="department")

    def assign(target: SampleCase) -> None:
        if department:
            target.department = department

    await apply_transition(
        session,
        CASE_MACHINE,
        case,
        action,
        principal,
        if_match=if_match,
        note=body.note,
        data={"department": department} if department else None,
        event_data={"department": department or case.department},
        effect=assign,
    )
    return case


def list_query(principal: Principal, state: str | None) -> Select[SampleCase]:
    """The cases of a list request, before pagination."""
    stmt = visible(select(SampleCase), principal)
    return stmt.where(SampleCase.state == state) if state else stmt
