"""A production county's first administrator (``ys_gateway.bootstrap``).

Production seeds no people, and only an active ``BUREAU/admin`` may create them: the first one
comes from ``YS_BOOTSTRAP_ADMIN_USERNAME`` / ``YS_BOOTSTRAP_ADMIN_PASSWORD`` at start-up, must
replace that password at the first sign-in, and is made once however often (and by however many
replicas) the gateway starts. Without the settings the gateway starts and says why nobody can
administer it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx
import pytest
from pydantic import ValidationError
from sqlalchemy import func, select, update

from yingshang.audit import AuditEntry
from yingshang.settings import DEMO_PASSWORD
from yingshang.testing.apps import PRODUCTION_DATA_SECRET, PRODUCTION_SECRET
from yingshang.testing.plugin import MigratedDb
from ys_gateway import bootstrap
from ys_gateway.app import SERVICE_DIR, create_app
from ys_gateway.models import Position, User
from ys_gateway.settings import Settings

from .kit import Gateway, gateway_settings

FIRST = "county.admin"
FIRST_PASSWORD = "Fenggang-2026-first"
PRODUCTION = {
    "env": "production",
    "key_secret": "a-county-key-secret-not-the-demo-one",
    "demo_password": PRODUCTION_SECRET,
    "data_secret": PRODUCTION_DATA_SECRET,
    "seed_demo": False,
    "notify_channel": "off",  # production refuses the file channel; no SMS gateway here
}
BOOTSTRAP = {"bootstrap_admin_username": FIRST, "bootstrap_admin_password": FIRST_PASSWORD}
CLERK = {
    "username": "zhou.jing",
    "name": "周静",
    "password": "temporary-pass-1",
    "positions": [{"dept": "HALL", "role": "clerk"}],
}


@asynccontextmanager
async def started(settings: Settings) -> AsyncIterator[Gateway]:
    """The gateway as ``uvicorn`` starts it (its lifespan: keys, seed, bootstrap)."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            yield Gateway(app, "http://gw", client)


@contextmanager
def bootstrap_log() -> Iterator[list[str]]:
    """The messages of ``ys_gateway.bootstrap`` (a handler on that logger itself: the first
    app of a test process replaces the root logger's handlers, pytest's included)."""
    messages: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    logger, handler = logging.getLogger("ys_gateway.bootstrap"), Keep(logging.INFO)
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)


def production(url: str, **overrides: Any) -> Settings:
    return gateway_settings(url, **{**PRODUCTION, **overrides})


async def creations(gateway: Gateway) -> list[dict[str, Any]]:
    async with gateway.app.state.db.read() as session:
        rows = await session.execute(
            select(AuditEntry.actor, AuditEntry.object_id, AuditEntry.detail).where(
                AuditEntry.action == "gateway.user.created"
            )
        )
        return [{"actor": a, "username": u, **d} for a, u, d in rows]


