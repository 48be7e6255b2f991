"""B3: event latency, a 12345 return visit committed → its rating row committed in svc-ratings.

Standalone: ``python bench/b3_event_latency.py [--rate 200] [--seconds 10]``.
Starts a nats-server (JetStream) on a free port, svc-ratings in-process with its real
components (consumers, relay, sweeper) on a fresh SQLite database, and a producer standing in
for svc-hotline in a process of its own: its migrated database, its outbox and the real outbox
relay. The producer commits ``ys.hotline.ticket.revisited`` events at ``--rate`` per second;
the latency of each is from the producer's commit to the commit of the rating row (taken after
that commit, just before the consumer acknowledges the message), both on the wall clock of
this machine. Targets: p50 ≤ 10 ms, p99 ≤ 50 ms at 200/s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import shutil
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from yingshang.db import Database
from yingshang.events.consumer import EventConsumer
from yingshang.events.envelope import CloudEvent, make_event
from yingshang.events.outbox import enqueue
from yingshang.events.relay import OutboxRelay
from yingshang.events.streams import NatsConnection
from yingshang.migrate import upgrade
from yingshang.testing.nats import NatsProcess
from yingshang.testing.tokens import TestIssuer
from ys_ratings.app import SERVICE_DIR, create_app
from ys_ratings.ratings.models import Rating
from ys_ratings.settings import Settings

PRODUCER_DIR = Path(__file__).resolve().parents[1] / "svc-ratings" / "tests" / "producer"
REVISITED = "ys.hotline.ticket.revisited"
DURABLE = "ratings-hotline-ratings"


def revisit(n: int) -> dict[str, Any]:
    return {
        "case_id": str(uuid.uuid4()),
        "case_number": f"RX20261015-{n:05d}",
        "department": "SCJGJ",
        "origin_client": None,
        "level": 5 if n % 50 else 2,
        "staff_no": "RX1001",
        "comment": None,
        "revisited_at": "2026-10-15T02:00:00Z",
        "rater_type": "person",
    }


class Producer:
    def __init__(self, url: str, nats_url: str) -> None:
        self.db = Database(url)
        self.nats = NatsConnection(nats_url, service="hotline")
        self.relay = OutboxRelay(self.db, self.nats, poll_seconds=0.5)
        self.db.on_commit(self.relay.wake)
        self.committed: dict[str, float] = {}

    async def start(self) -> None:
        await self.nats.start()
        await self.nats.wait_connected(30)
        await self.relay.start()

    async def stop(self) -> None:
        await self.relay.stop()
        await self.nats.stop()
        await self.db.dispose()

    async def send(self, n: int) -> None:
        event = make_event("hotline", REVISITED, revisit(n), subject=f"ticket/{n}")
        async with self.db.write() as session:
            await enqueue(session, event)
        self.committed[event.id] = time.time()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Arrivals:
    """Commit times of rating rows by event id; ``wait`` until ``expected`` have arrived."""

    def __init__(self) -> None:
        self.at: dict[str, float] = {}
        self.expected = 0
        self.complete = asyncio.Event()

    async def committed(self, event: CloudEvent) -> None:
        self.at.setdefault(event.id, time.time())
        if len(self.at) >= self.expected:
            self.complete.set()

    async def wait(self, expected: int, within: float) -> None:
        self.expected = expected
        if len(self.at) < expected:
            self.complete.clear()
            await asyncio.wait_for(self.complete.wait(), within)


async def produce(url: str, nats_url: str, rate: float, count: int) -> dict[str, Any]:
    """The producer process: warm up, then commit ``count`` events at ``rate`` per second."""
    producer = Producer(url, nats_url)
    await producer.start()
    try:
        await producer.send(-1)
        await asyncio.sleep(5)  # the warm-up event reaches svc-ratings (streams, consumers)
        producer.committed.clear()
        began = time.perf_counter()
        for n in range(count):
            await asyncio.sleep(max(0.0, began + n / rate - time.perf_counter()))
            await producer.send(n)
        sent_in = time.perf_counter() - began
        await asyncio.sleep(1)  # let the relay publish the tail
    finally:
        await producer.stop()
    return {"committed": producer.committed, "sent_in": sent_in}


def producer_process(url: str, nats_url: str, rate: float, count: int, out: Any) -> None:
    out.send(asyncio.run(produce(url, nats_url, rate, count)))
    out.close()


async def run(scratch: Path, nats_url: str, rate: float, seconds: float) -> None:
    ratings_url = f"sqlite:///{scratch / 'ratings.sqlite3'}"
    producer_url = f"sqlite:///{scratch / 'hotline.sqlite3'}"
    upgrade(SERVICE_DIR, ratings_url)
    upgrade(PRODUCER_DIR, producer_url)
    settings = Settings(
        env="test",
        database_url=ratings_url,
        var_dir=scratch,
        nats_url=nats_url,
        notify_channel="off",
    )
    app = create_app(settings)
    app.state.verifier = TestIssuer().verifier()
    arrivals = Arrivals()
    count = int(rate * seconds)
    async with app.router.lifespan_context(app):
        [consumer] = [
            c
            for c in app.state.components
            if isinstance(c, EventConsumer) and c.spec.durable == DURABLE
        ]
        consumer.before_ack = arrivals.committed
        receive, send = multiprocessing.get_context("spawn").Pipe(duplex=False)
        child = multiprocessing.get_context("spawn").Process(
            target=producer_process, args=(producer_url, nats_url, rate, count, send)
        )
        child.start()
        result = await asyncio.to_thread(receive.recv)
        await asyncio.to_thread(child.join)
        with contextlib.suppress(TimeoutError):  # report what arrived, and what did not
            await arrivals.wait(count + 1, 60)
        async with app.state.db.read() as session:
            rows = int(await session.scalar(select(func.count()).select_from(Rating)) or 0)
    report(result["committed"], arrivals.at, rate, result["sent_in"], rows)


def report(
    committed: dict[str, float], done: dict[str, float], rate: float, sent_in: float, rows: int
) -> None:
    latencies = [(done[k] - t) * 1000 for k, t in committed.items() if k in done]
    missing = len(committed) - len(latencies)
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    verdict = "met" if p50 <= 10 and p99 <= 50 else "missed"
    sent = len(committed)
    print(
        f"sent {sent:,} revisits in {sent_in:.1f} s ({sent / sent_in:,.0f}/s), "
        f"{rows:,} rating rows (incl. warm-up), {missing} never arrived"
    )
    print(
        f"B3 revisit committed → rating committed at {rate:g}/s: p50 {p50:.1f} ms, "
        f"p90 {percentile(latencies, 90):.1f} ms, p99 {p99:.1f} ms, "
        f"max {max(latencies):.1f} ms, mean {statistics.mean(latencies):.1f} ms "
        f"(targets p50 ≤ 10 ms, p99 ≤ 50 ms) {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--rate", type=float, default=200.0, help="events per second")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="ys-b3-"))
    nats = NatsProcess(scratch / "nats" / "store").start()
    print(f"B3 event latency (SQLite, nats-server {nats.url})")
    try:
        asyncio.run(run(scratch, nats.url, args.rate, args.seconds))
    finally:
        nats.stop()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
