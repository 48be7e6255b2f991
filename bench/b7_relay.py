"""B7: outbox relay throughput — drain a 100,000-event backlog into JetStream.

Standalone: ``python bench/b7_relay.py [--events 100000] [--postgres URL]``. It migrates a fresh
database (the event tests' sample service), writes the backlog straight into ``ys_outbox``,
starts its own nats-server on a free port, and times ``OutboxRelay.drain()`` until every row is
sent, then checks the stream holds exactly that many messages. Prints figures; asserts nothing
else (target: >= 10,000 events/s on the 2-core reference machine).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

import orjson
from sqlalchemy import insert

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "shared" / "tests" / "eventprocs"))

import sample  # noqa: E402
from load import figure  # noqa: E402

from yingshang.db import Database  # noqa: E402
from yingshang.events.envelope import make_event  # noqa: E402
from yingshang.events.outbox import OutboxEvent  # noqa: E402
from yingshang.events.relay import OutboxRelay  # noqa: E402
from yingshang.events.streams import NatsConnection, stream_name  # noqa: E402
from yingshang.testing.nats import NatsProcess  # noqa: E402


async def write_backlog(db: Database, events: int, cases: int) -> float:
    started = time.perf_counter()
    chunk = 5000
    for first in range(0, events, chunk):
        rows = [_row(n, cases) for n in range(first, min(first + chunk, events))]
        async with db.write() as session:
            await session.execute(insert(OutboxEvent), rows)
    return time.perf_counter() - started


def _row(n: int, cases: int) -> dict[str, object]:
    event = make_event(
        "sample",
        sample.OPENED,
        sample.CaseOpened(case_number=f"C{n % cases}", n=n // cases),
        subject=f"C{n % cases}",
    )
    payload = orjson.loads(event.to_json())
    return {
        "event_id": event.id,
        "subject": event.type,
        "case_key": event.subject,
        "payload": payload,
        "attempts": 0,
    }


async def run(events: int, cases: int, batch: int, db_url: str | None) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="b7-"))
    url = db_url or f"sqlite:///{workdir}/outbox.sqlite3"
    await asyncio.to_thread(sample.migrate, url)
    db = Database(url)
    server = NatsProcess(workdir / "nats").start()
    nats = NatsConnection(server.url, service="sample")
    try:
        await nats.start()
        await nats.wait_connected(30)
        seconds = await write_backlog(db, events, cases)
        print(f"backlog: {events:,} events over {cases:,} cases written in {seconds:.1f} s")
        relay = OutboxRelay(db, nats, batch_size=batch)
        started, cpu = time.perf_counter(), time.process_time()
        sent = await relay.drain()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        info = await nats.js.stream_info(stream_name("sample"))
        backend = "SQLite" if db.is_sqlite else "PostgreSQL"
        print(f"drained: {sent:,} events in {elapsed:.2f} s (batch {batch}, {backend})")
        # The machine is shared: show what the relay process itself spent, and the load.
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"relay process CPU {cpu:.2f} s ({cpu / sent * 1e6:.0f} µs/event); load {load}")
        label = f"relay drain of a {events:,}-event backlog ({backend})"
        print(figure("B7", label, sent / elapsed, "events/s", target=10_000))
        print(f"stream {stream_name('sample')}: {info.state.messages:,} messages; "
              f"duplicates flagged {relay.duplicates}; failures {relay.failures}")  # fmt: skip
    finally:
        await nats.stop()
        await db.dispose()
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=25_000, help="distinct case keys")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--postgres", help="database URL instead of a temporary SQLite file")
    args = parser.parse_args()
    asyncio.run(run(args.events, args.cases, args.batch, args.postgres))


if __name__ == "__main__":
    main()
