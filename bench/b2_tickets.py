"""B2: ticket creation through the real path — hotline, SQLite, one uvicorn worker, c=16.

Standalone: ``python bench/b2_tickets.py [--seconds 20] [--concurrency 16] [--gateway URL]``.
It migrates a fresh SQLite database, starts its own nats-server on a free port and the hotline
under one uvicorn worker with every background part running (seed, NATS, outbox relay,
consumers, deadline sweeper), then creates tickets at the given concurrency: validation,
Idempotency-Key, dispatch-catalogue lookup, duplicate hints, the 办理 clock (deadline engine),
timeline and outbox — nothing skipped. Prints req/s and p50/p99; asserts nothing (target:
>= 1,000/s with p99 <= 50 ms). ``--gateway`` repeats the run through the gateway's proxy when
it answers.

Then, unless ``--no-floor``, the floor (``floor_app.py``, no target): the same route's plumbing
with the intake answered from memory, for at most 10 s, and how a ticket's server CPU splits
between that plumbing and the intake's own work.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from floor_app import FLOOR_PATH  # bench/ is on sys.path when run as a script
from load import figure

from yingshang.migrate import upgrade
from yingshang.processes import free_port, spawn, stop, wait_for_http
from yingshang.testing.nats import NatsProcess
from yingshang.testing.tokens import TestIssuer
from ys_hotline.app import SERVICE_DIR

BENCH = Path(__file__).resolve().parent

PATH = "/api/v1/hotline/tickets"
CATEGORIES = ["SCJG_FOOD", "ZJ_PROPERTY", "RS_WAGES", "JT_ROAD", "HJ_POLLUTION", "SW_WATER"]


def body(n: int) -> dict[str, object]:
    return {
        "type": "complaint",
        "category_code": CATEGORIES[n % len(CATEGORIES)],
        "title": f"反映问题 {n}",
        "content": f"第{n}号反映：小区附近施工噪音扰民，夜间十点后仍在作业，请相关部门处理。",
        "requester": {"name": "张三", "phone": f"138{n % 10_000_000:08d}"},
    }


async def worker(
    session: aiohttp.ClientSession, url: str, headers: dict[str, str], until: float,
    counter: list[int], latencies: list[float], errors: list[int],
) -> None:  # fmt: skip
    while time.perf_counter() < until:
        counter[0] += 1
        n = counter[0]
        started = time.perf_counter()
        key = {"Idempotency-Key": uuid.uuid4().hex}
        async with session.post(url, json=body(n), headers={**headers, **key}) as response:
            await response.read()
            if response.status != 201:
                errors.append(response.status)
        latencies.append(time.perf_counter() - started)


@dataclass
class Run:
    sent: int  # requests sent, warm-up included
    rate: float  # answered per second over the measured part
    p99: float  # milliseconds


async def load(
    url: str, headers: dict[str, str], seconds: float, concurrency: int, *, figures: bool = False
) -> Run:
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        counter, warm, errors = [0], [], []  # type: ignore[var-annotated]
        warm_until = time.perf_counter() + 2
        await asyncio.gather(*(worker(session, url, headers, warm_until, counter, warm, errors)
                               for _ in range(concurrency)))  # fmt: skip
        latencies: list[float] = []
        errors.clear()
        started = time.perf_counter()
        until = started + seconds
        await asyncio.gather(*(worker(session, url, headers, until, counter, latencies, errors)
                               for _ in range(concurrency)))  # fmt: skip
        elapsed = time.perf_counter() - started
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    rate = len(latencies) / elapsed
    print(f"{url}: {len(latencies):,} tickets in {elapsed:.1f} s = {rate:,.0f}/s "
          f"at c={concurrency}; p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
          f"max {latencies[-1] * 1000:.0f} ms; "
          f"errors {len(errors)}")  # fmt: skip
    if figures:
        label = f"ticket creation direct, c={concurrency}"
        print(figure("B2", label, rate, "req/s", 1000))
        print(figure("B2", f"{label}, p99", p99, "ms", 50, higher=False))
    return Run(counter[0], rate, p99)


def pending_events(db_file: Path) -> tuple[int, int]:
    with sqlite3.connect(db_file) as conn:
        total = conn.execute("SELECT count(*) FROM ys_outbox").fetchone()[0]
        unsent = conn.execute("SELECT count(*) FROM ys_outbox WHERE sent_at IS NULL").fetchone()[0]
    return total, unsent


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def profile(pid: int, out: str, seconds: float) -> subprocess.Popen[bytes]:
    """py-spy over the whole run (``--format raw``: collapsed stacks, one per line; ``--gil``:
    only the thread holding the GIL, i.e. where the CPU goes)."""
    spy = Path(sys.executable).parent / "py-spy"
    argv = [str(spy), "record", "--pid", str(pid), "--duration", str(int(seconds)), "--format",
            "raw", "--output", out, "--rate", "200", "--gil"]  # fmt: skip
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def prepare(
    work: Path, log_level: str = "WARNING"
) -> tuple[Path, NatsProcess, dict[str, str], dict[str, str]]:
    """A migrated hotline database and a nats-server of its own in ``work``: the database
    file, the nats-server, the service's environment and a clerk's request headers."""
    db_file = work / "hotline.sqlite3"
    upgrade(SERVICE_DIR, f"sqlite:///{db_file}")
    issuer = TestIssuer()
    jwks = issuer.write_jwks(work / "jwks.json")
    nats = NatsProcess(work / "nats").start()
    env = {"YS_HOTLINE_DATABASE_URL": f"sqlite:///{db_file}", "YS_JWKS_FILE": str(jwks),
           "YS_NATS_URL": nats.url, "YS_VAR_DIR": str(work), "YS_LOG_LEVEL": log_level}  # fmt: skip
    headers = issuer.headers(("HOTLINE_CENTER", "clerk"), staff_no="RX1001", ttl=3600)
    return db_file, nats, env, headers


def serve(factory: str, env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """One uvicorn worker serving ``factory`` (bench/ on its path) on a free port, ready."""
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", "--factory", factory, "--app-dir", str(BENCH),
            "--port", str(port), "--workers", "1", "--loop", "uvloop", "--http", "httptools",
            "--no-access-log", "--log-level", "warning"]  # fmt: skip
    server = spawn(argv, env=env, output=log.open("wb"))
    try:
        wait_for_http(f"http://127.0.0.1:{port}/readyz", timeout=60, proc=server)
    except BaseException:
        stop(server)
        raise
    return server, port


def floor(
    env: dict[str, str], headers: dict[str, str], work: Path, args: argparse.Namespace,
    ticket_cpu: float,
) -> None:  # fmt: skip
    """The same route's plumbing with the intake answered from memory (``floor_app.py``): what
    one worker reaches when the intake costs nothing, and so how a ticket's CPU splits."""
    server, port = serve("floor_app:create_floor_app", env, work / "floor.log")
    try:
        cpu_before = cpu_seconds(server.pid)
        url = f"http://127.0.0.1:{port}{FLOOR_PATH}"
        run = asyncio.run(load(url, headers, min(args.seconds, 10), args.concurrency))
        cpu = (cpu_seconds(server.pid) - cpu_before) / max(run.sent, 1)
    finally:
        stop(server)
    label = (
        f"floor (the intake route's plumbing, intake answered from memory), c={args.concurrency}"
    )
    print(figure("B2", label, run.rate, "req/s"))
    own = ticket_cpu - cpu
    print(f"B2 floor CPU: {cpu * 1e3:.2f} ms per request; the intake's own work "
          f"{own * 1e3:.2f} ms per ticket ({own / ticket_cpu * 100:.0f} % of a ticket's "
          f"{ticket_cpu * 1e3:.2f} ms)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--gateway", default=None, help="gateway base URL to repeat the run through"
    )
    parser.add_argument("--py-spy", default=None, help="record the server with py-spy (raw stacks)")
    parser.add_argument(
        "--no-floor", action="store_true", help="skip the floor run (floor_app.py) after B2"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="b2-"))
    db_file, nats, service_env, headers = prepare(work)
    env = {**os.environ, **service_env}
    try:
        server, port = serve("ys_hotline.app:create_app", env, work / "hotline.log")
        try:
            profiler = profile(server.pid, args.py_spy, args.seconds + 2) if args.py_spy else None
            cpu_before, wall_before = cpu_seconds(server.pid), time.perf_counter()
            url = f"http://127.0.0.1:{port}{PATH}"
            run = asyncio.run(load(url, headers, args.seconds, args.concurrency, figures=True))
            cpu = cpu_seconds(server.pid) - cpu_before
            wall = time.perf_counter() - wall_before
            ticket_cpu = cpu / max(run.sent, 1)
            share = f"{cpu / wall * 100:.0f} % of one core over the run, warm-up included"
            print(f"B2 server CPU: {ticket_cpu * 1e3:.2f} ms per ticket ({share})")
            if profiler is not None:
                profiler.wait()
            time.sleep(3)
            total, unsent = pending_events(db_file)
            print(f"B2 outbox: {total:,} events written, {unsent:,} not yet published 3 s after "
                  "the run")  # fmt: skip
            if args.gateway:
                try:
                    wait_for_http(f"{args.gateway}/healthz", timeout=5)
                    gateway_url = f"{args.gateway}{PATH}"
                    asyncio.run(load(gateway_url, headers, args.seconds, args.concurrency))
                except (TimeoutError, OSError) as exc:
                    print(f"gateway run skipped: {exc}")
        finally:
            stop(server)
        if not args.no_floor:
            floor(env, headers, work, args, ticket_cpu)
    finally:
        nats.stop()


if __name__ == "__main__":
    main()
