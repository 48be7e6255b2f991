"""B6: memory of every service and the gateway after the B2 load, on the stack ``make run`` starts.

Standalone: ``python bench/b6_memory.py [--seconds 20] [--concurrency 16]``.
Starts the whole system as ``make run`` does (supervisor, embedded nats-server, migrations, seed,
five services and the gateway; free ports, a scratch ``var/``), logs in as the demo hotline
operator through the gateway (password grant), creates tickets through the gateway at the given
concurrency (the B2 path behind the gateway: its figure is B2's "via gateway"), reads each
service's lists once, waits for the relays to drain, and prints the resident set size (VmRSS)
of each process. Target: each service and the gateway ≤ 150 MB RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp
import httpx
from b2_tickets import PATH, body, cpu_seconds  # bench/ is on sys.path when run as a script
from load import figure

from yingshang.settings import DEMO_PASSWORD
from yingshang.testing.stack import FAST_PASSWORDS, SupervisedStack

ROOT = Path(__file__).resolve().parents[1]
TARGET_MB = 150.0
READS = [
    "/api/v1/hotline/tickets?limit=50",
    "/api/v1/approvals/applications?limit=50",
    "/api/v1/complaints/cases?limit=50",
    "/api/v1/visits/problems?limit=50",
    "/api/v1/ratings/ratings?limit=50",
]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def login(base: str, username: str) -> dict[str, str]:
    form = {"grant_type": "password", "username": username, "password": DEMO_PASSWORD}
    response = httpx.post(f"{base}/auth/token", data=form, timeout=30)
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def create_tickets(
    url: str, headers: dict[str, str], seconds: float, concurrency: int
) -> tuple[int, list[float], int]:
    latencies: list[float] = []
    errors = 0
    counter = 0
    until = time.perf_counter() + seconds

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal counter, errors
        while time.perf_counter() < until:
            counter += 1
            started = time.perf_counter()
            extra = {"Idempotency-Key": uuid.uuid4().hex}
            async with session.post(url, json=body(counter), headers={**headers, **extra}) as r:
                await r.read()
                if r.status != 201:
                    errors += 1
                    continue
            latencies.append(time.perf_counter() - started)

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    return len(latencies), latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="b6-"))
    stack = SupervisedStack(ROOT, scratch / "var", extra_env=FAST_PASSWORDS)
    stack.start()
    try:
        base = stack.url("gateway")
        pids = {name: pid for name, pid in stack.child_pids().items() if name != "nats"}
        before = {name: rss_mb(pid) for name, pid in pids.items()}
        operator, bureau = login(base, "operator"), login(base, "bureau")
        url = f"{base}{PATH}"
        asyncio.run(create_tickets(url, operator, 2.0, args.concurrency))  # warm-up, as B2's
        cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        cpu_before["load generator (this process)"] = time.process_time()
        started = time.perf_counter()
        created, latencies, errors = asyncio.run(
            create_tickets(url, operator, args.seconds, args.concurrency)
        )
        elapsed = time.perf_counter() - started
        cpu = {name: cpu_seconds(pid) - cpu_before[name] for name, pid in pids.items()}
        generator = "load generator (this process)"
        cpu[generator] = time.process_time() - cpu_before[generator]
        latencies.sort()
        p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1e3 if latencies else 0.0
        rate = created / elapsed
        label = f"ticket creation via the gateway, c={args.concurrency}"
        print(f"{figure('B2', label, rate, 'req/s', 600)}; p99 {p99:.0f} ms, errors {errors}")
        shares = ", ".join(
            f"{name} {seconds / max(created, 1) * 1e3:.2f} ms ({seconds / elapsed * 100:.0f} %)"
            for name, seconds in sorted(cpu.items(), key=lambda item: -item[1])
        )
        print(f"B2 via the gateway, CPU per ticket (share of one core): {shares}")
        with httpx.Client(base_url=base, headers=bureau, timeout=30) as client:
            for path in READS:
                client.get(path)
        time.sleep(3)  # relays, consumers and sweepers catch up
        for name, pid in sorted(pids.items()):
            after = rss_mb(pid)
            line = figure("B6", f"RSS of {name} after the load", after, "MB", TARGET_MB, False)
            print(f"{line} (at start {before[name]:.0f} MB)")
    finally:
        stack.interrupt()


if __name__ == "__main__":
    main()
