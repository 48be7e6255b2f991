"""A password an administrator set (new account, reset) must be changed at the next sign-in:
the token response and the token say so, and until the change the gateway refuses that token
everywhere (data path and its own routes) except ``POST /auth/password``. Demo people seeded
from the county file are never flagged."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import yaml
from sqlalchemy import select

from yingshang.audit import AuditEntry
from yingshang.problems import PROBLEM_BASE
from yingshang.settings import COUNTY_FILE
from ys_gateway.models import User
from ys_gateway.settings import Settings

from .kit import Echo, Gateway, gateway_on_uvicorn, served, upstreams

USERS = "/api/v1/admin/users"
PASSWORD = "/auth/password"
REQUIRED = PROBLEM_BASE + "password-change-required"
NEWBIE = {
    "username": "newbie",
    "name": "新同事",
    "password": "temporary-pass-1",
    "positions": [{"dept": "HOTLINE_CENTER", "role": "clerk"}],
}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def claims_of(token: str) -> dict[str, Any]:
    decoded: dict[str, Any] = orjson.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    return decoded


async def test_a_new_account_may_only_change_its_password_first(
    settings_for: Callable[..., Settings],
) -> None:
    """Created by an administrator: flagged in the directory, the token response and the
    token; every other call with that token is a 403 problem (the service never sees it);
    after the change the new token goes everywhere its positions allow."""
    echo = Echo()
    async with served(echo.app()) as upstream:
        settings = settings_for(upstreams=upstreams(hotline=upstream.url))
        async with gateway_on_uvicorn(settings) as gateway:
            admin = await gateway.headers("admin")
            created = await gateway.client.post(USERS, json=NEWBIE, headers=admin)
            issued = await gateway.login("newbie", NEWBIE["password"])
            forced = bearer(issued["access_token"])
            refused = [
                await gateway.client.get("/api/v1/hotline/tickets", headers=forced),
                await gateway.client.post("/api/v1/hotline/tickets", json={}, headers=forced),
                await gateway.client.get("/api/v1/admin/departments", headers=forced),
                await gateway.client.get("/api/v1/gateway/me", headers=forced),
            ]
            renewed = await gateway.client.post(
                "/auth/token",
                data={"grant_type": "refresh_token", "refresh_token": issued["refresh_token"]},
            )
            seen_before = len(echo.seen)
            changed = await gateway.client.post(
                PASSWORD,
                json={"current_password": NEWBIE["password"], "new_password": "my-own-pass-22"},
                headers=forced,
            )
            free = bearer(changed.json()["access_token"])
            relayed = await gateway.client.get("/api/v1/hotline/tickets", headers=free)
            departments = await gateway.client.get("/api/v1/admin/departments", headers=free)
            listed = await gateway.client.get(f"{USERS}/newbie", headers=admin)
            again = await gateway.login("newbie", "my-own-pass-22")
    assert created.status_code == 201, created.text
    assert created.json()["password_change_required"] is True
    assert issued["password_change_required"] is True
    assert claims_of(issued["access_token"])["password_change_required"] is True
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    assert {r.json()["type"] for r in refused} == {REQUIRED}
    assert "/auth/password" in refused[0].json()["detail"]
    assert seen_before == 0  # nothing reached the service
    assert renewed.json()["password_change_required"] is True  # a refresh does not escape it
    assert changed.status_code == 200, changed.text
    assert "password_change_required" not in changed.json()
    assert "password_change_required" not in claims_of(changed.json()["access_token"])
    assert relayed.status_code == 200
    assert len(echo.seen) == 1
    assert departments.status_code == 200
    assert listed.json()["password_change_required"] is False
    assert "password_change_required" not in again


async def test_an_admin_reset_requires_a_change_again(gateway: Gateway) -> None:
    """Also a person who chose their own password before: a reset flags them again; other
    changes by an administrator (name, positions) do not."""
    admin = await gateway.headers("admin")
    assert (await gateway.client.post(USERS, json=NEWBIE, headers=admin)).status_code == 201
    await gateway.first_sign_in("newbie", NEWBIE["password"])
    renamed = await gateway.client.patch(f"{USERS}/newbie", json={"name": "老同事"}, headers=admin)
    reset = await gateway.client.patch(
        f"{USERS}/newbie", json={"password": "another-temp-1"}, headers=admin
    )
    issued = await gateway.login("newbie", "another-temp-1")
    refused = await gateway.client.get(
        "/api/v1/admin/halls", headers=bearer(issued["access_token"])
    )
    assert renamed.json()["password_change_required"] is False
    assert reset.json()["password_change_required"] is True
    assert issued["password_change_required"] is True
    assert refused.status_code == 403
    assert refused.json()["type"] == REQUIRED


async def test_the_change_audit_says_it_was_required(gateway: Gateway) -> None:
    admin = await gateway.headers("admin")
    assert (await gateway.client.post(USERS, json=NEWBIE, headers=admin)).status_code == 201
    await gateway.first_sign_in("newbie", NEWBIE["password"])
    async with gateway.app.state.db.read() as session:
        detail = await session.scalar(
            select(AuditEntry.detail).where(AuditEntry.action == "gateway.user.password_changed")
        )
    assert detail is not None
    assert detail["forced"] is True


async def test_an_admin_reset_is_audited_as_a_password_change(gateway: Gateway) -> None:
    """The reset's audit entry says a password was set (by the administrator, not the person)
    and holds no password."""
    admin = await gateway.headers("admin")
    assert (await gateway.client.post(USERS, json=NEWBIE, headers=admin)).status_code == 201
    reset = await gateway.client.patch(
        f"{USERS}/newbie", json={"password": "another-temp-1"}, headers=admin
    )
    renamed = await gateway.client.patch(f"{USERS}/newbie", json={"name": "老同事"}, headers=admin)
    async with gateway.app.state.db.read() as session:
        rows = await session.execute(
            select(AuditEntry.actor, AuditEntry.detail).where(
                AuditEntry.action == "gateway.user.password_changed"
            )
        )
        entries = rows.all()
        admin_id = await session.scalar(select(User.id).where(User.username == "admin"))
    assert (reset.status_code, renamed.status_code) == (200, 200)
    [(actor, detail)] = entries  # the rename is no password change
    assert detail == {"username": "newbie", "self_service": False, "change_required": True}
    assert actor == str(admin_id)


async def test_demo_people_are_not_flagged(gateway: Gateway) -> None:
    """The demo and every test suite sign in with the seeded people: none is held up."""
    county = yaml.safe_load(Path(COUNTY_FILE).read_text("utf-8"))
    async with gateway.app.state.db.read() as session:
        flagged = (
            await session.scalars(select(User.username).where(User.password_change_required))
        ).all()
        seeded = (await session.scalars(select(User.username))).all()
    assert sorted(seeded) == sorted(u["username"] for u in county["demo_users"])
    assert flagged == []
    issued = await gateway.login("operator")
    assert "password_change_required" not in issued
    assert "password_change_required" not in claims_of(issued["access_token"])
