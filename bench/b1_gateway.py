"""B1: the gateway's cost on the data path.

Starts a service and the gateway with uvicorn (one worker each, free ports, throwaway SQLite
files), takes a staff token from the gateway, then loads ``GET /api/v1/hotline/me`` directly
and through the gateway: throughput at 32 connections and median latency at 1 connection.
Prints the figures; targets: via-gateway ≥ 50% of direct at c=32, ≤ 0.5 ms added median at c=1.

The service is by default the skeleton (``ys_gateway.testing.skeleton``: the ``/me`` route
every service gets from ``create_service_app``); ``--service ys_hotline.app:create_app`` runs
the real hotline service instead.

    .venv/bin/python bench/b1_gateway.py [--seconds 5] [--service module:factory]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import aiohttp
import httpx
from load import figure  # bench/ is on sys.path when run as a script

from yingshang.migrate import upgrade
from yingshang.processes import free_port, spawn, stop, wait_for_http
from yingshang.settings import DEMO_PASSWORD
from ys_gateway.app import SERVICE_DIR as GATEWAY_DIR

PATH = "/api/v1/hotline/me"


def uvicorn(factory: str, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        factory,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--no-access-log",
        "--log-level",
        "warning",
    ]


async def load(url: str, token: str, connections: int, seconds: float) -> tuple[int, list[float]]:
    """Closed-loop load: each connection sends its next request when the last one answered."""
    headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                async with session.get(url, headers=headers) as response:
                    await response.read()
                    if response.status != 200:
                        raise RuntimeError(f"{url}: {response.status}")
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(worker() for _ in range(connections)))
    return len(latencies), latencies


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def measure(
    direct: str, via: str, token: str, seconds: float, rounds: int, pids: dict[str, int]
) -> dict[str, float]:
    """Alternate direct and via-gateway runs (the machine is shared: noise hits both alike);
    each figure is the median over the rounds. CPU time per request of each process is
    measured too: unlike throughput it hardly depends on what else the machine runs."""
    figures: dict[str, list[float]] = {}
    for base in (direct, via):
        await load(base + PATH, token, 8, 1.0)  # warm-up: pools, caches
    for _ in range(rounds):
        for name, base in (("direct", direct), ("via", via)):
            before = {k: cpu_seconds(pid) for k, pid in pids.items()}
            count, _ = await load(base + PATH, token, 32, seconds)
            figures.setdefault(f"{name}_rps_c32", []).append(count / seconds)
            for k, pid in pids.items():
                used = (cpu_seconds(pid) - before[k]) / count * 1e6
                figures.setdefault(f"{name}_{k}_cpu_us", []).append(used)
        for name, base in (("direct", direct), ("via", via)):
            _, single = await load(base + PATH, token, 1, seconds)
            figures.setdefault(f"{name}_median_c1_ms", []).append(statistics.median(single) * 1e3)
    return {key: statistics.median(values) for key, values in figures.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--service", default="ys_gateway.testing.skeleton:create_app")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        tmpdir = Path(tmp)
        gw_port, svc_port = free_port(), free_port()
        gw_db, svc_db = f"sqlite:///{tmpdir}/gateway.sqlite3", f"sqlite:///{tmpdir}/hotline.sqlite3"
        upgrade(GATEWAY_DIR, gw_db)
        if args.service.startswith("ys_hotline."):
            from ys_hotline.app import SERVICE_DIR as HOTLINE_DIR

            upgrade(HOTLINE_DIR, svc_db)
        env = {
            **os.environ,
            "YS_ENV": "dev",
            "YS_WORKERS_ENABLED": "false",
            "YS_VAR_DIR": str(tmpdir),
            "YS_GATEWAY_DATABASE_URL": gw_db,
            "YS_HOTLINE_DATABASE_URL": svc_db,
            "YS_SKELETON_SERVICE": "hotline",
            "YS_HOTLINE_UPSTREAMS": f"http://127.0.0.1:{svc_port}",
            "YS_JWKS_URL": f"http://127.0.0.1:{gw_port}/.well-known/jwks.json",
        }
        procs = []
        for factory, port, name in (
            ("ys_gateway.app:create_app", gw_port, "gateway"),
            (args.service, svc_port, "hotline"),
        ):
            log = stack.enter_context(open(tmpdir / f"{name}.log", "wb"))
            proc = spawn(uvicorn(factory, port), env=env, output=log)
            procs.append(proc)
            stack.callback(stop, proc)
            wait_for_http(f"http://127.0.0.1:{port}/readyz", timeout=120, proc=proc)
        token = httpx.post(
            f"http://127.0.0.1:{gw_port}/auth/token",
            data={"grant_type": "password", "username": "bureau", "password": DEMO_PASSWORD},
        ).json()["access_token"]
        try:
            direct, via = f"http://127.0.0.1:{svc_port}", f"http://127.0.0.1:{gw_port}"
            pids = {"gateway": procs[0].pid, "service": procs[1].pid}
            figures = asyncio.run(measure(direct, via, token, args.seconds, args.rounds, pids))
        except Exception:
            for name in ("gateway", "hotline"):
                print(f"--- {name}.log (tail)", file=sys.stderr)
                print((tmpdir / f"{name}.log").read_text()[-3000:], file=sys.stderr)
            raise
    report(figures, args.rounds)


def report(f: dict[str, float], rounds: int) -> None:
    """The two target figures as figure lines (``load.figure``), then the measurements."""
    ratio = f["via_rps_c32"] / f["direct_rps_c32"] * 100
    added = f["via_median_c1_ms"] - f["direct_median_c1_ms"]
    print(figure("B1", f"GET {PATH} via gateway / direct, c=32", ratio, "%", 50))
    print(figure("B1", f"GET {PATH} added median via gateway, c=1", added, "ms", 0.5, higher=False))
    print(f"one uvicorn worker each, median of {rounds} alternating rounds")
    print(
        f"  c=32 throughput  direct {f['direct_rps_c32']:8.0f} req/s   "
        f"via gateway {f['via_rps_c32']:8.0f} req/s"
    )
    print(
        f"  c=1 median       direct {f['direct_median_c1_ms']:8.3f} ms      "
        f"via gateway {f['via_median_c1_ms']:8.3f} ms"
    )
    print(
        f"  CPU per request  service {f['direct_service_cpu_us']:6.0f} us direct; via gateway: "
        f"gateway {f['via_gateway_cpu_us']:6.0f} us + service {f['via_service_cpu_us']:6.0f} us"
    )


if __name__ == "__main__":
    main()
