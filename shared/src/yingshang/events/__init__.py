"""Events: CloudEvents envelope, transactional outbox, relay, consumers with inbox.

How a service wires them (same in every service)::

    # <svc>/events.py: the payload models it produces, in a catalogue
    EVENTS = EventCatalogue(title="hotline events")
    EVENTS.register("ys.hotline.ticket.closed", TicketClosed, description="办结",
                    consumers=("ratings",))

    # in a state change (the request's transaction): never publish directly
    await enqueue(session, make_event("hotline", "ys.hotline.ticket.closed", payload,
                                      subject=str(ticket.id)))
    await notify.enqueue(session, recipient=phone, template="rating_invitation", params={...})

    # a consumer: one ConsumerSpec per (source stream, purpose), handlers by event type
    scorecards = ConsumerSpec("ratings", "hotline", "scorecards", catalogue=HOTLINE_EVENTS)

    @scorecards.on("ys.hotline.ticket.closed")
    async def on_closed(session: AsyncSession, event: CloudEvent, payload: TicketClosed) -> None:
        ...  # effects written in ``session``; committed with the inbox row, then acked

    # app.py
    create_service_app(
        settings,
        title=TITLE,
        routers=[..., dead_letter_router("ratings", [scorecards])],
        components=event_components(scorecards),  # NATS, relay, consumers, notifications
    )
"""

from __future__ import annotations

from fastapi import FastAPI

from yingshang.app import ComponentFactory
from yingshang.events.catalogue import EventCatalogue, EventRejected, EventSpec, ParsedEvent
from yingshang.events.consumer import ConsumerSpec, EventConsumer
from yingshang.events.deadletters import dead_letter_router
from yingshang.events.envelope import CloudEvent, make_event
from yingshang.events.inbox import DeadLetter, Handler, InboxEntry
from yingshang.events.outbox import OutboxEvent, enqueue, enqueue_many
from yingshang.events.relay import OutboxRelay
from yingshang.events.streams import NatsConnection, ensure_stream, stream_name

__all__ = [
    "CloudEvent",
    "ConsumerSpec",
    "DeadLetter",
    "EventCatalogue",
    "EventConsumer",
    "EventRejected",
    "EventSpec",
    "Handler",
    "InboxEntry",
    "NatsConnection",
    "OutboxEvent",
    "OutboxRelay",
    "ParsedEvent",
    "dead_letter_router",
    "enqueue",
    "enqueue_many",
    "ensure_stream",
    "event_components",
    "make_event",
    "nats_component",
    "stream_name",
]


def nats_component(app: FastAPI) -> NatsConnection:
    """Component factory: the service's NATS connection (``app.state.nats``)."""
    return NatsConnection.from_settings(app.state.settings)


def event_components(
    *consumers: ConsumerSpec, relay: bool = True, notifications: bool = True
) -> list[ComponentFactory]:
    """The event Components of a service, in start order: NATS first, then the relay,
    the consumers, and the notification sender."""
    factories: list[ComponentFactory] = [nats_component]
    if relay:
        factories.append(OutboxRelay.for_app)
    factories.extend(EventConsumer.factory(spec) for spec in consumers)
    if notifications:
        # Imported here: yingshang.notify itself uses yingshang.events (no import cycle).
        from yingshang.notify import NotificationSender

        factories.append(NotificationSender.for_app)
    return factories
