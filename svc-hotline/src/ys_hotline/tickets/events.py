"""Event payloads of the ticket (contract: /work event contract, ``ys.hotline.ticket.*``).

Payloads carry ids and masked data only, except ``transferred`` (center to center: the
complaints center needs the enterprise in full to open its linked case): its enterprise and
content travel sealed for svc-complaints (``TO_COMPLAINTS``, ``yingshang.events.sealed``), so
the outbox, the stream, dead letters and webhooks hold nothing of them. Every event names
the ticket's ``source`` and, for a ticket pushed by a platform, the ``external_id`` it was
pushed with, so the platform matches what it hears to what it sent without a GET; ``closed``
carries the answer the requester is given, phone and ID numbers in it masked. Free text (an
answer, a reason, a 回访 comment) reads as a handling department reads it: a confidential
requester's identity [已隐去], the requester's phone masked (``views.department_redactor``).
"""

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

from yingshang.clock import now
from yingshang.events.catalogue import EventCatalogue
from yingshang.events.envelope import CloudEvent, make_event
from yingshang.events.sealed import Passage, SealedValue
from yingshang.masking import mask_numbers
from ys_hotline.tickets.models import CASE_KIND, Ticket
from ys_hotline.tickets.views import department_redactor

SERVICE = "hotline"
PREFIX = f"ys.{SERVICE}.{CASE_KIND}"
TO_COMPLAINTS = Passage(SERVICE, "complaints")  # the complainant, for the complaints center alone


class CaseEvent(BaseModel):
    """Fields every case event carries."""

    case_id: str
    case_number: str
    department: str | None
    origin_client: str | None
    source: str  # phone, web, province, …
    external_id: str | None  # the pushing platform's own id of the ticket


class Created(CaseEvent):
    received_at: datetime
    type: str
    urgency: str
    category_code: str | None


class Dispatched(CaseEvent):
    co_departments: list[str]
    category_code: str | None


class Signed(CaseEvent):
    staff_no: str | None
    signed_at: datetime


class Contacted(CaseEvent):
    """联系: the department reached the requester (the 联系 limit is met)."""

    contacted_at: datetime


class Returned(CaseEvent):
    reason: str


class ReturnReviewed(CaseEvent):
    """派单异议审核 of a 退单 (``department``: the unit that returned it): ``return_approved``
    — the ticket is back at the center to be dispatched again; ``return_rejected`` — back to
    that unit, which signs for it."""

    reason: str | None
    reviewed_at: datetime


class Replied(CaseEvent):
    replied_at: datetime


class SentBack(CaseEvent):
    """审核退回: the center sent the reply back; the department handles and replies again."""

    sent_back_at: datetime


class Closed(CaseEvent):
    received_at: datetime
    closed_at: datetime
    outcome: str | None
    answer: str | None  # the reply given to the requester (办理结果), numbers in it masked


class Revisited(CaseEvent):
    """The return visit IS the ticket's 好差评 rating (channel hotline): one score, not two.
    ``round`` 1 is the rating; a 回访 after a reopen (2, 3, …) is the requester's verdict on
    the redo, which svc-ratings records beside the rating. ``closed_at``: the 办结 the visit
    rates (the upward report's 受理/办结时间 of the rating)."""

    level: int
    round: int = 1
    staff_no: str | None
    comment: str | None
    revisited_at: datetime
    closed_at: datetime | None
    rater_type: Literal["person", "legal_person"]
    service: str = SERVICE
    case_kind: str = CASE_KIND
    channel: str = "hotline"


class Reopened(CaseEvent):
    reason: str


class Archived(CaseEvent):
    """归档: the ticket's file is closed, after its 回访 or (``revisited`` false) without one,
    for the reason on its timeline."""

    archived_at: datetime
    revisited: bool


class Merged(CaseEvent):
    into_ticket_id: str
    into_case_number: str


class Enterprise(BaseModel):
    """The complainant (the enterprise and the person who called), every field sealed for
    svc-complaints (``TO_COMPLAINTS``): its identity is the complaints center's alone."""

    name: SealedValue
    uscc: SealedValue | None
    contact_name: SealedValue | None
    phone: SealedValue | None


class Transferred(CaseEvent):
    """转办 to the complaints center: ``enterprise`` and ``content`` (the caller's own words)
    sealed for svc-complaints, which opens them to register its linked case."""

    ticket_id: str
    enterprise: Enterprise
    category: str | None
    content: SealedValue
    respondent_department: str | None
    received_at: datetime


def common(ticket: Ticket) -> dict[str, str | None]:
    return {
        "case_id": str(ticket.id),
        "case_number": ticket.number,
        "department": ticket.department,
        "origin_client": ticket.origin_client,
        "source": ticket.source,
        "external_id": ticket.external_id,
    }


def case_key(ticket_id: uuid.UUID) -> str:
    """CloudEvents ``subject``: the ordering key ``ticket/<id>``."""
    return f"{CASE_KIND}/{ticket_id}"


def event(ticket: Ticket, name: str, payload: CaseEvent) -> CloudEvent:
    return make_event(SERVICE, f"{PREFIX}.{name}", payload, subject=case_key(ticket.id))


def _closed(ticket: Ticket, data: dict[str, Any]) -> CaseEvent:
    closed_at = ticket.closed_at or data["at"]
    return Closed(
        **common(ticket),
        received_at=ticket.received_at,
        closed_at=closed_at,
        outcome=ticket.outcome,
        answer=mask_numbers(_text(ticket, ticket.answer)) if ticket.answer else None,
    )


