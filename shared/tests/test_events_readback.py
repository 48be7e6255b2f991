"""Reading a stream back (``yingshang.events.readback``) on a real nats-server: the chosen
types in the stream's order, validated as a consumer validates (a refused event skipped with
its reason), no consumer left behind, a stream never made read as empty."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing

import pytest
from nats.js import JetStreamContext
from pydantic import BaseModel

from yingshang.events.catalogue import EventCatalogue
from yingshang.events.envelope import make_event
from yingshang.events.readback import Readback
from yingshang.events.streams import NatsConnection, stream_name
from yingshang.testing.nats import NatsProcess

pytestmark = pytest.mark.nats
OPENED, MOVED, NOTED = (f"ys.sample.case.{name}" for name in ("opened", "moved", "noted"))


class Step(BaseModel):
    case: int


CATALOGUE = EventCatalogue(title="sample")
for type_ in (OPENED, MOVED, NOTED):
    CATALOGUE.register(type_, Step, description=type_)


@pytest.fixture
async def js(nats_process: NatsProcess) -> AsyncIterator[JetStreamContext]:
    nats = NatsConnection(nats_process.url, service="sample")
    await nats.start()
    await nats.wait_connected(20)
    try:
        yield nats.js
    finally:
        await nats.stop()


async def publish(js: JetStreamContext, type_: str, case: object, source: str = "sample") -> None:
    event = make_event(source, type_, {"case": case}, subject=f"case/{case}")
    await js.publish(type_, event.to_json())


async def consumers(js: JetStreamContext) -> int:
    return int((await js.stream_info(stream_name("sample"))).state.consumer_count)


async def test_the_chosen_types_come_back_in_the_streams_order(js: JetStreamContext) -> None:
    for n in range(3):
        await publish(js, OPENED, n)
        await publish(js, NOTED, n)  # not asked for
        await publish(js, MOVED, n)
    await publish(js, MOVED, "not a number")  # invalid payload
    await publish(js, MOVED, 9, source="hotline")  # not the producer of ys.sample: forged
    reader = Readback(js, "sample", CATALOGUE, [MOVED, OPENED])
    read = [(p.event.type.rsplit(".", 1)[1], p.payload.case) async for p in reader.events()]
    assert read == [(name, n) for n in range(3) for name in ("opened", "moved")]
    assert [reason.split(": ")[1] for reason in reader.refused] == ["invalid", "forged"]
    assert await consumers(js) == 0  # its ephemeral consumer is gone with it

    again = Readback(js, "sample", CATALOGUE, [OPENED])
    async with aclosing(again.events()) as events:
        async for _ in events:
            break  # a reader stopped halfway leaves nothing behind either
    assert await consumers(js) == 0


async def test_a_stream_never_made_holds_nothing(js: JetStreamContext) -> None:
    reader = Readback(js, "nowhere", CATALOGUE, [OPENED])
    assert [p async for p in reader.events()] == []
    with pytest.raises(ValueError, match="at least one"):
        Readback(js, "sample", CATALOGUE, []).config()
