"""A closed-loop HTTP load generator for the benchmarks (aiohttp; loopback targets only).

Each of N connections sends its next request as soon as the previous one answered, for a bounded
duration (and optionally a bounded number of requests). Reports throughput and latency
percentiles; ``figure()`` formats the one-line result every benchmark prints.

    python bench/load.py http://127.0.0.1:8002/healthz -c 32 -d 5 [-H "Authorization: Bearer …"]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp


@dataclass
class LoadResult:
    seconds: float
    latencies: list[float] = field(default_factory=list)  # of successful requests, seconds
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """Latency percentile in milliseconds (p in 0..100)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))
        return ordered[index] * 1e3

    def summary(self) -> str:
        return (
            f"{self.requests} ok, {self.errors} errors in {self.seconds:.1f} s: "
            f"{self.rps:,.0f} req/s, p50 {self.percentile(50):.2f} ms, "
            f"p90 {self.percentile(90):.2f} ms, p99 {self.percentile(99):.2f} ms"
        )


async def load(
    url: str,
    *,
    connections: int,
    seconds: float,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: Callable[[int], Any] | None = None,
    max_requests: int | None = None,
    ok: Callable[[int], bool] = lambda status: status < 400,
) -> LoadResult:
    """Run the load; ``body(n)`` gives the JSON body of request n (for unique writes)."""
    result = LoadResult(seconds=seconds)
    counter = iter(range(max_requests if max_requests is not None else 10**12))
    deadline = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:

        async def worker() -> None:
            for n in counter:
                if time.perf_counter() >= deadline:
                    return
                started = time.perf_counter()
                payload = body(n) if body is not None else None
                async with session.request(method, url, json=payload) as response:
                    await response.read()
                    result.statuses[response.status] = result.statuses.get(response.status, 0) + 1
                    if ok(response.status):
                        result.latencies.append(time.perf_counter() - started)
                    else:
                        result.errors += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        result.seconds = time.perf_counter() - began
    return result


def figure(
    bench: str, label: str, value: float, unit: str, target: float | None = None, higher=True
) -> str:
    """``B2 ticket creation direct c=16: 1,234 req/s (target ≥ 1,000) met``"""
    line = (
        f"{bench} {label}: {value:,.0f} {unit}"
        if value >= 100
        else f"{bench} {label}: {value:.2f} {unit}"
    )
    if target is None:
        return line
    met = value >= target if higher else value <= target
    sign = "≥" if higher else "≤"
    shown = f"{target:,.0f}" if target >= 100 else f"{target:g}"
    return f"{line} (target {sign} {shown}) {'met' if met else 'NOT MET'}"


def median_of(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("-c", "--connections", type=int, default=16)
    parser.add_argument("-d", "--seconds", type=float, default=5.0)
    parser.add_argument("-X", "--method", default="GET")
    parser.add_argument("-H", "--header", action="append", default=[])
    args = parser.parse_args()
    headers = dict(h.split(": ", 1) for h in args.header)
    result = asyncio.run(
        load(
            args.url,
            connections=args.connections,
            seconds=args.seconds,
            method=args.method,
            headers=headers,
        )
    )
    print(result.summary())


if __name__ == "__main__":
    main()
