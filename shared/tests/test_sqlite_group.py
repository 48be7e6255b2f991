"""Group commit on the SQLite writer, over HTTP on the kit sample with probe routes.

A request holds the writer (it waits on a gate inside its handler) while others queue behind
it; releasing the gate lets them all run in one group, which the closer then commits.
"""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Annotated, Any

import httpx
import pytest
from conftest_kit import KIT_DIR, db_of, operator
from fastapi import Body, FastAPI, Request
from kitservice.app import Settings, create_app
from sqlalchemy import select, text

from yingshang.app import allow, router
from yingshang.auth import authenticated
from yingshang.cases.numbers import SequenceCounter, next_value
from yingshang.db import SessionDep
from yingshang.problems import Conflict
from yingshang.sqlite_group import CommitGroups
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.databases import selected_backend
from yingshang.testing.plugin import StartService

PROBE = "/api/v1/kit/probe"
pytestmark = pytest.mark.skipif(
    selected_backend() != "sqlite",
    reason="group commit is the SQLite writer's (PostgreSQL takes concurrent writers)",
)


def with_probe(settings: Settings | None = None) -> FastAPI:
    """The kit app plus a probe whose effect is a counter, that can also write a row
    through the ORM (``x-orm``), wait on a gate, fail after its effect (``x-fail``), add a
    row breaking a deferred constraint (``x-orphan``: the COMMIT fails), or end the shared
    transaction itself (``x-lose``)."""
    probe = router(PROBE)

    async def effect(request: Request, session: SessionDep, body: Annotated[Any, Body()]) -> Any:
        value = await next_value(session, "effects")  # a prepared statement
        if request.headers.get("x-orm"):  # and a row through the ORM's unit of work
            session.add(SequenceCounter(key=f"orm:{value}", value=value))
            await session.flush()
        # whether the session's own transaction (an ORM savepoint) was begun
        request.app.state.began.append(session.sync_session.in_transaction())
        if request.headers.get("x-gate"):
            request.app.state.entered.set()
            await request.app.state.gate.wait()
        if request.headers.get("x-lose"):  # ends the shared transaction under everyone
            await session.execute(text("ROLLBACK"))
        if request.headers.get("x-orphan"):
            await session.execute(text("INSERT INTO probe_child (parent_id) VALUES (424242)"))
        if request.headers.get("x-fail"):
            raise Conflict("failing as asked")
        return {"effect": value}

    probe.post("/effects", status_code=201, dependencies=[allow(authenticated())])(effect)
    app = create_app(settings)
    app.include_router(probe)
    return app


async def start(service_app: StartService) -> ServiceUnderTest:
    sut = await service_app(with_probe, Settings, KIT_DIR)
    assert isinstance(db_of(sut).groups, CommitGroups)  # a file database: the inline writer
    sut.app.state.gate, sut.app.state.entered = asyncio.Event(), asyncio.Event()
    sut.app.state.began = []
    return sut


def post(sut: ServiceUnderTest, **headers: str) -> asyncio.Task[httpx.Response]:
    extra = {name.replace("_", "-"): value for name, value in headers.items()}
    return asyncio.create_task(
        sut.client.post(
            f"{PROBE}/effects", json=1, headers={**operator.headers(sut.issuer), **extra}
        )
    )


async def hold_writer(sut: ServiceUnderTest) -> asyncio.Task[httpx.Response]:
    """A request inside the writer, waiting on the gate."""
    first = post(sut, x_gate="1")
    await sut.app.state.entered.wait()
    return first


async def queue_behind(sut: ServiceUnderTest, tasks: list[asyncio.Task[Any]]) -> None:
    """Let ``tasks`` reach the writer's queue."""
    lock = db_of(sut).write_lock
    assert lock is not None
    for _ in range(200):
        waiting = getattr(lock, "_waiters", None) or ()
        if len(waiting) >= len(tasks):
            return
        await asyncio.sleep(0.005)
    raise AssertionError("the requests did not queue for the writer")


async def committed_effects(sut: ServiceUnderTest) -> int:
    """The counter as another connection sees it (committed data only)."""
    async with db_of(sut).read() as session:
        value = await session.scalar(
            select(SequenceCounter.value).where(SequenceCounter.key == "effects")
        )
    return int(value or 0)


async def test_queued_requests_share_one_commit(service_app: StartService) -> None:
    sut = await start(service_app)
    groups = db_of(sut).groups
    assert groups is not None
    ends = 0
    real_end = groups.end

    async def counting_end() -> None:
        nonlocal ends
        ends += 1
        await real_end()

    groups.end = counting_end  # type: ignore[method-assign]
    first = await hold_writer(sut)
    others = [post(sut) for _ in range(5)]
    await queue_behind(sut, others)
    sut.app.state.gate.set()
    responses = [await first, *[await task for task in others]]
    assert [r.status_code for r in responses] == [201] * 6
    assert sorted(r.json()["effect"] for r in responses) == [1, 2, 3, 4, 5, 6]
    assert ends == 1  # one COMMIT for the six
    assert await committed_effects(sut) == 6
    # alone, a request commits at once as before (its closer runs right after it)
    assert (await post(sut)).status_code == 201
    assert await committed_effects(sut) == 7


