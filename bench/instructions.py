"""Instructions per B2 ticket: the cost of the intake path counted, not timed.

    python bench/instructions.py [--tickets 100] [--warm 100] [--ref GIT_REF]

The machine's speed moves by 10-40 % within an hour, so timed A/B runs of a change worth a
few percent need many rounds. This counts instead: the hotline app runs in this process under
valgrind's callgrind (instrumentation off through start-up and warm-up), driven over ASGI
(no HTTP server) with the B2 request body at 16 concurrent callers, relay, NATS, consumers and
sweeper running; instrumentation is on for ``--tickets`` intakes, and the instructions executed
meanwhile, divided by the tickets, are the figure. Repeat runs agree to about 0.5 % (group
sizes and relay rounds still depend on timing). ``--ref`` measures a git ref (a temporary
worktree of it, on this virtualenv) in the same way, for a before/after ratio.

Not part of ``make bench`` (it takes a minute or two per measurement and needs valgrind, which
every machine of ours has); it prints a figure line of the usual form, without a target.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CONCURRENCY = 16


def _measure(tickets: int, warm: int) -> None:
    """The child, under callgrind: warm up, then instrument ``tickets`` intakes."""
    from b2_tickets import PATH, body, prepare

    work = Path(tempfile.mkdtemp(prefix="b2-instructions-"))
    _db_file, nats, env, headers = prepare(work, log_level="ERROR")
    os.environ.update(env)
    try:
        asyncio.run(_drive(headers, PATH, body, tickets, warm))
    finally:
        nats.stop()
        shutil.rmtree(work, ignore_errors=True)


async def _drive(headers: dict[str, str], path: str, body: Any, tickets: int, warm: int) -> None:
    from ys_hotline.app import create_app

    app = create_app()
    sent = [0]

    async def post() -> None:
        sent[0] += 1
        raw = json.dumps(body(sent[0])).encode()
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": "POST", "scheme": "http", "path": path, "raw_path": path.encode(),
            "query_string": b"", "root_path": "", "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 80),
            "headers": [
                *((k.lower().encode(), v.encode()) for k, v in headers.items()),
                (b"idempotency-key", uuid.uuid4().hex.encode()),
                (b"content-type", b"application/json"),
                (b"content-length", str(len(raw)).encode()),
            ],
        }  # fmt: skip
        messages = [{"type": "http.request", "body": raw, "more_body": False}]
        statuses: list[int] = []

        async def receive() -> dict[str, Any]:
            if messages:
                return messages.pop()
            await asyncio.sleep(3600)  # no disconnect while the app answers
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        await app(scope, receive, send)
        if statuses != [201]:
            raise RuntimeError(f"intake answered {statuses}")

    async def callers(until: int) -> None:
        async def caller() -> None:
            while sent[0] < until:
                await post()

        await asyncio.gather(*(caller() for _ in range(CONCURRENCY)))

    async with app.router.lifespan_context(app):
        await callers(warm)
        await asyncio.sleep(1)  # the relay and the sweeper settle
        _instrument("on")
        started = sent[0]
        await callers(started + tickets)
        await asyncio.sleep(0.5)  # the relay publishes the last events
        _instrument("off")
        print(f"measured {sent[0] - started} tickets", flush=True)


def _instrument(state: str) -> None:
    subprocess.run(["callgrind_control", "-i", state, str(os.getpid())], capture_output=True)


def count(tickets: int, warm: int, source: Path) -> tuple[float, int]:
    """Instructions per ticket of the code in ``source`` (a checkout), and the tickets."""
    with tempfile.TemporaryDirectory(prefix="callgrind-") as scratch:
        out = Path(scratch) / "callgrind.out"
        paths = [str(source / "shared" / "src"), str(source / "svc-hotline" / "src"), str(BENCH)]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
        argv = ["valgrind", "--tool=callgrind", "--instr-atstart=no",
                f"--callgrind-out-file={out}", sys.executable, str(Path(__file__).resolve()),
                "--child", "--tickets", str(tickets), "--warm", str(warm)]  # fmt: skip
        run = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
        measured = [line for line in run.stdout.splitlines() if line.startswith("measured ")]
        if run.returncode != 0 or not measured or not out.exists():
            raise SystemExit(f"the measurement failed:\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
        totals = [line for line in out.read_text().splitlines() if line.startswith("totals:")]
        done = int(measured[0].split()[1])
        return int(totals[0].split()[1]) / done, done


def _worktree(ref: str) -> Path:
    place = Path(tempfile.mkdtemp(prefix="b2-ref-")) / "tree"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(place), ref],
                   check=True)  # fmt: skip
    return place


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=100, help="intakes counted")
    parser.add_argument("--warm", type=int, default=100, help="intakes before counting")
    parser.add_argument("--ref", default=None, help="also count this git ref (before/after)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _measure(args.tickets, args.warm)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian package valgrind)")
    started = time.monotonic()
    here, done = count(args.tickets, args.warm, ROOT)
    print(f"B2 instructions per ticket (in-process, {done} tickets after {args.warm}, "
          f"callgrind): {here / 1e6:.2f} M")  # fmt: skip
    if args.ref:
        tree = _worktree(args.ref)
        try:
            before, _ = count(args.tickets, args.warm, tree)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                           check=False)  # fmt: skip
        print(f"B2 instructions per ticket at {args.ref}: {before / 1e6:.2f} M; "
              f"this tree / {args.ref} = {here / before:.3f}")  # fmt: skip
    print(f"({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
