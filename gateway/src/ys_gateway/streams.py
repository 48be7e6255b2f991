"""Durable consumers of a service's stream by subject patterns, one handler for all they take.

The gateway reads other services' streams for two purposes: webhooks (``ys.<svc>.>``, every
event) and the deadline ladder's SMS (``ys.<svc>.*.overdue`` ...: every case kind of a
service). Both reuse ``yingshang.events.consumer`` as the services' own consumers do (inbox:
one effect per event id; acks after commit; dead letters; resubscribe after a server restart);
only the filter is widened from exact types to patterns, so a new case kind needs no list here.
The spec holds its one handler, so the dead letters' replay (``/api/v1/admin/dead-letters``)
runs a letter through the same handler as the consumer did.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import FastAPI
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from yingshang.events.catalogue import EventCatalogue
from yingshang.events.consumer import ConsumerSpec, EventConsumer
from yingshang.events.inbox import Handler


@dataclass
class PatternSpec(ConsumerSpec):
    """``patterns``: NATS subject filters on the ``source`` stream (``*`` one token, ``>``
    the rest); one durable consumer ``gateway-<source>-<purpose>`` shared by the replicas.
    Every event the patterns take goes to ``handler`` (the catalogue still validates it)."""

    patterns: tuple[str, ...] = ()
    handler: Handler | None = None

    def handler_for(self, type_: str) -> Handler | None:
        return self.handler

    def config(self) -> ConsumerConfig:
        if not self.patterns or self.handler is None:
            raise ValueError(f"consumer {self.durable} has no subject patterns or no handler")
        many = len(self.patterns) > 1
        return ConsumerConfig(
            name=self.durable,
            durable_name=self.durable,
            description=f"{self.service} {self.purpose} read {self.source}",
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=self.backoff[0],
            max_deliver=self.max_deliver,
            backoff=list(self.backoff),
            filter_subject=None if many else self.patterns[0],
            filter_subjects=list(self.patterns) if many else None,
            max_ack_pending=self.max_ack_pending,
        )


def pattern_consumer(
    source: str,
    purpose: str,
    catalogue: EventCatalogue,
    patterns: tuple[str, ...],
    handler: Handler,
) -> Callable[[FastAPI], EventConsumer]:
    """Component factory: the gateway's consumer of ``source`` for ``purpose``."""

    def build(app: FastAPI) -> EventConsumer:
        spec = PatternSpec(
            service="gateway",
            source=source,
            purpose=purpose,
            catalogue=catalogue,
            patterns=patterns,
            handler=handler,
        )
        return EventConsumer.for_app(spec, app)

    return build
