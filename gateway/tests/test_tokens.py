"""OAuth2: the three grants, lockout, refresh rotation and reuse, logout, token checks, keys."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from typing import Any

import httpx
import orjson
import pytest

from yingshang.auth import principal_from_claims
from yingshang.settings import DEMO_PASSWORD
from ys_gateway.app import create_app
from ys_gateway.settings import Settings

from .kit import Gateway

ME = "/api/v1/gateway/me"
TOKEN = "/auth/token"


def claims_of(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    decoded: dict[str, Any] = orjson.loads(base64.urlsafe_b64decode(payload + "=="))
    return decoded


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def signed(gateway: Gateway, **changes: Any) -> str:
    """A token signed by the gateway's real key, with some claims changed."""
    now = int(time.time())
    claims = {
        "iss": "yingshang-gateway",
        "aud": "yingshang",
        "iat": now,
        "exp": now + 60,
        "jti": "t",
        "sub": "user:x",
        "name": "x",
        "positions": [],
        "scope": "",
    }
    claims.update(changes)
    token: str = gateway.app.state.keys.sign(claims)
    return token


async def test_password_grant_carries_what_services_read(gateway: Gateway) -> None:
    issued = await gateway.login("gsl_chair")
    assert issued["token_type"] == "Bearer"
    assert issued["expires_in"] == 900
    claims = claims_of(issued["access_token"])
    assert claims["exp"] - claims["iat"] == 900
    assert {
        "sub",
        "name",
        "staff_no",
        "positions",
        "scope",
        "exp",
        "iat",
        "jti",
        "iss",
        "aud",
    } <= set(claims)
    principal = principal_from_claims(claims)
    assert principal.staff_no == "GS7000"
    assert principal.has("head", "GSL")
    assert principal.has("staff", "BUREAU")
    me = await gateway.client.get(ME, headers=bearer(issued["access_token"]))
    assert me.status_code == 200
    assert len(me.json()["positions"]) == 2


async def test_wrong_password_and_unknown_user_look_alike(gateway: Gateway) -> None:
    form = {"grant_type": "password", "password": "wrong-password"}
    known = await gateway.client.post(TOKEN, data={**form, "username": "clerk"})
    unknown = await gateway.client.post(TOKEN, data={**form, "username": "nobody"})
    assert known.status_code == unknown.status_code == 400
    assert known.json() == unknown.json()
    assert known.json()["error"] == "invalid_grant"
    assert known.headers["cache-control"] == "no-store"


async def test_repeated_failures_lock_the_username(
    settings_for: Callable[..., Settings],
) -> None:
    app = create_app(settings_for(lockout_threshold=3))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            for name in ("clerk", "ghost"):
                bad = {"grant_type": "password", "username": name, "password": "nope-nope"}
                for _ in range(3):
                    await client.post(TOKEN, data=bad)
            good = {"grant_type": "password", "username": "clerk", "password": DEMO_PASSWORD}
            locked = await client.post(TOKEN, data=good)
            ghost = await client.post(TOKEN, data={**good, "username": "ghost"})
            other = await client.post(TOKEN, data={**good, "username": "clerk2"})
    assert locked.status_code == 400
    assert "try again later" in locked.json()["error_description"]
    assert ghost.json() == locked.json()  # an unknown name locks the same way
    assert other.status_code == 200


async def test_client_credentials_by_basic_and_by_form(gateway: Gateway) -> None:
    basic = await gateway.client.post(
        TOKEN, data={"grant_type": "client_credentials"}, auth=("province", DEMO_PASSWORD)
    )
    form = await gateway.client.post(
        TOKEN,
        data={
            "grant_type": "client_credentials",
            "client_id": "province",
            "client_secret": DEMO_PASSWORD,
            "scope": "hotline:write",
        },
    )
    assert basic.status_code == form.status_code == 200
    assert "refresh_token" not in basic.json()
    claims = claims_of(basic.json()["access_token"])
    assert claims["client_id"] == "province"
    assert "events:subscribe" in claims["scope"].split()
    assert claims_of(form.json()["access_token"])["scope"] == "hotline:write"


async def test_client_failures(gateway: Gateway) -> None:
    wrong = await gateway.client.post(
        TOKEN, data={"grant_type": "client_credentials"}, auth=("province", "wrong")
    )
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    assert wrong.headers["www-authenticate"].startswith("Basic")
    scope = await gateway.client.post(
        TOKEN,
        data={"grant_type": "client_credentials", "scope": "admin:all"},
        auth=("province", DEMO_PASSWORD),
    )
    assert scope.status_code == 400
    assert scope.json()["error"] == "invalid_scope"


async def test_malformed_token_requests(gateway: Gateway) -> None:
    json_body = await gateway.client.post(TOKEN, json={"grant_type": "password"})
    assert json_body.json()["error"] == "invalid_request"
    odd = await gateway.client.post(TOKEN, data={"grant_type": "implicit"})
    assert odd.json()["error"] == "unsupported_grant_type"
    missing = await gateway.client.post(TOKEN, data={"grant_type": "password"})
    assert missing.status_code == 400
    assert missing.json()["status"] == 400


