"""``POST /auth/password``: a person changes their own password. The current one must be
proven (a wrong one counts toward the sign-in lockout), the new one follows the rules of
admin-set passwords and differs from the current one, the change ends every other session
and is audited, and the endpoint is rate-limited per address like the token endpoint."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from sqlalchemy import select

from yingshang.audit import AuditEntry
from yingshang.problems import PROBLEM_BASE
from yingshang.settings import DEMO_PASSWORD
from ys_gateway.app import create_app
from ys_gateway.settings import Settings

from .kit import Gateway, gateway_on_uvicorn

PASSWORD = "/auth/password"
TOKEN = "/auth/token"
NEW = "a-fresh-password-1"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def change(current: str, new: str = NEW) -> dict[str, str]:
    return {"current_password": current, "new_password": new}


async def sign_in(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    form = {"grant_type": "password", "username": username, "password": password}
    return await client.post(TOKEN, data=form)


async def refresh(client: httpx.AsyncClient, token: str) -> int:
    form = {"grant_type": "refresh_token", "refresh_token": token}
    return (await client.post(TOKEN, data=form)).status_code


@asynccontextmanager
async def gateway_with(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            yield client


async def test_a_person_changes_their_own_password(gateway: Gateway) -> None:
    """The answer is a new token pair; the old password stops working, the new one signs in;
    the audit names the person and keeps no password."""
    token = (await gateway.login("clerk"))["access_token"]
    changed = await gateway.client.post(PASSWORD, json=change(DEMO_PASSWORD), headers=bearer(token))
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert {"access_token", "refresh_token", "expires_in"} <= set(body)
    assert "password_change_required" not in body
    assert changed.headers["cache-control"] == "no-store"
    assert (await sign_in(gateway.client, "clerk", DEMO_PASSWORD)).status_code == 400
    assert (await sign_in(gateway.client, "clerk", NEW)).status_code == 200
    me = await gateway.client.get("/api/v1/gateway/me", headers=bearer(body["access_token"]))
    assert me.status_code == 200
    entries = await _audit(gateway, "gateway.user.password_changed")
    assert len(entries) == 1
    actor, object_id, detail = entries[0]
    assert (actor, object_id) == (me.json()["sub"], "clerk")
    assert detail["self_service"] is True
    assert detail["forced"] is False
    assert not any("password" in key for key in detail)


async def test_a_change_ends_every_other_session(gateway: Gateway) -> None:
    """Refresh tokens issued before the change, on every device, no longer mint tokens; the
    pair the change answered with does."""
    laptop = await gateway.login("clerk")
    phone = await gateway.login("clerk")
    changed = await gateway.client.post(
        PASSWORD, json=change(DEMO_PASSWORD), headers=bearer(laptop["access_token"])
    )
    assert changed.status_code == 200, changed.text
    assert await refresh(gateway.client, laptop["refresh_token"]) == 400
    assert await refresh(gateway.client, phone["refresh_token"]) == 400
    assert await refresh(gateway.client, changed.json()["refresh_token"]) == 200


async def test_a_wrong_current_password_counts_toward_the_lockout(
    settings_for: Callable[..., Settings],
) -> None:
    """A wrong current password is a 403 problem and a failed sign-in of the username: after
    the threshold the username is locked for the change (429) and for signing in."""
    async with gateway_with(settings_for(lockout_threshold=3)) as client:
        token = (await sign_in(client, "clerk", DEMO_PASSWORD)).json()["access_token"]
        wrong = [
            await client.post(PASSWORD, json=change("not-my-password"), headers=bearer(token))
            for _ in range(3)
        ]
        locked = await client.post(PASSWORD, json=change(DEMO_PASSWORD), headers=bearer(token))
        login = await sign_in(client, "clerk", DEMO_PASSWORD)
    assert [w.status_code for w in wrong] == [403, 403, 403]
    problem = wrong[0].json()
    assert problem["type"] == PROBLEM_BASE + "wrong-password"
    assert wrong[0].headers["content-type"].startswith("application/problem+json")
    assert locked.status_code == 429
    assert locked.json()["type"] == PROBLEM_BASE + "locked"
    assert int(locked.headers["retry-after"]) > 0
    assert login.status_code == 400
    assert "try again later" in login.json()["error_description"]


async def test_a_successful_change_clears_earlier_failures(
    settings_for: Callable[..., Settings],
) -> None:
    async with gateway_with(settings_for(lockout_threshold=3)) as client:
        token = (await sign_in(client, "clerk", DEMO_PASSWORD)).json()["access_token"]
        for _ in range(2):
            await client.post(PASSWORD, json=change("not-my-password"), headers=bearer(token))
        ok = await client.post(PASSWORD, json=change(DEMO_PASSWORD), headers=bearer(token))
        slips = [(await sign_in(client, "clerk", "a-slip")).status_code for _ in range(2)]
        login = await sign_in(client, "clerk", NEW)
    assert ok.status_code == 200, ok.text
    assert slips == [400, 400]
    assert login.status_code == 200  # 2 slips after the change: the earlier 2 were forgotten


async def test_weak_or_unchanged_passwords_are_refused(
    settings_for: Callable[..., Settings],
) -> None:
    """422 for a new password outside the admin rules (10–200 characters) or equal to the
    current one; neither is a guess at the current password, so neither counts toward the
    lockout."""
    async with gateway_with(settings_for(lockout_threshold=2)) as client:
        token = (await sign_in(client, "clerk", DEMO_PASSWORD)).json()["access_token"]
        short = await client.post(
            PASSWORD, json=change(DEMO_PASSWORD, "short"), headers=bearer(token)
        )
        long = await client.post(
            PASSWORD, json=change(DEMO_PASSWORD, "x" * 201), headers=bearer(token)
        )
        same = await client.post(
            PASSWORD, json=change(DEMO_PASSWORD, DEMO_PASSWORD), headers=bearer(token)
        )
        still = await sign_in(client, "clerk", DEMO_PASSWORD)
    assert (short.status_code, long.status_code, same.status_code) == (422, 422, 422)
    assert short.json()["type"] == PROBLEM_BASE + "validation"
    assert [e["field"] for e in short.json()["errors"]] == ["new_password"]
    assert same.json()["type"] == PROBLEM_BASE + "same-password"
    assert same.json()["field"] == "new_password"
    assert same.json()["detail"] == "新密码不能与当前密码相同"  # the person changing it reads this
    assert still.status_code == 200


async def test_only_a_signed_in_person_changes_a_password(gateway: Gateway) -> None:
    """No token: 401; an integration client's token: 403 (clients have secrets, rotated by
    an administrator)."""
    anonymous = await gateway.client.post(PASSWORD, json=change(DEMO_PASSWORD))
    client = await gateway.client_token("province")
    as_client = await gateway.client.post(
        PASSWORD, json=change(DEMO_PASSWORD), headers=bearer(client)
    )
    assert anonymous.status_code == 401
    assert as_client.status_code == 403
    assert as_client.json()["type"] == PROBLEM_BASE + "not-a-person"


async def test_a_deactivated_person_cannot_change_the_password(gateway: Gateway) -> None:
    token = (await gateway.login("clerk"))["access_token"]
    admin = await gateway.headers("admin")
    off = await gateway.client.patch(
        "/api/v1/admin/users/clerk", json={"active": False}, headers=admin
    )
    assert off.status_code == 200
    refused = await gateway.client.post(PASSWORD, json=change(DEMO_PASSWORD), headers=bearer(token))
    assert refused.status_code == 401


async def test_the_change_is_rate_limited_per_address(
    settings_for: Callable[..., Settings],
) -> None:
    """The same per-address bucket as the token endpoint (the sign-in takes one token)."""
    settings = settings_for(public_rate_per_minute=1, public_burst=2)
    async with gateway_on_uvicorn(settings) as gateway:
        token = (await gateway.login("clerk"))["access_token"]
        answers = [
            await gateway.client.post(
                PASSWORD, json=change("not-my-password"), headers=bearer(token)
            )
            for _ in range(2)
        ]
    assert [a.status_code for a in answers] == [403, 429]
    assert answers[1].json()["type"] == PROBLEM_BASE + "rate-limited"
    assert "retry-after" in answers[1].headers


async def _audit(gateway: Gateway, action: str) -> list[Any]:
    async with gateway.app.state.db.read() as session:
        rows = await session.execute(
            select(AuditEntry.actor, AuditEntry.object_id, AuditEntry.detail).where(
                AuditEntry.action == action
            )
        )
        return list(rows.all())
