"""Helper programs of the multi-process event tests (one process = one service replica).

python run.py produce --db URL --nats URL --cases 1000 --rate 250
    writes cases (outbox rows) at ``rate`` per second while its relay publishes them;
    exits when every row is sent, printing the relay's counts as JSON.
python run.py relay --db URL --nats URL
    relays an existing outbox until nothing is left; prints the event ids it got PubAcks for.
python run.py consume --db URL --nats URL [--crash-after-commit K]
    runs the sample consumer until SIGTERM; with K, SIGKILLs itself after committing its
    K-th event and before acknowledging it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys

import sample
from sqlalchemy import func, select

from yingshang.db import Database
from yingshang.events.claims import Claimed
from yingshang.events.consumer import AfterCommit, EventConsumer
from yingshang.events.envelope import CloudEvent
from yingshang.events.outbox import OutboxEvent
from yingshang.events.relay import BatchOutcome, OutboxRelay
from yingshang.events.streams import NatsConnection


def say(**fields: object) -> None:
    print(json.dumps(fields), flush=True)


async def connect(url: str, service: str, streams: tuple[str, ...]) -> NatsConnection:
    nats = NatsConnection(url, service=service, streams=streams, reconnect_wait=0.25)
    await nats.start()
    await nats.wait_connected(60)
    return nats


async def drained(relay: OutboxRelay) -> bool:
    await relay.refresh_backlog()
    return relay.backlog_count == 0


async def produce(args: argparse.Namespace) -> None:
    db = Database(args.db)
    nats = await connect(args.nats, "sample", ("sample",))
    relay = OutboxRelay(db, nats, poll_seconds=0.2, batch_size=args.batch, ack_timeout=2.0)
    await relay.start()
    per_tick = max(1, args.rate // 20)
    for first in range(0, args.cases, per_tick):
        count = min(per_tick, args.cases - first)
        await sample.open_cases(db, first, count, events_per_case=args.events_per_case)
        await asyncio.sleep(0.05)
    while not await drained(relay):
        await asyncio.sleep(0.2)
    say(published=relay.published, duplicates=relay.duplicates, failures=relay.failures)
    await relay.stop()
    await nats.stop()


async def relay_only(args: argparse.Namespace) -> None:
    db = Database(args.db)
    nats = await connect(args.nats, "sample", ("sample",))
    relay = OutboxRelay(db, nats, poll_seconds=0.05, batch_size=args.batch)
    acked: list[str] = []

    async def remember(rows: list[Claimed], outcome: BatchOutcome) -> None:
        sent = set(outcome.sent)
        acked.extend(r.event_id for r in rows if r.seq in sent)

    relay.on_published = remember
    await relay.start()
    say(ready=True)
    while await sent_rows(db) < args.expect:
        await asyncio.sleep(0.1)
    say(owner=relay.owner, published=relay.published, duplicates=relay.duplicates, acked=acked)
    await relay.stop()
    await nats.stop()


async def sent_rows(db: Database) -> int:
    async with db.read() as session:
        count = await session.scalar(
            select(func.count()).select_from(OutboxEvent).where(OutboxEvent.sent_at.isnot(None))
        )
    return int(count or 0)


async def consume(args: argparse.Namespace) -> None:
    db = Database(args.db)
    nats = await connect(args.nats, "sink", ())
    spec = sample.consumer_spec(args.purpose, backoff=(1.0, 1.0), max_deliver=5)
    consumer = EventConsumer(spec, db, nats, before_ack=_crash_hook(args.crash_after_commit))
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await consumer.start()
    say(ready=True, pid=os.getpid())
    await stop.wait()
    await consumer.stop()
    await nats.stop()
    say(processed=consumer.processed, duplicates=consumer.duplicates)


def _crash_hook(after: int | None) -> AfterCommit | None:
    if after is None:
        return None
    seen = 0

    async def crash(event: CloudEvent) -> None:
        nonlocal seen
        seen += 1
        if seen == after:
            say(crashing_after=event.id)
            os.kill(os.getpid(), signal.SIGKILL)  # committed, never acknowledged

    return crash


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["produce", "relay", "consume"])
    parser.add_argument("--db", required=True)
    parser.add_argument("--nats", required=True)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=250)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--events-per-case", type=int, default=1)
    parser.add_argument("--purpose", default="effects")
    parser.add_argument("--crash-after-commit", type=int)
    parser.add_argument("--expect", type=int, default=0, help="relay: stop once this many are sent")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    command = {"produce": produce, "relay": relay_only, "consume": consume}[args.command]
    asyncio.run(command(args))


if __name__ == "__main__":
    main()
