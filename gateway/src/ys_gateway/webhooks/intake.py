"""Intake: a durable JetStream consumer per service stream turns events into deliveries.

A ``ys_gateway.streams`` consumer widened to every type of the stream: webhooks forward
whatever the producers publish, so the filter is ``ys.<service>.>`` and the payload is kept as
it came (each event still has to be a well-formed CloudEvent from the stream's own producer).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.events.catalogue import EventCatalogue, EventSpec, producer_of
from yingshang.events.consumer import EventConsumer
from yingshang.events.envelope import CloudEvent
from yingshang.prepared import Prepared
from ys_gateway.models import Client, Webhook, WebhookDelivery
from ys_gateway.streams import pattern_consumer
from ys_gateway.webhooks.rules import masked, matches, may_receive


class AnyPayload(BaseModel):
    model_config = ConfigDict(extra="allow")


class OpenCatalogue(EventCatalogue):
    """Accepts every event type; only the envelope and its origin are checked."""

    def spec(self, type_: str) -> EventSpec:
        return EventSpec(type_, AnyPayload, "forwarded to webhooks", producer_of(type_))

    def __contains__(self, type_: object) -> bool:
        return True


_ACTIVE_HOOKS = Prepared(
    select(Webhook.id, Webhook.event_types, Client.client_id, Client.scopes)
    .join(Client, Client.client_id == Webhook.client_id)
    .where(Webhook.active.is_(True), Client.active.is_(True))
)


async def fan_out(session: AsyncSession, event: CloudEvent, payload: Any) -> None:
    """One pending delivery per subscribed, entitled webhook (same transaction as the inbox)."""
    body: dict[str, Any] | None = None  # masked once, when some webhook takes the event
    for hook_id, patterns, client_id, scopes in await _ACTIVE_HOOKS.all(session):
        if matches(patterns, event.type) and may_receive(client_id, scopes, event.type, event.data):
            if body is None:
                body = masked(event.model_dump(mode="json", exclude_none=True))
            session.add(
                WebhookDelivery(
                    webhook_id=hook_id,
                    event_id=event.id,
                    event_type=event.type,
                    subject=event.subject or event.type,
                    payload=body,
                )
            )
    await session.flush()


def intake_factory(source: str) -> Callable[[FastAPI], EventConsumer]:
    """All subjects of the source stream, forwarded as they came (``OpenCatalogue``)."""
    return pattern_consumer(source, "webhooks", OpenCatalogue(), (f"ys.{source}.>",), fan_out)