async def test_refresh_rotates_and_reuse_revokes_the_family(gateway: Gateway) -> None:
    first = await gateway.login("operator")
    refresh = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    second = await gateway.client.post(TOKEN, data=refresh)
    assert second.status_code == 200
    assert second.json()["refresh_token"] != first["refresh_token"]
    replay = await gateway.client.post(TOKEN, data=refresh)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    # the replay revoked the whole family: the newest token is dead too
    newest = {"grant_type": "refresh_token", "refresh_token": second.json()["refresh_token"]}
    assert (await gateway.client.post(TOKEN, data=newest)).status_code == 400


async def test_logout_revokes_the_refresh_token(gateway: Gateway) -> None:
    issued = await gateway.login("clerk")
    out = await gateway.client.post("/auth/logout", data={"refresh_token": issued["refresh_token"]})
    assert out.status_code == 204
    again = {"grant_type": "refresh_token", "refresh_token": issued["refresh_token"]}
    assert (await gateway.client.post(TOKEN, data=again)).status_code == 400


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda g: signed(g, exp=int(time.time()) - 3600), id="expired"),
        pytest.param(lambda g: signed(g, aud="someone-else"), id="wrong-audience"),
        pytest.param(lambda g: signed(g, iss="elsewhere"), id="wrong-issuer"),
        pytest.param(lambda g: _tampered(signed(g)), id="tampered-signature"),
        pytest.param(lambda g: _alg_none(signed(g)), id="alg-none"),
        pytest.param(lambda g: "not-a-jwt", id="garbage"),
    ],
)
async def test_bad_tokens_are_refused(gateway: Gateway, forge: Callable[[Gateway], str]) -> None:
    response = await gateway.client.get(ME, headers=bearer(forge(gateway)))
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


def _tampered(token: str) -> str:
    head, body, sig = token.split(".")
    claims = orjson.loads(base64.urlsafe_b64decode(body + "=="))
    claims["positions"] = [{"dept": "BUREAU", "role": "admin"}]
    forged = base64.urlsafe_b64encode(orjson.dumps(claims)).rstrip(b"=").decode()
    return f"{head}.{forged}.{sig}"


def _alg_none(token: str) -> str:
    _, body, _ = token.split(".")
    head = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    return f"{head}.{body}."


async def test_rotation_keeps_old_tokens_valid(gateway: Gateway) -> None:
    admin = await gateway.headers("admin")
    before = (await gateway.client.get("/.well-known/jwks.json")).json()["keys"]
    rotated = await gateway.client.post("/api/v1/admin/keys/rotate", headers=admin)
    assert rotated.status_code == 200
    after = (await gateway.client.get("/.well-known/jwks.json")).json()["keys"]
    assert {k["kid"] for k in before} < {k["kid"] for k in after}
    assert (await gateway.client.get(ME, headers=admin)).status_code == 200
    fresh = await gateway.login("admin")
    assert claims_of(fresh["access_token"])
    assert _kid(fresh["access_token"]) == rotated.json()["kid"]
    assert (await gateway.client.get(ME, headers=bearer(fresh["access_token"]))).status_code == 200


def _kid(token: str) -> str:
    header = orjson.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    return str(header["kid"])


async def test_es256_keys_work_too(settings_for: Callable[..., Settings]) -> None:
    app = create_app(settings_for(signing_alg="ES256"))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            gateway = Gateway(app, "http://gw", client)
            token = (await gateway.login("bureau"))["access_token"]
            jwks = (await client.get("/.well-known/jwks.json")).json()
            me = await client.get(ME, headers=bearer(token))
    assert jwks["keys"][0]["kty"] == "EC"
    assert me.status_code == 200


async def test_private_keys_are_encrypted_at_rest(gateway: Gateway) -> None:
    from sqlalchemy import select

    from ys_gateway.models import SigningKey

    async with gateway.app.state.db.read() as session:
        pems = [k.private_pem for k in await session.scalars(select(SigningKey))]
    assert pems
    assert all("ENCRYPTED PRIVATE KEY" in pem for pem in pems)


async def test_expired_refresh_token_is_refused(gateway: Gateway) -> None:
    from datetime import timedelta

    from yingshang.clock import FrozenClock, get_clock, now, set_clock

    issued = await gateway.login("operator")
    previous = get_clock()
    set_clock(FrozenClock(now() + timedelta(hours=9)))  # past the 8-hour refresh lifetime
    try:
        form = {"grant_type": "refresh_token", "refresh_token": issued["refresh_token"]}
        late = await gateway.client.post(TOKEN, data=form)
    finally:
        set_clock(previous)
    assert late.status_code == 400
    assert late.json()["error"] == "invalid_grant"
