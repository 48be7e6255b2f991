"""Broker and consumer crashes under a burst of ticket creations (hotline → ratings, real
processes on the test's own nats-server): every acknowledged ticket is stored and consumed once
in effect. Each run prints its reconciliation line (sent / stored / consumed / duplicates /
lost); sizes come from ``YS_FAULT_TICKETS`` (reduced in ``make test``, 2,000 in ``make faults``).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from pipeline import eventually, fault_size, start_pipeline, subscribed

from yingshang.testing import NatsProcess, TestIssuer

pytestmark = pytest.mark.nats
ACK_WAIT = 5.0  # the first backoff step of every consumer spec


def assert_reconciled(counts: dict[str, int]) -> None:
    assert counts["acknowledged"] == counts["sent"]
    assert counts["stored"] == counts["acknowledged"]
    assert counts["consumed"] == counts["stored"]
    assert counts["duplicates"] == 0
    assert counts["dead_letters"] == 0
    assert counts["lost"] == 0


async def test_broker_killed_mid_burst_then_restarted_while_idle(
    service_process: Any, nats_process: NatsProcess, issuer: TestIssuer
) -> None:
    pipe = await start_pipeline(service_process, nats_process.url, issuer)
    size = fault_size(150)
    killed = asyncio.Event()

    async def outage(created: int) -> None:
        if created >= size // 3 and not killed.is_set():
            killed.set()
            nats_process.kill()  # SIGKILL mid-burst: creations go on into the outbox

    burst = asyncio.create_task(pipe.burst(size, on_progress=outage))
    await killed.wait()
    await asyncio.sleep(1.0)
    nats_process.start()
    await burst
    assert_reconciled(await pipe.reconcile("broker SIGKILL mid-burst"))

    # Idle consumers, the broker restarts: consumption resumes with no manual step.
    nats_process.kill()
    nats_process.start()
    await eventually(lambda: asyncio.to_thread(subscribed, pipe.ratings), "ratings resubscribed")
    await pipe.burst(max(size // 10, 10))
    assert_reconciled(await pipe.reconcile("broker restart while idle"))


async def test_consumer_killed_and_stopped_mid_stream_applies_each_event_once(
    service_process: Any, nats_process: NatsProcess, issuer: TestIssuer
) -> None:
    pipe = await start_pipeline(service_process, nats_process.url, issuer)
    size = fault_size(150)

    # SIGKILL the consumer while it applies the stream (batches committed, acks in flight);
    # restarted on the same database, redeliveries are absorbed by its inbox.
    await pipe.burst(size)
    await eventually(lambda: consumed_at_least(pipe, size // 4), "a quarter consumed", timeout=120)
    pipe.ratings.kill()
    pipe.ratings.start()
    assert_reconciled(await pipe.reconcile("consumer SIGKILL mid-stream"))

    # SIGSTOP it beyond the ack wait while a batch is in flight, then SIGCONT.
    target = len(pipe.acknowledged) + size // 5
    burst = asyncio.create_task(pipe.burst(size // 2))
    await eventually(lambda: consumed_at_least(pipe, target), "the second burst in flight")
    pid = pipe.ratings.proc.pid
    os.kill(pid, signal.SIGSTOP)
    try:
        await asyncio.sleep(ACK_WAIT + 2.0)
    finally:
        os.kill(pid, signal.SIGCONT)
    await burst
    counts = await pipe.reconcile("consumer SIGSTOP beyond ack wait")
    assert_reconciled(counts)


async def consumed_at_least(pipe: Any, count: int) -> bool:
    return bool((await pipe.effects())[1] >= count)