async def test_a_failing_request_rolls_back_alone(service_app: StartService) -> None:
    sut = await start(service_app)
    first = await hold_writer(sut)
    failing, kept = post(sut, x_fail="1"), post(sut)
    await queue_behind(sut, [failing, kept])
    sut.app.state.gate.set()
    assert (await first).status_code == 201
    assert (await failing).status_code == 409
    assert (await kept).json()["effect"] == 2  # the failed one's increment was rolled back
    assert await committed_effects(sut) == 2


async def test_a_request_cut_off_midway_leaves_the_group_intact(
    service_app: StartService,
) -> None:
    sut = await start(service_app)
    first = await hold_writer(sut)
    second = post(sut)
    await queue_behind(sut, [second])
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    response = await second
    assert (response.status_code, response.json()["effect"]) == (201, 1)
    assert await committed_effects(sut) == 1


async def test_a_failed_commit_fails_every_request_of_the_group(
    service_app: StartService,
) -> None:
    sut = await start(service_app)
    path = str(db_of(sut).write_engine.url.database)
    with sqlite3.connect(path) as conn:
        conn.executescript(
            "CREATE TABLE probe_parent (id INTEGER PRIMARY KEY);"
            "CREATE TABLE probe_child (parent_id INTEGER REFERENCES probe_parent (id)"
            " DEFERRABLE INITIALLY DEFERRED);"
        )
    first = await hold_writer(sut)
    others = [post(sut, x_orphan="1"), post(sut)]
    await queue_behind(sut, others)
    sut.app.state.gate.set()
    responses = [await first, *[await task for task in others]]
    # the deferred constraint fails the COMMIT: nobody's effects stay, everyone is told 503
    assert [r.status_code for r in responses] == [503] * 3
    assert all(r.json()["type"].endswith("/unavailable") for r in responses)
    assert await committed_effects(sut) == 0
    # the writer is usable again
    response = await post(sut)
    assert (response.status_code, response.json()["effect"]) == (201, 1)


async def test_a_writer_of_its_own_commits_the_open_group_first(
    service_app: StartService,
) -> None:
    sut = await start(service_app)
    db = db_of(sut)
    first = await hold_writer(sut)
    second = post(sut)
    await queue_behind(sut, [second])

    async def own_transaction() -> int:
        async with db.write() as session:
            return await next_value(session, "effects")

    writer = asyncio.create_task(own_transaction())
    await queue_behind(sut, [second, writer])
    sut.app.state.gate.set()
    # the group (first, second) commits before the writer's own transaction begins
    assert await writer == 3
    assert [(await t).json()["effect"] for t in (first, second)] == [1, 2]
    assert await committed_effects(sut) == 3


async def test_a_lost_transaction_fails_the_group_and_the_writer_recovers(
    service_app: StartService,
) -> None:
    sut = await start(service_app)
    first = await hold_writer(sut)
    losing, third = post(sut, x_lose="1", x_fail="1"), post(sut)
    await queue_behind(sut, [losing, third])
    sut.app.state.gate.set()
    assert (await first).status_code == 503  # its effects went with the transaction
    assert (await losing).status_code >= 500
    # the third ran after the loss, in a group of its own
    assert ((await third).status_code, await committed_effects(sut)) == (201, 1)
    response = await post(sut)
    assert (response.status_code, response.json()["effect"]) == (201, 2)


async def orm_rows(sut: ServiceUnderTest) -> list[str]:
    async with db_of(sut).read() as session:
        keys = await session.scalars(
            select(SequenceCounter.key).where(SequenceCounter.key.like("orm:%"))
        )
    return sorted(keys)


async def test_prepared_statements_alone_never_begin_the_session(
    service_app: StartService,
) -> None:
    """The request's savepoint is SQLite's own: a handler running only prepared statements
    leaves the session's transaction unbegun, and its effects commit all the same."""
    sut = await start(service_app)
    first = await hold_writer(sut)
    second = post(sut)
    await queue_behind(sut, [second])
    sut.app.state.gate.set()
    assert [(await t).status_code for t in (first, second)] == [201, 201]
    assert sut.app.state.began == [False, False]
    assert await committed_effects(sut) == 2


async def test_orm_and_prepared_writes_commit_and_roll_back_together(
    service_app: StartService,
) -> None:
    """A handler using the ORM begins the session's savepoint inside the request's own: on
    failure both its ORM row and its prepared effect go, the neighbours' stay."""
    sut = await start(service_app)
    first = await hold_writer(sut)
    failing = post(sut, x_orm="1", x_fail="1")
    kept = post(sut, x_orm="1")
    plain = post(sut)
    await queue_behind(sut, [failing, kept, plain])
    sut.app.state.gate.set()
    assert (await first).status_code == 201
    assert (await failing).status_code == 409
    assert (await kept).json()["effect"] == 2  # the failed one's increment was undone
    assert (await plain).json()["effect"] == 3
    assert sut.app.state.began == [False, True, True, False]
    assert await committed_effects(sut) == 3
    assert await orm_rows(sut) == ["orm:2"]  # the kept one's: the failed one's orm:2 went
