"""Helpers of the event tests: child processes, eventual conditions, stream inspection."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import nats

from yingshang.processes import stop

HERE = Path(__file__).resolve().parent
RUN = HERE / "run.py"


class Child:
    """A helper program from ``run.py``; its stdout is JSON lines."""

    def __init__(self, command: str, *args: str, log_dir: Path) -> None:
        self.log = (log_dir / f"{command}-{time.monotonic_ns()}.log").open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, str(RUN), command, *args],
            stdout=subprocess.PIPE,
            stderr=self.log,
            cwd=HERE,
            start_new_session=True,
        )
        self.lines: list[dict[str, Any]] = []

    async def line(self, key: str, seconds: float = 90.0) -> dict[str, Any]:
        """The first JSON line holding ``key`` (waits for it without blocking the loop)."""
        for line in self.lines:
            if key in line:
                return line
        assert self.proc.stdout is not None
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            raw = await asyncio.to_thread(self.proc.stdout.readline)
            if not raw:
                break
            self.lines.append(json.loads(raw))
            if key in self.lines[-1]:
                return self.lines[-1]
        raise AssertionError(f"{RUN.name} never printed {key!r}; exit {self.proc.poll()}")

    async def exit_code(self, seconds: float = 30.0) -> int:
        return await asyncio.to_thread(self.proc.wait, seconds)

    def terminate(self) -> None:
        stop(self.proc, grace=5.0)
        self.log.close()


async def eventually(
    check: Callable[[], Awaitable[bool]], what: str, seconds: float = 60.0
) -> None:
    """Wait until ``check()`` holds. The limit only guards against a hang: it is generous
    because the machine may be shared (a starved process is slow, not wrong)."""
    deadline = time.monotonic() + seconds
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting: {what}")
        await asyncio.sleep(0.05)


async def stream_messages(url: str, stream: str = "YS_SAMPLE") -> int:
    nc = await nats.connect(url)
    try:
        info = await nc.jetstream().stream_info(stream)
        return int(info.state.messages)
    finally:
        await nc.close()


async def stream_bodies(url: str, stream: str = "YS_SAMPLE") -> list[dict[str, Any]]:
    """Every message of ``stream`` in stream order (decoded CloudEvents)."""
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        info = await js.stream_info(stream)
        bodies = []
        for seq in range(info.state.first_seq, info.state.last_seq + 1):
            message = await js.get_msg(stream, seq)
            bodies.append(json.loads(message.data or b"{}"))
        return bodies
    finally:
        await nc.close()


async def consumer_settled(url: str, durable: str, stream: str = "YS_SAMPLE") -> bool:
    """True when the durable consumer has nothing left to deliver and nothing unacknowledged."""
    nc = await nats.connect(url)
    try:
        info = await nc.jetstream().consumer_info(stream, durable)
        return not info.num_pending and not info.num_ack_pending
    finally:
        await nc.close()
