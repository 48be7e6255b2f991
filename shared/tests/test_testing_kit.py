"""The test kit itself: isolated template copies, a real nats-server, services under test."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import nats
import pytest
from nats.js.errors import NotFoundError
from sqlalchemy import text

from yingshang.clock import now
from yingshang.db import Database
from yingshang.processes import free_port, port_in_use
from yingshang.testing import NatsProcess, TestIssuer, a_client, a_head, the_bureau
from yingshang.testing.clock import frozen_clock
from yingshang.testing.databases import Backend, TemplateDatabases, postgres_admin_url


async def _notes(url: str) -> list[str]:
    db = Database(url)
    try:
        async with db.read() as session:
            return [r[0] for r in await session.execute(text("SELECT body FROM probe_note"))]
    finally:
        await db.dispose()


async def _add_note(url: str, body: str) -> None:
    db = Database(url)
    try:
        async with db.write() as session:
            await session.execute(text("INSERT INTO probe_note (body) VALUES (:b)"), {"b": body})
    finally:
        await db.dispose()


@pytest.mark.parametrize("marker", ["first test's row", "second test's row"])
async def test_each_test_gets_its_own_migrated_copy(
    migrated_db: Any, probe_dir: Path, marker: str
) -> None:
    url = migrated_db(probe_dir)
    assert await _notes(url) == []  # whichever test ran first, its row is not here
    await _add_note(url, marker)
    assert await _notes(url) == [marker]


async def test_two_copies_in_one_test_are_independent(migrated_db: Any, probe_dir: Path) -> None:
    first, second = migrated_db(probe_dir), migrated_db(probe_dir)
    await _add_note(first, "only in the first")
    assert await _notes(second) == []


async def test_copies_carry_the_plumbing_tables(migrated_db: Any, probe_dir: Path) -> None:
    db = Database(migrated_db(probe_dir))
    try:
        async with db.read() as session:
            assert (await session.execute(text("SELECT count(*) FROM ys_outbox"))).scalar() == 0
    finally:
        await db.dispose()


def test_template_is_migrated_once_per_session(db_templates: TemplateDatabases, probe_dir: Path):
    assert db_templates.template(probe_dir, "sqlite") == db_templates.template(probe_dir, "sqlite")


@pytest.mark.postgres
async def test_postgres_copies_are_dropped_after_use(
    db_templates: TemplateDatabases, probe_dir: Path, tmp_path: Path
) -> None:
    url = db_templates.copy(probe_dir, "postgres", tmp_path)
    await _add_note(url, "on postgres")
    assert await _notes(url) == ["on postgres"]
    db_templates.drop(url)
    with pytest.raises(Exception, match="does not exist"):
        await _notes(url)


async def _databases_named(admin_url: str, part: str) -> list[str]:
    conn = await asyncpg.connect(admin_url)
    try:
        rows = await conn.fetch(
            "SELECT datname FROM pg_database WHERE strpos(datname, $1) > 0", part
        )
        return sorted(row[0] for row in rows)
    finally:
        await conn.close()


@pytest.mark.postgres
async def test_a_closed_session_leaves_no_copy_behind(
    postgres_url: str, probe_dir: Path, tmp_path: Path
) -> None:
    """Copies handed out, discarded or not, and the spare made for a test that never came: a
    session's close drops every one, and its template."""
    templates = TemplateDatabases(tmp_path, postgres_url)
    kept, discarded = (templates.copy(probe_dir, "postgres", tmp_path) for _ in range(2))
    templates.discard(discarded)
    assert kept.rsplit("/", 1)[-1] in await _databases_named(postgres_url, templates.session_tag)
    templates.close()
    assert await _databases_named(postgres_url, templates.session_tag) == []


seed_runs: list[str] = []  # what each run of the seed below wrote, in order


async def _seed_notes(db: Database) -> None:
    """A suite's seed: one note saying when it was written."""
    body = f"seeded at {now().isoformat()}"
    seed_runs.append(body)
    async with db.write() as session:
        await session.execute(text("INSERT INTO probe_note (body) VALUES (:b)"), {"b": body})


@pytest.mark.parametrize("marker", ["first test's row", "second test's row"])
async def test_each_test_gets_its_own_seeded_copy(
    migrated_db: Any, probe_dir: Path, marker: str
) -> None:
    url = migrated_db(probe_dir, seed=_seed_notes)
    [seeded] = await _notes(url)  # whichever test ran first, its row is not here
    await _add_note(url, marker)
    assert await _notes(url) == [seeded, marker]
    assert await _notes(migrated_db(probe_dir)) == []  # the migrated template has no seed


