"""Idempotency-Key over HTTP on the kit sample: one effect, exact replays, 409, 422, scopes."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import httpx
import pytest
from alembic import command
from conftest_kit import CASES, KIT_DIR, PHONE, count, db_of, frozen_at, operator
from fastapi import Body, FastAPI, Request
from kitservice.app import Settings, create_app
from kitservice.models import SampleCase
from sqlalchemy import select

from yingshang.app import allow, router
from yingshang.auth import authenticated, public
from yingshang.cases.numbers import SequenceCounter, next_value
from yingshang.db import SessionDep
from yingshang.idempotency import (
    RETENTION,
    IdempotencyRecord,
    idempotent_post,
    open_answer,
    purge_expired,
)
from yingshang.migrate import alembic_config
from yingshang.problems import Conflict
from yingshang.testing import TestIssuer, a_staff
from yingshang.testing.apps import ServiceUnderTest, in_process, service_settings
from yingshang.testing.plugin import MigratedDb, StartService

PROBE = "/api/v1/kit/probe"
BODY = {"title": "路灯不亮", "requester_phone": PHONE}


def with_probe(settings: Settings | None = None) -> FastAPI:
    """The kit app plus probe routes whose one effect is a counter (``effects``)."""
    probe = router(PROBE)

    async def effect(request: Request, session: SessionDep, body: Annotated[Any, Body()]) -> Any:
        value = await next_value(session, "effects")
        gate: asyncio.Event | None = getattr(request.app.state, "gate", None)
        if gate is not None:
            request.app.state.entered.set()
            await gate.wait()
        if request.headers.get("x-fail"):
            raise Conflict("failing as asked")
        return {"effect": value, "body": body}

    kw: dict[str, Any] = {"status_code": 201}
    idempotent_post(probe, "/effects", dependencies=[allow(authenticated())], **kw)(effect)
    staff_only = [allow(authenticated())]
    idempotent_post(probe, "/required", key_required=True, dependencies=staff_only, **kw)(effect)
    idempotent_post(probe, "/public", dependencies=[allow(public())], **kw)(effect)
    app = create_app(settings)
    app.include_router(probe)
    return app


async def start(service_app: StartService, **settings: Any) -> ServiceUnderTest:
    return await service_app(with_probe, Settings, KIT_DIR, **settings)


async def effects(sut: ServiceUnderTest) -> int:
    async with db_of(sut).read() as session:
        value = await session.scalar(
            select(SequenceCounter.value).where(SequenceCounter.key == "effects")
        )
    return int(value or 0)


def key_headers(sut: ServiceUnderTest, key: str, who: Any = operator) -> dict[str, str]:
    return {**who.headers(sut.issuer), "Idempotency-Key": key}


async def post_case(sut: ServiceUnderTest, key: str, body: Any = BODY) -> httpx.Response:
    return await sut.client.post(CASES, json=body, headers=key_headers(sut, key))


async def _one_effect_under_concurrency(sut: ServiceUnderTest) -> None:
    key = str(uuid.uuid4())
    responses = await asyncio.gather(*(post_case(sut, key) for _ in range(4)))
    assert await count(sut, SampleCase) == 1
    statuses = sorted(r.status_code for r in responses)
    assert set(statuses) <= {201, 409}, [r.text for r in responses]
    created = [r for r in responses if r.status_code == 201]
    originals = [r for r in created if "idempotent-replayed" not in r.headers]
    assert len(originals) == 1
    assert all(r.content == originals[0].content for r in created)
    conflicts = [r for r in responses if r.status_code == 409]
    assert all(r.headers["retry-after"] == "1" for r in conflicts)


async def test_concurrent_posts_with_one_key_have_one_effect(service_app: StartService) -> None:
    await _one_effect_under_concurrency(await start(service_app))


def on_postgres(migrated_db: MigratedDb, issuer: TestIssuer, tmp_path: Path) -> Settings:
    """Settings of the kit sample on its own migrated PostgreSQL database (no broker)."""
    settings: Settings = service_settings(
        Settings,
        database_url=migrated_db(KIT_DIR, backend="postgres"),
        jwks_file=issuer.write_jwks(tmp_path / "jwks.json"),
        var_dir=tmp_path,
        nats_url=None,
    )
    return settings


@pytest.mark.postgres
async def test_concurrent_posts_with_one_key_have_one_effect_on_postgres(
    migrated_db: MigratedDb, issuer: TestIssuer, tmp_path: Path
) -> None:
    settings = on_postgres(migrated_db, issuer, tmp_path)
    async with in_process(with_probe, settings, issuer) as sut:
        await _one_effect_under_concurrency(sut)


async def test_a_retry_replays_the_first_response_exactly(service_app: StartService) -> None:
    sut = await start(service_app)
    key = str(uuid.uuid4())
    first = await post_case(sut, key)
    # Same JSON, other key order and spacing: the same request.
    again = await sut.client.post(
        CASES,
        content=f'{{ "requester_phone": "{PHONE}",  "title": "路灯不亮" }}'.encode(),
        headers={**key_headers(sut, key), "content-type": "application/json"},
    )
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    for header in ("etag", "location", "content-type"):
        assert again.headers[header] == first.headers[header]
    assert await count(sut, SampleCase) == 1


async def test_the_same_key_for_another_request_is_422(service_app: StartService) -> None:
    sut = await start(service_app)
    key = str(uuid.uuid4())
    assert (await post_case(sut, key)).status_code == 201
    other_body = await post_case(sut, key, {**BODY, "title": "井盖缺失"})
    assert other_body.status_code == 422
    assert other_body.json()["type"].endswith("/idempotency-key-reused")
    other_path = await sut.client.post(f"{PROBE}/effects", json=BODY, headers=key_headers(sut, key))
    assert other_path.status_code == 422
    assert await count(sut, SampleCase) == 1
    assert await effects(sut) == 0


async def test_the_same_key_while_the_first_runs_is_409(service_app: StartService) -> None:
    sut = await start(service_app)
    sut.app.state.gate, sut.app.state.entered = asyncio.Event(), asyncio.Event()
    headers = key_headers(sut, str(uuid.uuid4()))
    first = asyncio.create_task(sut.client.post(f"{PROBE}/effects", json=1, headers=headers))
    await sut.app.state.entered.wait()
    second = await sut.client.post(f"{PROBE}/effects", json=1, headers=headers)
    assert second.status_code == 409
    assert second.json()["type"].endswith("/idempotency-key-in-flight")
    sut.app.state.gate.set()
    assert (await first).status_code == 201
    third = await sut.client.post(f"{PROBE}/effects", json=1, headers=headers)
    assert (third.status_code, third.json()["effect"]) == (201, 1)
    assert third.headers["idempotent-replayed"] == "true"
    assert await effects(sut) == 1


async def test_a_failed_attempt_releases_the_key(service_app: StartService) -> None:
    sut = await start(service_app)
    headers = key_headers(sut, str(uuid.uuid4()))
    failed = await sut.client.post(f"{PROBE}/effects", json=1, headers={**headers, "x-fail": "1"})
    assert failed.status_code == 409
    assert await effects(sut) == 0  # the attempt's effect rolled back with it
    retried = await sut.client.post(f"{PROBE}/effects", json=1, headers=headers)
    assert (retried.status_code, retried.json()["effect"]) == (201, 1)
    assert "idempotent-replayed" not in retried.headers


async def test_keys_are_scoped_per_client(service_app: StartService) -> None:
    sut = await start(service_app)
    key = str(uuid.uuid4())
    someone, other = a_staff("ROADS"), a_staff("ROADS")
    for who in (someone, other, someone):
        response = await sut.client.post(
            f"{PROBE}/effects", json=1, headers=key_headers(sut, key, who)
        )
        assert response.status_code == 201
    assert await effects(sut) == 2


async def test_missing_and_malformed_keys(service_app: StartService) -> None:
    sut = await start(service_app)
    staff_headers = operator.headers(sut.issuer)
    missing = await sut.client.post(f"{PROBE}/required", json=1, headers=staff_headers)
    assert missing.status_code == 400
    assert missing.json()["type"].endswith("/idempotency-key")  # the code clients match on
    # ... and the words people read (the console shows them)
    assert missing.json()["title"] == "缺少 Idempotency-Key 或格式有误"
    assert missing.json()["detail"] == "此请求须带 Idempotency-Key 请求头（建议使用 UUID）"
    # without a token the caller is told to authenticate first, key or no key
    for headers in ({}, {"Idempotency-Key": "short"}, {"Authorization": "Basic eDp5"}):
        anonymous = await sut.client.post(f"{PROBE}/required", json=1, headers=headers)
        assert anonymous.status_code == 401, headers
    for bad in ("short", "has a space inside", "x" * 256):
        response = await sut.client.post(
            f"{PROBE}/effects", json=1, headers={**staff_headers, "Idempotency-Key": bad}
        )
        assert response.status_code == 400, bad
    quoted = {**staff_headers, "Idempotency-Key": f'"{uuid.uuid4()}"'}  # structured field
    for _ in range(2):
        assert (await sut.client.post(f"{PROBE}/required", json=1, headers=quoted)).is_success
    for _ in range(2):  # optional: without a key, every POST is a new request
        assert (await sut.client.post(f"{PROBE}/effects", json=1, headers=staff_headers)).is_success
    assert await effects(sut) == 3


async def test_anonymous_callers_need_unguessable_keys(service_app: StartService) -> None:
    sut = await start(service_app)
    short = await sut.client.post(
        f"{PROBE}/public", json=1, headers={"Idempotency-Key": "abcdefgh"}
    )
    assert short.status_code == 400
    key = {"Idempotency-Key": str(uuid.uuid4())}
    assert (await sut.client.post(f"{PROBE}/public", json=1, headers=key)).status_code == 201
    again = await sut.client.post(f"{PROBE}/public", json=1, headers=key)
    assert again.headers["idempotent-replayed"] == "true"
    # A bad token on a public route counts as none, as the route's access rule sees it.
    spoiled = {**key, "Authorization": "Bearer not-a-token"}
    assert (await sut.client.post(f"{PROBE}/public", json=1, headers=spoiled)).headers[
        "idempotent-replayed"
    ] == "true"
    assert await effects(sut) == 1
    # Elsewhere a bad token is the access rule's to refuse, before any key is claimed.
    refused = await sut.client.post(f"{PROBE}/effects", json=1, headers=spoiled)
    assert refused.status_code == 401
    assert await count(sut, IdempotencyRecord) == 1


async def test_a_key_can_be_reused_after_retention(service_app: StartService) -> None:
    sut = await start(service_app)
    headers = key_headers(sut, str(uuid.uuid4()))
    with frozen_at(datetime(2026, 11, 26, 8, tzinfo=UTC)) as clock:
        assert (await sut.client.post(f"{PROBE}/effects", json=1, headers=headers)).is_success
        clock.advance(RETENTION - timedelta(seconds=1))
        replay = await sut.client.post(f"{PROBE}/effects", json=1, headers=headers)
        assert replay.headers["idempotent-replayed"] == "true"
        clock.advance(timedelta(seconds=1))
        fresh = await sut.client.post(f"{PROBE}/effects", json=2, headers=headers)
        assert (fresh.status_code, fresh.json()["effect"]) == (201, 2)
        clock.advance(RETENTION)
        async with db_of(sut).write() as session:
            assert await purge_expired(session) == 1
    assert await count(sut, IdempotencyRecord) == 0


async def test_a_request_cut_off_midway_frees_its_key(service_app: StartService) -> None:
    # The key is claimed in the request's own transaction: when the request dies (here it is
    # cancelled while it runs), nothing of it commits, the marker included.
    sut = await start(service_app)
    sut.app.state.gate, sut.app.state.entered = asyncio.Event(), asyncio.Event()
    headers = key_headers(sut, str(uuid.uuid4()))
    first = asyncio.create_task(sut.client.post(f"{PROBE}/effects", json=1, headers=headers))
    await sut.app.state.entered.wait()
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    assert await count(sut, IdempotencyRecord) == 0
    del sut.app.state.gate
    retried = await sut.client.post(f"{PROBE}/effects", json=1, headers=headers)
    assert (retried.status_code, retried.json()["effect"]) == (201, 1)
    assert "idempotent-replayed" not in retried.headers


@pytest.mark.postgres
async def test_another_replica_gets_409_while_the_first_runs_on_postgres(
    migrated_db: MigratedDb, issuer: TestIssuer, tmp_path: Path
) -> None:
    # Two replicas on one PostgreSQL database: no shared registry, the advisory lock on the
    # key answers the second one while the first one's transaction is open.
    settings = on_postgres(migrated_db, issuer, tmp_path)
    async with (
        in_process(with_probe, settings, issuer) as one,
        in_process(with_probe, settings, issuer) as two,
    ):
        one.app.state.gate, one.app.state.entered = asyncio.Event(), asyncio.Event()
        headers = key_headers(one, str(uuid.uuid4()))
        first = asyncio.create_task(one.client.post(f"{PROBE}/effects", json=1, headers=headers))
        await one.app.state.entered.wait()
        second = await two.client.post(f"{PROBE}/effects", json=1, headers=headers)
        assert second.status_code == 409, second.text
        assert second.json()["type"].endswith("/idempotency-key-in-flight")
        one.app.state.gate.set()
        assert (await first).status_code == 201
        third = await two.client.post(f"{PROBE}/effects", json=1, headers=headers)
        assert (third.status_code, third.json()["effect"]) == (201, 1)
        assert third.headers["idempotent-replayed"] == "true"
        other = await two.client.post(f"{PROBE}/effects", json=2, headers=headers)
        assert other.status_code == 422
        assert await effects(one) == 1


async def test_the_route_gets_the_body_exactly_as_sent(service_app: StartService) -> None:
    """The idempotency layer parses the body for its hash with orjson, which makes integers
    beyond 64 bits floats; the route parses its own, so they arrive exact, with a key as
    without one."""
    sut = await start(service_app)
    big, exact = 123456789012345678901234567890, {"id_card": "110101199003074512", "n": 2**62}
    for body in ({"n": big, "nested": [{"m": -big}]}, exact):
        for headers in (key_headers(sut, str(uuid.uuid4())), operator.headers(sut.issuer)):
            response = await sut.client.post(f"{PROBE}/effects", json=body, headers=headers)
            assert response.status_code == 201, response.text
            assert response.json()["body"] == body


async def stored_rows(sut: ServiceUnderTest) -> list[tuple[str, bytes]]:
    async with db_of(sut).read() as session:
        rows = await session.execute(select(IdempotencyRecord.key, IdempotencyRecord.body))
        return [(key, body or b"") for key, body in rows]


async def test_the_stored_answer_keeps_no_query_code_in_clear(service_app: StartService) -> None:
    # The case keeps only a hash of its query code; its stored answer (24 h) must not undo
    # that: the table holds a digest of the key and the answer locked under the key, and the
    # retry that brings the key still gets the code it lost.
    sut = await start(service_app)
    key = str(uuid.uuid4())
    first = await post_case(sut, key)
    again = await post_case(sut, key)
    code = first.json()["query_code"]
    assert code
    assert again.json()["query_code"] == code
    assert again.headers["idempotent-replayed"] == "true"
    [(stored_key, body)] = await stored_rows(sut)
    assert key not in stored_key
    assert code.encode() not in body
    assert first.json()["number"].encode() not in body
    assert PHONE[-4:].encode() not in body


async def test_rows_stored_in_clear_before_are_locked_by_the_migration(
    migrated_db: MigratedDb, issuer: TestIssuer, tmp_path: Path
) -> None:
    url = migrated_db(KIT_DIR)
    config = alembic_config(KIT_DIR, url)
    await asyncio.to_thread(command.downgrade, config, "ys_kit_0004")
    settings = service_settings(
        Settings, database_url=url, jwks_file=issuer.write_jwks(tmp_path / "jwks.json"),
        var_dir=tmp_path, nats_url=None,
    )  # fmt: skip
    key = str(uuid.uuid4())
    async with in_process(with_probe, settings, issuer) as sut:
        first = await sut.client.post(f"{PROBE}/effects", json=1, headers=key_headers(sut, key))
        async with db_of(sut).write() as session:  # the row as ys_kit_0004 kept it
            row = await session.scalar(select(IdempotencyRecord))
            assert row is not None
            row.key, row.body = key, open_answer(row.scope, key, row.body or b"")
    await asyncio.to_thread(command.upgrade, config, "heads")
    async with in_process(with_probe, settings, issuer) as sut:
        [(stored_key, body)] = await stored_rows(sut)
        assert key not in stored_key
        assert b'"effect"' not in body
        again = await sut.client.post(f"{PROBE}/effects", json=1, headers=key_headers(sut, key))
        assert again.headers["idempotent-replayed"] == "true"
        assert again.content == first.content
        assert await effects(sut) == 1
