"""The per-address limit covers every call without a usable token: no token, a refused
token (sending any ``Authorization`` header does not escape it), and the anonymous platform
health check (which probes every replica)."""

from __future__ import annotations

from collections.abc import Callable

from ys_gateway.settings import Settings

from .kit import Echo, gateway_on_uvicorn, served, upstreams


async def test_refused_tokens_count_against_the_address(
    settings_for: Callable[..., Settings],
) -> None:
    """Junk tokens get 401 until the address's bucket is empty, then 429 with Retry-After;
    a valid staff token is not limited by the address."""
    echo = Echo()
    async with served(echo.app()) as upstream:
        settings = settings_for(
            upstreams=upstreams(hotline=upstream.url), public_rate_per_minute=1, public_burst=3
        )
        async with gateway_on_uvicorn(settings) as gateway:
            staff = await gateway.headers("clerk")  # the token endpoint takes one
            junk = {"Authorization": "Bearer x.y.z"}
            relayed = [
                await gateway.client.get("/api/v1/hotline/x", headers=junk) for _ in range(4)
            ]
            valid = [
                (await gateway.client.get("/api/v1/hotline/x", headers=staff)).status_code
                for _ in range(4)
            ]
    assert [r.status_code for r in relayed] == [401, 401, 429, 429]
    assert relayed[-1].headers["retry-after"]
    assert valid == [200] * 4


async def test_anonymous_health_checks_are_limited_per_address(
    settings_for: Callable[..., Settings],
) -> None:
    """``/healthz`` without an administrator's token is limited per address (429)."""
    settings = settings_for(public_rate_per_minute=1, public_burst=2, aggregate_timeout_seconds=0.2)
    async with gateway_on_uvicorn(settings) as gateway:
        health = [(await gateway.client.get("/healthz")).status_code for _ in range(4)]
    assert health == [200, 200, 429, 429]
