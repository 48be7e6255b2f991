"""B0: the issue's two reference points, measured on this machine in this run.

Standalone: ``python bench/b0_reference.py [--seconds 10]``.
The benchmark issue set its targets where a bare FastAPI JSON endpoint did ~9,800 req/s at
c=32 and a naive FastAPI + aiosqlite two-row insert ~480/s at c=16 (``reference_apps.py``
says what each app does). Both run here under the same uvicorn settings as the services (one
worker, uvloop, httptools, no access log) against the same load generator, so the other
figures of the run can be read as ratios to them: the printed "scale" is this machine's speed
relative to the one the targets were set on, by each reference.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from b2_tickets import body
from load import LoadResult, figure, load

from yingshang.processes import free_port, spawn, stop, wait_for_http

BENCH = Path(__file__).resolve().parent
BARE_AT_REFERENCE = 9_800.0  # req/s at c=32, from the benchmark issue
NAIVE_AT_REFERENCE = 480.0  # req/s at c=16, from the benchmark issue


def serve(factory: str, env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", "--factory", f"reference_apps:{factory}",
            "--app-dir", str(BENCH), "--port", str(port), "--workers", "1", "--loop", "uvloop",
            "--http", "httptools", "--no-access-log", "--log-level", "warning"]  # fmt: skip
    proc = spawn(argv, env={**os.environ, **env}, output=log.open("wb"))
    return proc, port


async def measure(url: str, *, connections: int, seconds: float, post: bool) -> LoadResult:
    method, make = ("POST", body) if post else ("GET", None)
    await load(url, connections=connections, seconds=2, method=method, body=make)
    return await load(url, connections=connections, seconds=seconds, method=method, body=make)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="b0-"))
    runs = [
        ("bare", "/ping", 32, False, "bare FastAPI JSON endpoint, c=32", BARE_AT_REFERENCE),
        (
            "naive",
            "/items",
            16,
            True,
            "naive FastAPI + aiosqlite two-row insert, c=16",
            NAIVE_AT_REFERENCE,
        ),
        ("lean", "/items", 16, True, "lean FastAPI + aiosqlite two-row insert, c=16", None),
    ]
    for factory, path, connections, post, label, reference in runs:
        env = {"YS_REFERENCE_DB": str(work / f"{factory}.sqlite3")}
        proc, port = serve(factory, env, work / f"{factory}.log")
        try:
            wait_for_http(f"http://127.0.0.1:{port}/docs", timeout=30, proc=proc)
            url = f"http://127.0.0.1:{port}{path}"
            result = asyncio.run(measure(url, connections=connections, seconds=args.seconds,
                                         post=post))  # fmt: skip
        finally:
            stop(proc)
        print(f"{url}: {result.summary()}")
        if result.errors:
            print(f"  statuses: {result.statuses}")
        print(figure("B0", f"{label}", result.rps, "req/s"))
        print(f"B0 {label}, p99: {result.percentile(99):.1f} ms")
        if reference is None:
            continue
        print(f"B0 {factory} scale: this machine at {result.rps / reference:.2f}x the reference "
              f"machine ({reference:,.0f} req/s there)")  # fmt: skip


if __name__ == "__main__":
    main()