@pytest.mark.db
async def test_a_seed_is_written_once_per_frozen_instant(
    test_backend: Backend, probe_dir: Path, tmp_path: Path
) -> None:
    """Copies under one frozen instant share one seeded template; under another instant the
    seed writes again, with that instant's time; a closed session leaves none behind."""
    templates = TemplateDatabases(tmp_path / "templates", postgres_admin_url())
    first, second = datetime(2026, 3, 2, 2, 0, tzinfo=UTC), datetime(2026, 3, 9, 2, 0, tzinfo=UTC)

    def seeded_copy() -> str:
        return templates.copy(probe_dir, test_backend, tmp_path, _seed_notes)

    seed_runs.clear()
    try:
        with frozen_clock(first):
            one, two = seeded_copy(), seeded_copy()
        with frozen_clock(second):
            three = seeded_copy()
        assert seed_runs == [f"seeded at {first.isoformat()}", f"seeded at {second.isoformat()}"]
        await _add_note(one, "in the first copy only")
        assert await _notes(one) == [seed_runs[0], "in the first copy only"]
        assert await _notes(two) == [seed_runs[0]]
        assert await _notes(three) == [seed_runs[1]]
    finally:
        templates.close()
    if test_backend == "postgres":
        assert await _databases_named(postgres_admin_url() or "", templates.session_tag) == []


@pytest.mark.postgres
async def test_postgres_copies_do_not_wait_for_the_disk_at_commit(
    db_templates: TemplateDatabases, probe_dir: Path, tmp_path: Path
) -> None:
    db = Database(db_templates.copy(probe_dir, "postgres", tmp_path))
    try:
        async with db.read() as session:
            setting = (await session.execute(text("SHOW synchronous_commit"))).scalar()
    finally:
        await db.dispose()
        db_templates.discard(db.url)
    assert setting == "off"


async def test_nats_server_fixture_serves_jetstream(nats_server: str) -> None:
    nc = await nats.connect(nats_server)
    try:
        js = nc.jetstream()
        await js.add_stream(name="KIT_SELFTEST", subjects=["kit.selftest.>"])
        ack = await js.publish("kit.selftest.ping", b"{}")
        assert ack.stream == "KIT_SELFTEST"
        await js.delete_stream("KIT_SELFTEST")
    finally:
        await nc.close()


async def test_killed_nats_restarts_on_same_port_with_its_store(nats_process: NatsProcess):
    nc = await nats.connect(nats_process.url)
    js = nc.jetstream()
    await js.add_stream(name="KIT_FAULT", subjects=["kit.fault.>"])
    await js.publish("kit.fault.before", b"kept")
    await nc.close()

    nats_process.kill()
    assert not nats_process.running
    assert not port_in_use(nats_process.port)  # nothing answers while it is down

    nats_process.restart()
    nc = await nats.connect(nats_process.url)
    try:
        message = await nc.jetstream().get_last_msg("KIT_FAULT", "kit.fault.before")
        assert message.data == b"kept"
        with pytest.raises(NotFoundError):
            await nc.jetstream().get_last_msg("KIT_FAULT", "kit.fault.never")
    finally:
        await nc.close()


async def test_service_app_runs_a_migrated_service(
    service_app: Any, probe: Any, issuer: TestIssuer
) -> None:
    sut = await service_app(probe.create_app, probe.settings_class, probe.service_dir)
    headers = a_head("HALL").headers(issuer)
    assert (
        await sut.client.post("/api/v1/probe/notes?body=你好", headers=headers)
    ).status_code == 201
    assert (await sut.client.get("/api/v1/probe/notes", headers=headers)).json() == ["你好"]
    assert (await sut.client.get("/api/v1/probe/notes")).status_code == 401


async def test_service_server_answers_real_http(service_server: Any, probe: Any) -> None:
    sut = await service_server(probe.create_app, probe.settings_class, probe.service_dir)
    assert sut.base_url.startswith("http://127.0.0.1:")
    response = await sut.client.get("/api/v1/probe/notes", headers=the_bureau().headers(sut.issuer))
    assert response.json() == []


async def test_builders_mint_tokens_the_services_accept(issuer: TestIssuer) -> None:
    person = a_head("HALL").also("BUREAU", "staff")
    verified = await issuer.verifier().verify(person.token(issuer))
    assert verified.public_view() == person.build().public_view()
    assert verified.has("head", "HALL")
    assert verified.has("staff", "BUREAU")
    province = await issuer.verifier().verify(a_client("province", ["hotline:write"]).token(issuer))
    assert province.is_client
    assert province.has_scope("hotline:write")
    assert not province.positions


def test_free_port_is_free_until_bound() -> None:
    port = free_port()
    assert not port_in_use(port)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
        sock.listen()
        assert port_in_use(port)