def _revisited(ticket: Ticket, data: dict[str, Any]) -> CaseEvent:
    return Revisited(
        **common(ticket),
        level=data["level"],
        staff_no=ticket.handler_staff_no,
        comment=_text(ticket, data.get("comment")),
        revisited_at=ticket.revisited_at or data["at"],
        closed_at=ticket.closed_at,
        rater_type=data.get("rater_type", "person"),
        round=data.get("round", 1),
    )


def _transferred(ticket: Ticket, data: dict[str, Any]) -> CaseEvent:
    enterprise = Enterprise(
        name=TO_COMPLAINTS.seal("enterprise.name", ticket.enterprise_name or ""),
        uscc=TO_COMPLAINTS.seal("enterprise.uscc", ticket.enterprise_uscc),
        contact_name=TO_COMPLAINTS.seal("enterprise.contact_name", ticket.requester_name),
        phone=TO_COMPLAINTS.seal("enterprise.phone", ticket.requester_phone),
    )
    return Transferred(
        **common(ticket),
        ticket_id=str(ticket.id),
        enterprise=enterprise,
        category=ticket.category_code,
        content=TO_COMPLAINTS.seal("content", ticket.content),
        respondent_department=data.get("respondent_department"),
        received_at=ticket.received_at,
    )


def _return_reviewed(ticket: Ticket) -> CaseEvent:
    reason = _text(ticket, ticket.return_reason)
    return ReturnReviewed(**common(ticket), reason=reason, reviewed_at=now())


def _text(ticket: Ticket, value: str | None) -> str | None:
    """Free text of ``ticket`` as a handling department may read it."""
    return department_redactor(ticket).optional(value)


def _reason(ticket: Ticket, data: dict[str, Any]) -> str:
    return department_redactor(ticket).text(data["reason"])


_BUILDERS: dict[str, Callable[[Ticket, dict[str, Any]], CaseEvent]] = {
    "dispatched": lambda t, d: Dispatched(
        **common(t), co_departments=list(t.co_departments or []), category_code=t.category_code
    ),
    "signed": lambda t, d: Signed(**common(t), staff_no=d.get("staff_no"), signed_at=d["at"]),
    "contacted": lambda t, d: Contacted(**common(t), contacted_at=now()),
    "returned": lambda t, d: Returned(**common(t), reason=_reason(t, d)),
    "return_approved": lambda t, d: _return_reviewed(t),
    "return_rejected": lambda t, d: _return_reviewed(t),
    "replied": lambda t, d: Replied(**common(t), replied_at=d["at"]),
    "sent_back": lambda t, d: SentBack(**common(t), sent_back_at=d.get("at") or now()),
    "closed": _closed,
    "revisited": _revisited,
    "reopened": lambda t, d: Reopened(**common(t), reason=_reason(t, d)),
    "archived": lambda t, d: Archived(
        **common(t), archived_at=now(), revisited=t.revisited_at is not None
    ),
    "merged": lambda t, d: Merged(
        **common(t), into_ticket_id=d["into_ticket_id"], into_case_number=d["into_case_number"]
    ),
    "transferred": _transferred,
}


def payload(ticket: Ticket, name: str, data: dict[str, Any]) -> CaseEvent:
    """The payload of event ``name`` for ``ticket`` after an action (``data``: its details)."""
    return _BUILDERS[name](ticket, data)


PRODUCED: dict[str, tuple[type[CaseEvent], str]] = {
    "created": (Created, "受理: a ticket was taken (phone, web, province, console)"),
    "dispatched": (Dispatched, "派单: dispatched to the lead department (+ co-handlers)"),
    "signed": (Signed, "签收: the department's head signed for the ticket"),
    "contacted": (Contacted, "联系: the department contacted the requester"),
    "returned": (Returned, "退单: the department returned the ticket, with the reason"),
    "return_approved": (ReturnReviewed, "退单审核通过: back at the center to be re-dispatched"),
    "return_rejected": (ReturnReviewed, "退单审核不通过: back to the department"),
    "replied": (Replied, "回复: the department replied; the center reviews"),
    "sent_back": (SentBack, "审核退回: the reply was sent back to the department"),
    "closed": (Closed, "办结 (or closed by 并单 / the linked complaints case)"),
    "revisited": (Revisited, "回访: the requester's satisfaction, the ticket's 好差评 rating"),
    "reopened": (Reopened, "Reopened after a dissatisfied 回访"),
    "archived": (Archived, "归档: the ticket's file is closed"),
    "merged": (Merged, "并单: merged into an earlier ticket"),
    "transferred": (
        Transferred,
        "Transferred to the complaints center (enterprise and content sealed for it)",
    ),
}
CONSUMERS = {"revisited": ("ratings",), "transferred": ("complaints", "ratings"),
             "closed": ("ratings",), "created": ("ratings",), "reopened": ("ratings",),
             "dispatched": ("ratings",), "return_approved": ("ratings",),
             "merged": ("ratings",)}  # fmt: skip


def register_produced(catalogue: EventCatalogue) -> EventCatalogue:
    """Add the ticket's event types (payload models) to ``catalogue``."""
    for name, (model, text) in PRODUCED.items():
        catalogue.register(
            f"{PREFIX}.{name}", model, description=text, consumers=CONSUMERS.get(name, ())
        )
    return catalogue
