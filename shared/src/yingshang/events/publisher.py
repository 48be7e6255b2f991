"""Pipelined JetStream publishing: a whole batch in flight, PubAcks matched by reply subject.

nats-py's ``publish_async`` spends a task and a timer per message on its pending-limit
semaphore; the relay already bounds what is in flight (one batch), so it publishes with plain
``nc.publish`` and a reply subject per message, and collects the PubAcks on one subscription.
Message order on one connection is preserved, so a batch lands in the stream in seq order.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass

import orjson
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.errors import BadHeaderError, BadSubjectError, MaxPayloadError

# Refusals of one message (the client will never send it as it is); any other publish error
# is the connection's, and leaves the rest of the batch unacknowledged.
MESSAGE_ERRORS = (MaxPayloadError, BadSubjectError, BadHeaderError)
NO_RESPONDERS = "503"  # status header: no stream listens on the subject (or JetStream is down)


@dataclass(frozen=True, slots=True)
class Outgoing:
    subject: str
    body: bytes
    msg_id: str  # Nats-Msg-Id: JetStream drops a repeat inside the duplicate window


@dataclass(frozen=True, slots=True)
class Ack:
    """A PubAck: stored (``duplicate`` if it was a repeat) or refused with ``error``."""

    duplicate: bool = False
    error: str | None = None
    transient: bool = False  # a refusal worth retrying soon (JetStream unavailable)


async def publish_batch(
    nc: NatsClient, batch: Sequence[Outgoing], seconds: float
) -> list[Ack | None]:
    """Publish ``batch``; each entry's PubAck, or None when none came within ``seconds``."""
    acks: list[Ack | None] = [None] * len(batch)
    prefix = nc.new_inbox()
    received = 0
    done = asyncio.Event()

    async def on_ack(msg: Msg) -> None:
        nonlocal received
        index = int(msg.subject[len(prefix) + 1 :])
        if acks[index] is None:
            acks[index] = _ack(msg)
            received += 1
            if received == len(batch):
                done.set()

    sub = await nc.subscribe(f"{prefix}.*", cb=on_ack, pending_msgs_limit=len(batch) + 64)
    try:
        for index, message in enumerate(batch):
            try:
                await nc.publish(
                    message.subject,
                    message.body,
                    reply=f"{prefix}.{index}",
                    headers={"Nats-Msg-Id": message.msg_id},
                )
            except MESSAGE_ERRORS as exc:
                acks[index] = Ack(error=f"{type(exc).__name__}: {exc}")
                received += 1
            except Exception:  # closed or buffer full: nothing more goes out this time
                break
            if not nc.is_connected:
                break  # do not fill nats-py's reconnect buffer: the outbox keeps the rest
        if received == len(batch):
            done.set()
        await _wait_for_acks(nc, done, seconds)
    finally:
        with contextlib.suppress(Exception):
            await sub.unsubscribe()
    return acks


async def _wait_for_acks(nc: NatsClient, done: asyncio.Event, seconds: float) -> None:
    """Until every PubAck is in, ``seconds`` pass, or the connection drops (then the missing
    acks will not come: return at once so an SQLite relay does not hold the write lock)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not done.is_set() and nc.is_connected:
        left = deadline - asyncio.get_running_loop().time()
        if left <= 0:
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(min(left, 0.1)):  # not wait_for: see Wakeup.wait
                await done.wait()


def _ack(msg: Msg) -> Ack:
    status = (msg.headers or {}).get("Status")
    if status == NO_RESPONDERS:
        return Ack(error="no stream responded (503)", transient=True)
    try:
        reply = orjson.loads(msg.data)
    except orjson.JSONDecodeError:
        return Ack(error=f"unreadable PubAck: {msg.data[:80]!r}", transient=True)
    error = reply.get("error")
    if error:
        code = int(error.get("code", 0))
        return Ack(error=f"JetStream {code}: {error.get('description')}", transient=code == 503)
    return Ack(duplicate=bool(reply.get("duplicate")))
