"""What a viewer sees of a ticket (DOMAIN.md, "Personal data"; Hotline confidentiality).

* phone numbers unmasked only for hotline operators (the read is audited);
* a confidential requester's name and phone are hidden from handling departments;
* everyone else (center staff, the bureau, the committee, the pushing client) sees masks.

The free text (title, content, location, answer, replies, reasons and timeline notes) follows
the requester block: what the block hides or masks does not come back through the text
(:func:`redactor`).
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from yingshang.auth import Principal
from yingshang.redaction import Redactor
from yingshang.time.models import RUNNING
from ys_hotline.access import is_center, is_operator, is_oversight
from ys_hotline.tickets import kit
from ys_hotline.tickets.models import Ticket
from ys_hotline.tickets.schemas import ClockDue, RequesterOut, StageOut, TicketSummary


@dataclass(frozen=True)
class Disclosure:
    unmasked: bool  # the phone in full (hotline operators)
    hidden: bool  # confidential requester hidden (handling departments)


def disclosure(principal: Principal, ticket: Ticket, *, reveal: bool = True) -> Disclosure:
    """``reveal=False``: masks even for operators (responses to writes: nothing to audit)."""
    if reveal and is_operator(principal) and not principal.is_client:
        return Disclosure(unmasked=True, hidden=False)
    insider = is_center(principal) or is_oversight(principal) or principal.is_client
    return Disclosure(unmasked=False, hidden=ticket.confidential and not insider)


def requester(ticket: Ticket, seen: Disclosure) -> RequesterOut:
    if seen.hidden:
        return RequesterOut(
            name=None,
            phone=None,
            enterprise_name=None,
            enterprise_uscc=None,
            anonymous=ticket.anonymous,
            confidential=True,
            hidden=True,
        )
    phone = ticket.requester_phone
    return RequesterOut(
        name=ticket.requester_name if seen.unmasked else kit.mask_name(ticket.requester_name),
        phone=phone if seen.unmasked else kit.mask_phone(phone),
        enterprise_name=ticket.enterprise_name,
        enterprise_uscc=ticket.enterprise_uscc,
        anonymous=ticket.anonymous,
        confidential=ticket.confidential,
    )


def redactor(ticket: Ticket, seen: Disclosure) -> Redactor:
    """The requester as the ticket's free text may name them to this reader: in full for an
    operator; a hidden requester's name, phone, enterprise and USCC read [已隐去]; to anyone
    else the phone reads as its mask (138****5678), as the phone field does."""
    if seen.unmasked:
        return Redactor()
    if seen.hidden:
        return Redactor.hiding(
            enterprises=[ticket.enterprise_name],
            terms=[ticket.requester_name, ticket.enterprise_uscc],
            phones=[ticket.requester_phone],
        )
    return Redactor.masking_phones(ticket.requester_phone)


def department_redactor(ticket: Ticket) -> Redactor:
    """The free text as a handling department may read it (events, which every subscriber
    reads alike)."""
    return redactor(ticket, Disclosure(unmasked=False, hidden=ticket.confidential))


def revealed(ticket: Ticket, seen: Disclosure) -> list[str]:
    """The personal fields this view shows unmasked (each such read is audited)."""
    if not seen.unmasked:
        return []
    return [f for f in ("requester_name", "requester_phone") if getattr(ticket, f)]


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_RUNNING = frozenset({RUNNING, "overdue"})  # a running clock past due reads as overdue


def running_clocks(clocks: list[StageOut]) -> dict[str, datetime]:
    """The due times of the running clocks among ``clocks``, by stage (the machine's guards)."""
    return {c.stage: c.due_at for c in clocks if c.state in _RUNNING and c.due_at is not None}


def current_clock(clocks: list[StageOut]) -> ClockDue | None:
    """The limit the ticket is under now: of its running clocks, the one due first; on a tie,
    the one started last (the step the ticket has reached: its 签收 before the 办理 that runs
    from receipt). The ticket page's header and the lists count this one."""
    running = [c for c in clocks if c.state in _RUNNING and c.due_at is not None]
    if not running:
        return None
    first = min(running, key=lambda c: (c.due_at, -(c.started_at or EPOCH).timestamp()))
    assert first.due_at is not None  # as filtered
    return ClockDue(stage=first.stage, due_at=first.due_at)


def summary(ticket: Ticket, stages: list[StageOut], redact: Redactor) -> TicketSummary:
    return TicketSummary(**summary_fields(ticket, stages, redact))


def summary_fields(ticket: Ticket, stages: list[StageOut], redact: Redactor) -> dict[str, Any]:
    """A :class:`TicketSummary`'s fields (for the views that extend it). ``stages``: all the
    ticket's clocks: overdue is a running one past due; the escalation level and the 通报
    flag are the highest any stage reached, and stay after a late stage completes.
    ``redact``: the reader's :func:`redactor` (the title is free text)."""
    level = max((s.level for s in stages), default=0)
    return {
        "id": ticket.id,
        "number": ticket.number,
        "type": ticket.type,
        "urgency": ticket.urgency,
        "source": ticket.source,
        "category_code": ticket.category_code,
        "title": redact.text(ticket.title),
        "status": ticket.state,
        "department": ticket.department,
        "received_at": ticket.received_at,
        "due_at": ticket.due_at,
        "current_clock": current_clock(stages),
        "overdue": any(s.state == "overdue" for s in stages),
        "escalation_level": level,
        "urge_count": ticket.urge_count,
        "supervised": ticket.supervised,
        "bulletined": level >= 3,  # L3 = 书面通报 (ARCHITECTURE.md ladder defaults)
        "extension_status": ticket.extension_status,
        "extension_days": ticket.extension_days,
    }