async def people(gateway: Gateway) -> int:
    async with gateway.app.state.db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(User)) or 0)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- the settings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "why"),
    [
        (DEMO_PASSWORD, "demo password"),
        ("Short-1a", "10-200 characters"),
        ("Abcdefgh1!", "at least 12"),  # the directory's rule, not production's
        ("alllowercaseletters", "three of"),
        ("ALLUPPER1234567", "three of"),
        ("My-county.admin-2026", "contains the username"),
    ],
)
def test_production_refuses_the_demo_password_and_weak_ones(password: str, why: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(**{**PRODUCTION, **BOOTSTRAP, "bootstrap_admin_password": password})
    assert why in str(refused.value)
    assert password not in str(refused.value)  # the error never echoes the secret


def test_the_two_settings_go_together_and_a_strong_password_passes() -> None:
    with pytest.raises(ValidationError, match="together"):
        Settings(**{**PRODUCTION, "bootstrap_admin_username": FIRST})
    with pytest.raises(ValidationError, match="together"):
        Settings(**{**PRODUCTION, "bootstrap_admin_password": FIRST_PASSWORD})
    accepted = Settings(**{**PRODUCTION, **BOOTSTRAP})
    assert accepted.bootstrap_admin_password is not None
    assert FIRST_PASSWORD not in repr(accepted)
    # compose hands unset variables on as empty ones: unset.
    empty = Settings(
        **{**PRODUCTION, "bootstrap_admin_username": "", "bootstrap_admin_password": ""}
    )
    assert (empty.bootstrap_admin_username, empty.bootstrap_admin_password) == (None, None)
    # Outside production the directory's own rule (10+ characters) is enough.
    assert Settings(bootstrap_admin_username=FIRST, bootstrap_admin_password="abcdefghij")


# --- production start-up -----------------------------------------------------------------------


async def test_the_first_administrator_changes_the_password_then_creates_people(
    migrated_db: MigratedDb,
) -> None:
    """Production, empty directory, the bootstrap settings: that account signs in, may do
    nothing before it replaces the password, then creates a member of staff."""
    async with started(production(migrated_db(SERVICE_DIR), **BOOTSTRAP)) as gateway:
        demo = await gateway.client.post(
            "/auth/token",
            data={"grant_type": "password", "username": "admin", "password": DEMO_PASSWORD},
        )
        issued = await gateway.login(FIRST, FIRST_PASSWORD)
        forced = bearer(issued["access_token"])
        refused = await gateway.client.post("/api/v1/admin/users", json=CLERK, headers=forced)
        changed = await gateway.client.post(
            "/auth/password",
            json={"current_password": FIRST_PASSWORD, "new_password": "Own-choice-2026!"},
            headers=forced,
        )
        admin = bearer(changed.json()["access_token"])
        created = await gateway.client.post("/api/v1/admin/users", json=CLERK, headers=admin)
        me = await gateway.client.get(f"/api/v1/admin/users/{FIRST}", headers=admin)
        ready = await gateway.client.get("/readyz")
        audited = await creations(gateway)
    assert demo.status_code == 400  # production has no demo people
    assert issued["password_change_required"] is True
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("password-change-required")
    assert changed.status_code == 200, changed.text
    assert created.status_code == 201, created.text
    assert created.json()["password_change_required"] is True
    assert me.json()["positions"] == [
        {"dept": "BUREAU", "role": "admin", "title": None, "dept_name": "营商环境建设局"}
    ]
    assert me.json()["password_change_required"] is False
    assert ready.status_code == 200
    assert ready.json()["checks"]["directory"]["administrator"] is True
    assert not any("administrator" in w for w in ready.json()["warnings"])
    first, clerk = audited
    assert first["actor"] == "system:bootstrap"
    assert (first["username"], first["bootstrap"]) == (FIRST, True)
    assert first["positions"] == [{"dept": "BUREAU", "role": "admin"}]
    assert "password" not in str(first)
    assert "event_id" in first  # published like any new user (ys.gateway.user.created)
    assert clerk["username"] == "zhou.jing"
    assert "bootstrap" not in clerk


async def test_a_restart_changes_nothing(migrated_db: MigratedDb) -> None:
    """The administrator exists (and chose a password): a restart with the same settings
    neither makes another nor resets that password."""
    url = migrated_db(SERVICE_DIR)
    async with started(production(url, **BOOTSTRAP)) as gateway:
        await gateway.first_sign_in(FIRST, FIRST_PASSWORD, "Own-choice-2026!")
    async with started(production(url, **BOOTSTRAP)) as gateway:
        again = await gateway.login(FIRST, "Own-choice-2026!")
        audited = await creations(gateway)
        count = await people(gateway)
    assert "password_change_required" not in again
    assert len(audited) == 1
    assert count == 1


async def test_without_the_settings_production_starts_and_says_why(
    migrated_db: MigratedDb,
) -> None:
    """No administrator, no bootstrap settings: the gateway serves (ready, public routes) and
    the log and /readyz say what to do; the next start with the settings makes one."""
    url = migrated_db(SERVICE_DIR)
    with bootstrap_log() as logged:
        async with started(production(url)) as gateway:
            ready = await gateway.client.get("/readyz")
            jwks = await gateway.client.get("/.well-known/jwks.json")
            count = await people(gateway)
    assert ready.status_code == 200
    assert ready.json()["checks"]["directory"]["administrator"] is False
    assert bootstrap.NO_ADMIN in ready.json()["warnings"]
    assert "YS_BOOTSTRAP_ADMIN_USERNAME" in bootstrap.NO_ADMIN
    assert bootstrap.NO_ADMIN in logged
    assert jwks.status_code == 200
    assert count == 0
    async with started(production(url, **BOOTSTRAP)) as gateway:
        ready = await gateway.client.get("/readyz")
        issued = await gateway.login(FIRST, FIRST_PASSWORD)
    assert ready.json()["warnings"] == []
    assert issued["password_change_required"] is True


async def test_an_existing_account_that_is_not_an_administrator_is_left_alone(
    migrated_db: MigratedDb,
) -> None:
    """The bootstrap account was deactivated and nobody else administers: a restart does not
    revive it from the deployment file; it says so and names the way out."""
    url = migrated_db(SERVICE_DIR)
    async with (
        started(production(url, **BOOTSTRAP)) as gateway,
        gateway.app.state.db.write() as session,
    ):
        await session.execute(update(User).values(active=False))
    async with started(production(url, **BOOTSTRAP)) as gateway:
        ready = (await gateway.client.get("/readyz")).json()
        refused = await gateway.client.post(
            "/auth/token",
            data={"grant_type": "password", "username": FIRST, "password": FIRST_PASSWORD},
        )
        audited = await creations(gateway)
        async with gateway.app.state.db.read() as session:
            active = await session.scalar(select(User.active).where(User.username == FIRST))
    assert ready["checks"]["directory"]["administrator"] is False
    [warning] = ready["warnings"]
    assert FIRST in warning
    assert "choose another YS_BOOTSTRAP_ADMIN_USERNAME" in warning
    assert refused.status_code == 400
    assert active is False
    assert len(audited) == 1


async def test_the_readiness_warning_clears_once_another_replica_made_one(
    migrated_db: MigratedDb,
) -> None:
    """A replica started without the settings learns at its next upkeep that another replica
    made the administrator."""
    url = migrated_db(SERVICE_DIR)
    async with started(production(url)) as plain:
        async with started(production(url, **BOOTSTRAP)):
            pass
        before = (await plain.client.get("/readyz")).json()
        await plain.app.state.core.refresh()
        after = (await plain.client.get("/readyz")).json()
    assert before["checks"]["directory"]["administrator"] is False
    assert after["checks"]["directory"]["administrator"] is True
    assert after["warnings"] == []


# --- two replicas at once ----------------------------------------------------------------------


@pytest.mark.postgres
async def test_two_replicas_starting_at_once_make_one_administrator(
    migrated_db: MigratedDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both replicas look in their own open transactions, find no administrator and insert
    (they are made to meet before inserting): the unique username lets one through; the other
    does nothing (no error, no second account, no second audit entry). PostgreSQL: replicas
    share a database there (SQLite is one process per file, whose writers take turns)."""
    url = migrated_db(SERVICE_DIR, backend="postgres")
    async with started(production(url)):  # the directory seeded, nobody in it
        pass
    real_create = bootstrap.create_user
    both_looked = asyncio.Barrier(2)

    async def meet_then_create(*args: Any, **kwargs: Any) -> User:
        await asyncio.wait_for(both_looked.wait(), timeout=10)
        return await real_create(*args, **kwargs)

    monkeypatch.setattr(bootstrap, "create_user", meet_then_create)
    apps = [create_app(production(url, **BOOTSTRAP)) for _ in range(2)]
    try:
        with bootstrap_log() as logged:
            await asyncio.gather(*(app.state.core.start(app) for app in apps))
        ready = [app.state.core.readiness() for app in apps]
        async with apps[0].state.db.read() as session:
            admins = await session.scalar(
                select(func.count()).select_from(Position).where(Position.role == "admin")
            )
            audited = await session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "gateway.user.created")
            )
    finally:
        for app in apps:
            await app.state.core.stop()
            await app.state.db.dispose()
    assert (admins, audited) == (1, 1)
    assert sum("made by another replica" in m for m in logged) == 1
    assert [r["administrator"] for r in ready] == [True, True]
    assert all("warnings" not in r for r in ready)
