"""Reading back what a stream still holds: a read model recomputed from its events.

A service's durable consumers apply each event once, as it arrives. When a rule of the read
model changes, the rows written under the old rule are recomputed from the events the
producer's stream still holds (``streams.MAX_AGE_SECONDS``: older ones are gone). A
:class:`Readback` reads them oldest first through an ephemeral consumer of its own: nothing
is acknowledged, no durable consumer moves, no inbox row is written, so the service's own
consumers go on as before. Each event is validated as the consumers validate their input
(the same catalogue); one refused is skipped and its reason kept in :attr:`Readback.refused`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, Iterable
from dataclasses import dataclass, field

from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from yingshang.events.catalogue import EventCatalogue, EventRejected, ParsedEvent
from yingshang.events.streams import stream_name

BATCH = 500
FETCH_SECONDS = 2.0
# The server drops the ephemeral consumer this long after its reader went away (a reader
# stopped halfway leaves nothing behind).
INACTIVE_SECONDS = 120.0


@dataclass
class Readback:
    """The events of ``types`` (event types, i.e. subjects) still held in the stream of
    ``source``, in the stream's order (per case, the order they happened in)."""

    js: JetStreamContext
    source: str
    catalogue: EventCatalogue
    types: Iterable[str]
    refused: list[str] = field(default_factory=list)

    def config(self) -> ConsumerConfig:
        subjects = sorted(set(self.types))
        if not subjects:
            raise ValueError("a read-back needs at least one event type")
        return ConsumerConfig(
            description=f"read-back of {self.source}",
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.NONE,
            filter_subject=subjects[0] if len(subjects) == 1 else None,
            filter_subjects=subjects if len(subjects) > 1 else None,
            inactive_threshold=INACTIVE_SECONDS,
            mem_storage=True,
        )

    async def events(self) -> AsyncGenerator[ParsedEvent, None]:
        """Every matching event from the oldest the stream holds to the newest when the
        reading catches up; events published meanwhile are read too. A stream not made yet
        (its producer never started) holds none. A reader that may stop early closes it
        (``contextlib.aclosing``) so its consumer goes at once."""
        config = self.config()
        first = config.filter_subject or (config.filter_subjects or [""])[0]
        stream = stream_name(self.source)
        try:
            sub = await self.js.pull_subscribe(first, stream=stream, config=config)
        except NotFoundError:
            return
        try:
            while True:
                try:
                    batch = await sub.fetch(BATCH, timeout=FETCH_SECONDS)
                except TimeoutError:  # nats-py raises its own subclass, or the builtin
                    batch = []
                for msg in batch:
                    try:
                        yield self.catalogue.parse(msg.data, subject=msg.subject)
                    except EventRejected as exc:
                        where = f"{msg.subject} #{msg.metadata.sequence.stream}"
                        self.refused.append(f"{where}: {exc.kind}: {exc.reason}")
                if batch and batch[-1].metadata.num_pending == 0:
                    return
                if not batch and not (await sub.consumer_info()).num_pending:
                    return
        finally:
            info = None
            with contextlib.suppress(Exception):
                info = await sub.consumer_info()
            with contextlib.suppress(Exception):
                await sub.unsubscribe()
            if info is not None:
                with contextlib.suppress(Exception):
                    await self.js.delete_consumer(stream, info.name)
