"""Object-level authorization of tickets: who sees a ticket (who may act on it is the state
machine's rules, ``ys_hotline.tickets.machine``).

A ticket you may not see answers 404 (ARCHITECTURE.md, "Auth and access"); one you see but
may not act on answers 403.
"""

from yingshang.auth import Principal
from yingshang.problems import NotFound
from ys_hotline.access import CENTER, OVERSIGHT, sees_everything
from ys_hotline.tickets.models import Ticket
from ys_hotline.tickets.vocabulary import Status

# Before 派单 (and after a 退单 is approved) no department holds the ticket.
UNASSIGNED = frozenset({Status.RECEIVED, Status.MERGED, Status.TRANSFERRED})


def handling_departments(ticket: Ticket) -> set[str]:
    if ticket.state in UNASSIGNED or not ticket.department:
        return set()
    return {ticket.department, *(ticket.co_departments or [])}


def is_handler(principal: Principal, ticket: Ticket) -> bool:
    return not principal.is_client and bool(principal.depts() & handling_departments(ticket))


def can_see(principal: Principal, ticket: Ticket) -> bool:
    if principal.is_client:
        return ticket.origin_client is not None and ticket.origin_client == principal.client_id
    return sees_everything(principal) or is_handler(principal, ticket)


def may_reveal_phone(principal: Principal, ticket: Ticket) -> bool:
    """联系 within 1 working day: the lead department holding a ticket may see the requester's
    phone in full, giving a reason (audited); never a confidential requester's (DOMAIN.md)."""
    held = ticket.state not in UNASSIGNED and ticket.department in principal.depts()
    return held and not principal.is_client and not ticket.confidential


def ensure_visible(principal: Principal, ticket: Ticket | None) -> Ticket:
    if ticket is None or not can_see(principal, ticket):
        raise NotFound("没有这个工单")
    return ticket


def acting_position(principal: Principal, ticket: Ticket) -> tuple[str, str]:
    """The position the principal acts in (recorded on the timeline)."""
    for dept in filter(None, (ticket.department, CENTER, *OVERSIGHT)):
        roles = [p.role for p in principal.positions if p.dept == dept]
        if roles:
            return dept, "head" if "head" in roles else roles[0]
    first = principal.positions[0] if principal.positions else None
    return (first.dept, first.role) if first else ("", "")
