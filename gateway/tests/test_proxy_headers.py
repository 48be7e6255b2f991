"""Request header fields the data path must handle itself: credentials sent once, exactly the
checked credential forwarded, and ``Expect: 100-continue`` answered by the gateway."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ys_gateway.settings import Settings

from .kit import Echo, gateway_on_uvicorn, nowhere, served, skeleton_service, upstreams

CLIENTS = "/api/v1/admin/clients"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_a_second_authorization_header_is_refused_not_smuggled(
    settings_for: Callable[..., Settings], tmp_path: Path
) -> None:
    """A request carrying two ``Authorization`` headers is refused (400): the gateway checks
    one token and must never let a service read another one (here: the token of a client the
    gateway refuses, because it was deactivated, placed before a valid staff token)."""
    hotline = nowhere()
    port = int(hotline.rsplit(":", 1)[1])
    settings = settings_for(upstreams=upstreams(hotline=hotline))
    async with gateway_on_uvicorn(settings) as gateway:
        service = skeleton_service("hotline", f"{gateway.url}/.well-known/jwks.json", str(tmp_path))
        async with served(service, port):
            client_token = await gateway.client_token("province")
            admin = await gateway.headers("admin")
            fenced = await gateway.client.patch(
                f"{CLIENTS}/province", json={"active": False}, headers=admin
            )
            assert fenced.status_code == 200, fenced.text
            alone = await gateway.client.get("/api/v1/hotline/me", headers=bearer(client_token))
            staff_token = (await gateway.login("clerk"))["access_token"]
            smuggled = await gateway.client.get(
                "/api/v1/hotline/me",
                headers=[
                    ("authorization", f"Bearer {client_token}"),
                    ("authorization", f"Bearer {staff_token}"),
                ],
            )
            valid = await gateway.client.get("/api/v1/hotline/me", headers=bearer(staff_token))
    assert alone.status_code == 401
    assert smuggled.status_code == 400, smuggled.text
    assert smuggled.headers["content-type"] == "application/problem+json"
    assert "Authorization" in smuggled.json()["detail"]
    assert valid.status_code == 200
    assert valid.json()["client_id"] is None


async def test_repeated_credentials_or_positions_are_refused_everywhere(
    settings_for: Callable[..., Settings],
) -> None:
    """``Authorization`` and ``X-Acting-Position`` may each come once, on relayed calls and on
    the gateway's own routes alike (400 problem); the upstream never sees such a request."""
    echo = Echo()
    async with served(echo.app()) as upstream:
        settings = settings_for(upstreams=upstreams(hotline=upstream.url))
        async with gateway_on_uvicorn(settings) as gateway:
            token = (await gateway.login("clerk"))["access_token"]
            auth = ("authorization", f"Bearer {token}")
            two_positions = await gateway.client.get(
                "/api/v1/hotline/x",
                headers=[
                    auth,
                    ("x-acting-position", "HALL/clerk"),
                    ("x-acting-position", "BUREAU/admin"),
                ],
            )
            own_route = await gateway.client.get("/api/v1/admin/departments", headers=[auth, auth])
            once = await gateway.client.get("/api/v1/hotline/x", headers=[auth])
    assert two_positions.status_code == 400, two_positions.text
    assert "X-Acting-Position" in two_positions.json()["detail"]
    assert own_route.status_code == 400, own_route.text
    assert once.status_code == 200
    assert len(echo.seen) == 1  # only the well-formed request was relayed
    assert echo.seen[0]["headers"]["authorization"] == f"Bearer {token}"


async def test_expect_100_continue_upload_goes_through(
    settings_for: Callable[..., Settings],
) -> None:
    """curl sends ``Expect: 100-continue`` with bodies over 1 KiB: the gateway answers the
    expectation itself (it reads the whole body before relaying) and does not forward the
    field, so the upload gets the upstream's final answer."""
    echo = Echo()
    async with served(echo.app()) as upstream:
        settings = settings_for(upstreams=upstreams(hotline=upstream.url))
        async with gateway_on_uvicorn(settings) as gateway:
            headers = {
                **(await gateway.headers("operator")),
                "Expect": "100-continue",
                "content-type": "application/json",
            }
            got = await gateway.client.post(
                "/api/v1/hotline/tickets", content=b"{" + b" " * 2048 + b"}", headers=headers
            )
    assert got.status_code == 200, got.text
    assert got.json()["body_len"] == 2050
    assert "expect" not in got.json()["headers"]
