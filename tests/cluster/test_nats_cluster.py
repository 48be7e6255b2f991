"""The production broker shape on one machine: three JetStream nodes, streams with three
replicas. Losing any one node loses no acknowledged event and stops no publisher."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TypeVar

import nats
import pytest
from nats.js.api import StreamConfig
from nats.js.client import JetStreamContext

from yingshang.testing import NatsCluster

T = TypeVar("T")
pytestmark = pytest.mark.nats


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[NatsCluster]:
    cluster = NatsCluster(tmp_path / "cluster").start()
    yield cluster
    cluster.stop()


async def retrying(action: Callable[[], Awaitable[T]], what: str, timeout: float = 60.0) -> T:
    """Cluster operations fail until a leader is elected: retry, bounded."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return await action()
        except Exception as exc:
            if time.monotonic() > deadline:
                raise AssertionError(f"{what}: still failing ({exc!r})") from exc
            await asyncio.sleep(0.5)


async def publish_all(js: JetStreamContext, first: int, count: int) -> None:
    for n in range(first, first + count):
        await retrying(lambda n=n: js.publish(f"ys.cluster.case.{n}", str(n).encode()), "publish")


async def test_r3_stream_keeps_every_event_when_a_node_dies(cluster: NatsCluster) -> None:
    nc = await nats.connect(
        servers=cluster.urls, max_reconnect_attempts=-1, reconnect_time_wait=0.2
    )
    try:
        js = nc.jetstream(timeout=5)
        config = StreamConfig(name="YS_CLUSTER", subjects=["ys.cluster.>"], num_replicas=3)
        info = await retrying(lambda: js.add_stream(config), "create the R3 stream")
        assert info.config.num_replicas == 3
        await publish_all(js, 0, 50)

        cluster.nodes[0].kill()  # the node our client may well be connected to
        await publish_all(js, 50, 50)

        state = await retrying(lambda: js.stream_info("YS_CLUSTER"), "stream info")
        assert state.state.messages == 100
        sub = await retrying(
            lambda: js.pull_subscribe("ys.cluster.>", durable="cluster-test"), "create a consumer"
        )
        seen: set[int] = set()
        while len(seen) < 100:
            for message in await retrying(lambda: sub.fetch(100, timeout=5), "fetch"):
                seen.add(int(message.data))
                await message.ack()
        assert seen == set(range(100))
    finally:
        await nc.close()
