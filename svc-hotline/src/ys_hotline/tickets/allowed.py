"""What the caller may do with a ticket now (the detail's ``actions``, the console's buttons).

The machine's transitions the caller's positions allow from the ticket's state, and the steps
that change no state (``NOTES``: 延期, 催办), narrowed by the machine's guards (归档 before
the 回访) and the rules each action checks on the ticket itself, so that an action listed here
is one the service would take.
"""

from collections.abc import Callable

from yingshang.auth import Principal
from yingshang.clock import now
from ys_hotline.tickets.followup import TRANSFERABLE, dissatisfied, reopen_action
from ys_hotline.tickets.machine import (
    EXTENSION_REQUESTED,
    MACHINE,
    NOTES,
    RUNNING,
    RunningClocks,
)
from ys_hotline.tickets.models import Ticket
from ys_hotline.tickets.vocabulary import TicketType


def _before_deadline(ticket: Ticket) -> bool:
    return ticket.due_at is None or now() < ticket.due_at


# The action's own rule on the ticket (besides state and position), as the action checks it.
_ALSO: dict[str, Callable[[Ticket], bool]] = {
    "answer": lambda t: t.type == TicketType.CONSULT.value,
    "transfer": lambda t: bool(t.enterprise_name) and t.type in TRANSFERABLE,
    "reopen": lambda t: dissatisfied(t) and reopen_action(t) == "reopen",
    "reopen_at_center": lambda t: dissatisfied(t) and reopen_action(t) == "reopen_at_center",
    "request_extension": lambda t: (
        t.extension_status != EXTENSION_REQUESTED and _before_deadline(t)
    ),
    "decide_extension": lambda t: t.extension_status == EXTENSION_REQUESTED,
}


def available(ticket: Ticket, principal: Principal, running: RunningClocks) -> list[str]:
    """Names of the transitions and notes ``principal`` may take on ``ticket`` now
    (``running``: the due times of its running clocks, by stage)."""
    names = MACHINE.available(ticket, principal, {RUNNING: running})
    state = ticket.state
    names += [
        n.name
        for n in NOTES.values()
        if state in n.sources and n.allowed(principal, ticket) is not None
    ]
    # both reopens are one action of the API (``/reopen``), which picks the one that applies
    return [_AS_ACTION.get(name, name) for name in names if _ALSO.get(name, _true)(ticket)]


_AS_ACTION = {"reopen_at_center": "reopen"}


def _true(ticket: Ticket) -> bool:
    return True
