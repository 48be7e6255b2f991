"""Event consumers: durable pull consumers whose handlers apply each event exactly once.

One :class:`EventConsumer` Component per (consuming service, source stream, purpose). Replicas
of a service share the durable consumer (same name), so each event goes to one of them.

For every message: validate it like external input (catalogue); in ONE write transaction
insert the inbox row and run the handler; acknowledge only after that commit. A redelivery
(lost ack, crash between commit and ack, a second replica) finds the inbox row and is just
acknowledged. A handler error is nak'ed with the configured backoff; on the last delivery,
and at once for malformed, unknown or forged events, the message becomes a dead letter
(``ys_dead_letters``) and is terminated, waiting for an admin to replay it.

nats-py pull subscriptions can stop receiving after a server restart (nats-io/nats.py#504): the
runner resubscribes after every reconnect, and when fetches keep timing out while the server
reports pending messages, or the consumer lookup itself fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Self

import orjson
from fastapi import FastAPI
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from prometheus_client import CollectorRegistry, Counter
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.db import Database
from yingshang.events.catalogue import EventCatalogue, EventRejected, ParsedEvent
from yingshang.events.envelope import CloudEvent
from yingshang.events.inbox import (
    Handler,
    apply_many,
    apply_once,
    record_dead_letter,
)
from yingshang.events.streams import NatsConnection, ensure_stream, stream_name
from yingshang.tasks import cancel_and_wait

log = logging.getLogger("yingshang.events.consumer")

PROBE_AFTER_IDLE_FETCHES = 5  # idle fetches before asking the server whether we are stuck


@dataclass
class ConsumerSpec:
    """What a consumer reads and how it reacts: ``handlers`` maps event type → handler."""

    service: str  # the consuming service, e.g. "ratings"
    source: str  # the producing service whose stream is read, e.g. "hotline"
    purpose: str  # why, e.g. "scorecards" (one durable consumer per purpose)
    catalogue: EventCatalogue
    handlers: dict[str, Handler] = field(default_factory=dict)
    max_deliver: int = 5
    backoff: tuple[float, ...] = (5.0, 30.0, 120.0, 600.0)  # redelivery delays, seconds
    batch: int = 64
    fetch_seconds: float = 2.0
    max_ack_pending: int = 1000

    @property
    def durable(self) -> str:
        return f"{self.service}-{self.source}-{self.purpose}"

    @property
    def stream(self) -> str:
        return stream_name(self.source)

    def on(self, type_: str) -> Callable[[Handler], Handler]:
        """Decorator: ``@spec.on("ys.hotline.ticket.closed")`` registers a handler."""

        def register(handler: Handler) -> Handler:
            self.add(type_, handler)
            return handler

        return register

    def handler_for(self, type_: str) -> Handler | None:
        """The handler of events of ``type_`` (``None``: this consumer does not take them)."""
        return self.handlers.get(type_)

    def add(self, type_: str, handler: Handler) -> None:
        if type_ not in self.catalogue:
            raise ValueError(f"{type_} is not in the catalogue")
        if not type_.startswith(f"ys.{self.source}."):
            raise ValueError(f"{type_} is not on stream {self.stream}")
        self.handlers[type_] = handler

    def config(self) -> ConsumerConfig:
        if not self.handlers:
            raise ValueError(f"consumer {self.durable} has no handlers")
        # JetStream refuses a backoff list as long as max_deliver or longer.
        if self.max_deliver <= len(self.backoff):
            raise ValueError("max_deliver must exceed the number of backoff steps")
        subjects = sorted(self.handlers)
        return ConsumerConfig(
            name=self.durable,
            durable_name=self.durable,
            description=f"{self.service} reads {self.source} for {self.purpose}",
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=self.backoff[0],
            max_deliver=self.max_deliver,
            backoff=list(self.backoff),
            filter_subject=subjects[0] if len(subjects) == 1 else None,
            filter_subjects=subjects if len(subjects) > 1 else None,
            max_ack_pending=self.max_ack_pending,
        )

    def delay_after(self, deliveries: int) -> float:
        return self.backoff[min(max(deliveries, 1), len(self.backoff)) - 1]


def running_specs(app: FastAPI) -> dict[str, ConsumerSpec]:
    """The specs of the consumers built for ``app`` so far, by durable name (filled by
    :meth:`EventConsumer.for_app`): consumers built at start-up from settings (the gateway's
    per source stream) are known here, not to a list written down beforehand."""
    specs: dict[str, ConsumerSpec] | None = getattr(app.state, "consumer_specs", None)
    if specs is None:
        specs = app.state.consumer_specs = {}
    return specs


class ConsumerMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        labels = ["consumer"]
        self.processed = Counter("ys_events_processed", "Events applied", labels, registry=registry)
        self.duplicates = Counter(
            "ys_events_duplicates", "Redeliveries absorbed by the inbox", labels, registry=registry
        )
        self.retried = Counter(
            "ys_events_retried", "Handler failures nak'ed for retry", labels, registry=registry
        )
        self.dead = Counter(
            "ys_events_dead_letters", "Events dead-lettered", labels, registry=registry
        )


_METRICS: weakref.WeakKeyDictionary[CollectorRegistry, ConsumerMetrics] = (
    weakref.WeakKeyDictionary()
)


def consumer_metrics(registry: CollectorRegistry) -> ConsumerMetrics:
    """One set of labelled counters per registry, shared by all consumers of an app."""
    if registry not in _METRICS:
        _METRICS[registry] = ConsumerMetrics(registry)
    return _METRICS[registry]


AfterCommit = Callable[[CloudEvent], Awaitable[None]]


@dataclass(slots=True)
class Verdict:
    """What to tell JetStream about one message once the transaction has committed."""

    msg: Msg
    action: Literal["ack", "nak", "term"]
    event: CloudEvent | None = None
    applied: bool = False
    reason: str = ""
    delay: float = 0.0


class EventConsumer:
    """A Component running one :class:`ConsumerSpec` against the service database."""

    def __init__(
        self,
        spec: ConsumerSpec,
        db: Database,
        nats: NatsConnection,
        *,
        registry: CollectorRegistry | None = None,
        before_ack: AfterCommit | None = None,
    ) -> None:
        self.spec, self.db, self.nats = spec, db, nats
        self.name = f"consumer:{spec.durable}"
        self.metrics = consumer_metrics(registry or CollectorRegistry())
        # Fault injection for tests: runs after the commit, before the ack.
        self.before_ack = before_ack
        self.processed = self.duplicates = self.dead_letters = self.subscriptions = 0
        self.subscribed = False
        self.last_error: str | None = None
        self._task: asyncio.Task[None] | None = None

    @classmethod
    def factory(cls, spec: ConsumerSpec) -> Callable[[FastAPI], EventConsumer]:
        def build(app: FastAPI) -> EventConsumer:
            return cls.for_app(spec, app)

        return build

    @classmethod
    def for_app(cls, spec: ConsumerSpec, app: FastAPI) -> Self:
        """The consumer of ``spec`` on the app's database, NATS and metrics, its spec listed
        in :func:`running_specs` (the dead letters' replay finds its handlers there)."""
        running_specs(app)[spec.durable] = spec
        return cls(spec, app.state.db, app.state.nats, registry=app.state.metrics.registry)

    async def start(self, app: FastAPI | None = None) -> None:
        self.spec.config()  # refuse a bad spec at start-up, not at the first message
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        await cancel_and_wait([self._task])

    def readiness(self) -> dict[str, Any]:
        running = self._task is not None and not self._task.done()
        report: dict[str, Any] = {
            "ok": running,
            "subscribed": self.subscribed,
            "processed": self.processed,
            "dead_letters": self.dead_letters,
        }
        if self.nats.is_connected and not self.subscribed:
            report["warnings"] = [f"{self.spec.durable} not subscribed ({self.last_error})"]
        return report

    async def _run(self) -> None:
        pause = 0.5
        while True:
            await self.nats.connected.wait()
            try:
                sub = await self._subscribe()
            except Exception as exc:  # stream or consumer API not ready yet: try again
                self._note(exc)
                await asyncio.sleep(pause)
                pause = min(pause * 2, 15.0)
                continue
            pause = 0.5
            try:
                await self._consume(sub)
            finally:
                self.subscribed = False
                with contextlib.suppress(Exception):
                    await sub.unsubscribe()

    async def _subscribe(self) -> JetStreamContext.PullSubscription:
        js = self.nats.js
        await ensure_stream(js, self.spec.source, self.nats.replicas)
        await js.add_consumer(self.spec.stream, config=self.spec.config())
        sub = await js.pull_subscribe_bind(durable=self.spec.durable, stream=self.spec.stream)
        self.subscribed, self.last_error = True, None
        self.subscriptions += 1
        log.info("consumer %s subscribed (#%d)", self.spec.durable, self.subscriptions)
        return sub

    async def _consume(self, sub: JetStreamContext.PullSubscription) -> None:
        """Fetch and handle until the connection changes or the subscription looks dead."""
        generation, idle = self.nats.generation, 0
        while self.nats.generation == generation:
            try:
                messages = await sub.fetch(self.spec.batch, timeout=self.spec.fetch_seconds)
            except TimeoutError:
                idle += 1
                if idle % PROBE_AFTER_IDLE_FETCHES == 0 and await self._stuck(sub):
                    return
                continue
            except Exception as exc:  # connection closed or reconnecting: resubscribe
                self._note(exc)
                await asyncio.sleep(0.2)
                return
            idle = 0
            try:
                await self.handle(messages)
            except Exception as exc:  # e.g. database down: nothing acked, so redelivered later
                self._note(exc)

    async def _stuck(self, sub: JetStreamContext.PullSubscription) -> bool:
        try:
            info = await sub.consumer_info()
        except Exception as exc:  # consumer gone or API unreachable: start over
            self._note(exc)
            return True
        # Undelivered messages while our pulls keep timing out: the subscription went deaf.
        # (Messages waiting for a nak'ed redelivery count as ack-pending and come back alone.)
        pending = info.num_pending or 0
        if pending:
            log.warning("consumer %s idle with %d pending: resubscribing", self.name, pending)
        return pending > 0

    async def handle(self, messages: list[Msg]) -> None:
        """Apply a fetched batch in ONE write transaction, commit, then ack each message:
        nothing is acknowledged before its effects commit. If anything in the batch fails,
        it is redone message by message (a savepoint each), so one bad event holds up no other;
        a handler may then run twice for one delivery, which is harmless because its effects
        live only in the session that was rolled back.
        """
        verdicts: list[Verdict] = []
        if len(messages) > 1:
            try:
                async with self.db.write() as session:
                    verdicts = await self._decide_batch(session, messages)
            except Exception:  # a handler failed or a replica raced us: one by one instead
                verdicts = []
        if not verdicts:
            async with self.db.write() as session:
                verdicts = [await self._decide(session, msg) for msg in messages]
        for verdict in verdicts:
            await self._finish(verdict)

    async def _decide_batch(self, session: AsyncSession, messages: list[Msg]) -> list[Verdict]:
        verdicts: list[Verdict | None] = []
        items: list[tuple[ParsedEvent, Handler]] = []
        for msg in messages:
            try:
                parsed = self.spec.catalogue.parse(msg.data, subject=msg.subject)
                items.append((parsed, self._handler_for(parsed)))
                verdicts.append(None)
            except EventRejected as exc:
                verdicts.append(await self._reject(session, msg, exc))
        applied = iter(await apply_many(session, self.spec.durable, items))
        events = iter(items)
        return [
            v or Verdict(m, "ack", event=next(events)[0].event, applied=next(applied))
            for m, v in zip(messages, verdicts, strict=True)
        ]

    async def _reject(self, session: AsyncSession, msg: Msg, exc: EventRejected) -> Verdict:
        reason = f"{exc.kind}: {exc.reason}"
        await self._dead_letter(session, msg, reason, msg.metadata.num_delivered or 1)
        return Verdict(msg, "term", reason=reason)

    async def _decide(self, session: AsyncSession, msg: Msg) -> Verdict:
        deliveries = msg.metadata.num_delivered or 1
        try:
            parsed = self.spec.catalogue.parse(msg.data, subject=msg.subject)
            handler = self._handler_for(parsed)
        except EventRejected as exc:
            return await self._reject(session, msg, exc)
        try:
            async with session.begin_nested():
                applied = await apply_once(session, self.spec.durable, parsed, handler)
        except IntegrityError:
            # Another replica committed the same event first (inbox primary key).
            return Verdict(msg, "ack", event=parsed.event, applied=False)
        except Exception as exc:  # the handler failed: its savepoint is rolled back
            return await self._failed(session, msg, parsed, exc, deliveries)
        return Verdict(msg, "ack", event=parsed.event, applied=applied)

    def _handler_for(self, parsed: ParsedEvent) -> Handler:
        handler = self.spec.handler_for(parsed.event.type)
        if handler is None:
            raise EventRejected(f"no handler for {parsed.event.type}", kind="unknown")
        return handler

    async def _failed(
        self, session: AsyncSession, msg: Msg, parsed: ParsedEvent, exc: Exception, deliveries: int
    ) -> Verdict:
        reason = f"handler failed: {type(exc).__name__}: {exc}"
        if deliveries >= self.spec.max_deliver:
            await self._dead_letter(session, msg, reason, deliveries, event_id=parsed.event.id)
            return Verdict(msg, "term", reason=reason)
        return Verdict(msg, "nak", reason=reason, delay=self.spec.delay_after(deliveries))

    async def _dead_letter(
        self,
        session: AsyncSession,
        msg: Msg,
        reason: str,
        deliveries: int,
        event_id: str | None = None,
    ) -> None:
        await record_dead_letter(
            session,
            consumer=self.spec.durable,
            subject=msg.subject,
            raw=msg.data,
            reason=reason,
            attempts=deliveries,
            event_id=event_id or _loose_id(msg),
            stream_seq=msg.metadata.sequence.stream,
        )

    async def _finish(self, verdict: Verdict) -> None:
        msg, durable = verdict.msg, self.spec.durable
        if verdict.action == "ack":
            self._count(verdict.applied)
            if self.before_ack is not None and verdict.event is not None:
                await self.before_ack(verdict.event)
            await msg.ack()
        elif verdict.action == "nak":
            log.warning("consumer %s: %s (retry in %.1fs)", durable, verdict.reason, verdict.delay)
            self.metrics.retried.labels(durable).inc()
            await msg.nak(delay=verdict.delay)
        else:
            self.dead_letters += 1
            self.metrics.dead.labels(durable).inc()
            log.error("consumer %s dead-lettered %s: %s", durable, msg.subject, verdict.reason)
            await msg.term()

    def _count(self, applied: bool) -> None:
        if applied:
            self.processed += 1
            self.metrics.processed.labels(self.spec.durable).inc()
        else:
            self.duplicates += 1
            self.metrics.duplicates.labels(self.spec.durable).inc()

    def _note(self, exc: BaseException) -> None:
        first = self.last_error is None
        self.last_error = f"{type(exc).__name__}: {exc}"
        level = logging.WARNING if first else logging.DEBUG
        log.log(level, "consumer %s: %s", self.spec.durable, self.last_error)


def _loose_id(msg: Msg) -> str | None:
    """The event id of a message that failed validation, if it can be told at all."""
    header = (msg.headers or {}).get("Nats-Msg-Id")
    if header:
        return header[:64]
    with contextlib.suppress(Exception):
        value = orjson.loads(msg.data).get("id")
        if isinstance(value, str):
            return value[:64]
    return None
