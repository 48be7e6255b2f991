"""Events the hotline consumes (validated like external input; applied once via the inbox).

* ``ys.complaints.case.closed`` — the linked complaints case of a transferred ticket resolved:
  the ticket closes (DOMAIN.md: "the ticket closes only when that case resolves");
* ``ys.gateway.department.*`` — keep departments current: names, kinds, and which are
  deactivated (no more tickets for them) (``yingshang.directory``).
"""

import uuid

from pydantic import BaseModel, ConfigDict
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.directory import directory_consumer
from yingshang.events import CloudEvent, ConsumerSpec, EventCatalogue
from yingshang.time.events import register_deadline_events
from ys_hotline.directory.service import DEPARTMENTS
from ys_hotline.tickets import followup
from ys_hotline.tickets.events import register_produced
from ys_hotline.tickets.models import CASE_KIND, Ticket

SERVICE = "hotline"


class Origin(BaseModel):
    ticket_id: uuid.UUID


class ComplaintClosed(BaseModel):
    """What the hotline needs of ``ys.complaints.case.closed`` (other fields are allowed)."""

    model_config = ConfigDict(extra="allow")

    case_id: str
    case_number: str
    origin: Origin | None = None
    outcome: str | None = None


# Everything the hotline publishes (ticket events, 五限时 deadline events) and consumes.
EVENTS = register_produced(EventCatalogue("Yingshang hotline events"))
register_deadline_events(EVENTS, SERVICE, (CASE_KIND,))
EVENTS.register(
    "ys.complaints.case.closed",
    ComplaintClosed,
    description="A complaints case closed; its origin ticket (if any) closes too.",
    consumers=(SERVICE,),
)

transfers = ConsumerSpec(SERVICE, "complaints", "transfers", catalogue=EVENTS)
directory = directory_consumer(SERVICE, DEPARTMENTS, catalogue=EVENTS)


@transfers.on("ys.complaints.case.closed")
async def on_complaint_closed(
    session: AsyncSession, event: CloudEvent, payload: ComplaintClosed
) -> None:
    if payload.origin is None:
        return  # a complaint filed directly with the center: not ours
    ticket = await session.get(Ticket, payload.origin.ticket_id)
    if ticket is not None:
        await followup.complaint_closed(session, ticket, payload.outcome)
