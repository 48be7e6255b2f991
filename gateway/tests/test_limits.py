"""Rate limits: per source address on public calls, per client from its row; token buckets."""

from __future__ import annotations

from collections.abc import Callable

from ys_gateway.proxy.ratelimit import TokenBuckets
from ys_gateway.settings import Settings

from .kit import Echo, gateway_on_uvicorn, served, upstreams


def test_bucket_refuses_beyond_the_burst_and_says_how_long() -> None:
    buckets = TokenBuckets()
    answers = [buckets.take("k", rate=0.5, burst=3) for _ in range(4)]
    assert answers[:3] == [0, 0, 0]
    assert answers[3] == 2  # one token every 2 s
    assert buckets.take("other", rate=0.5, burst=3) == 0


async def test_public_calls_are_limited_per_address(
    settings_for: Callable[..., Settings],
) -> None:
    echo = Echo()
    async with served(echo.app()) as upstream:
        settings = settings_for(
            upstreams=upstreams(hotline=upstream.url), public_rate_per_minute=1, public_burst=3
        )
        async with gateway_on_uvicorn(settings) as gateway:
            operator = await gateway.headers("operator")  # the token call takes one token
            answers = [await gateway.client.get("/api/v1/hotline/public") for _ in range(3)]
            staff = await gateway.client.get("/api/v1/hotline/x", headers=operator)
    assert [a.status_code for a in answers] == [200, 200, 429]
    refused = answers[2]
    assert refused.headers["content-type"] == "application/problem+json"
    assert int(refused.headers["retry-after"]) >= 1
    assert staff.status_code == 200  # signed-in staff are not counted against the address
    assert len(echo.seen) == 3


async def test_a_client_gets_the_rate_of_its_row(settings_for: Callable[..., Settings]) -> None:
    echo = Echo()
    async with served(echo.app()) as upstream:
        settings = settings_for(upstreams=upstreams(hotline=upstream.url), client_burst_seconds=1)
        async with gateway_on_uvicorn(settings) as gateway:
            admin = await gateway.headers("admin")
            slow = {"rate_limit_per_minute": 120}  # 2/s, burst of 2
            changed = await gateway.client.patch(
                "/api/v1/admin/clients/province", json=slow, headers=admin
            )
            assert changed.status_code == 200
            token = {"Authorization": f"Bearer {await gateway.client_token('province')}"}
            answers = [
                await gateway.client.get("/api/v1/hotline/x", headers=token) for _ in range(3)
            ]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2].headers["retry-after"] == "1"


async def test_token_endpoint_is_limited_per_address(
    settings_for: Callable[..., Settings],
) -> None:
    settings = settings_for(public_rate_per_minute=1, public_burst=2)
    async with gateway_on_uvicorn(settings) as gateway:
        form = {"grant_type": "password", "username": "x", "password": "y"}
        answers = [await gateway.client.post("/auth/token", data=form) for _ in range(3)]
    assert [a.status_code for a in answers] == [400, 400, 429]
    assert "retry-after" in answers[2].headers


async def test_disabled_client_tokens_stop_at_the_gateway(
    settings_for: Callable[..., Settings],
) -> None:
    echo = Echo()
    async with served(echo.app()) as upstream:
        settings = settings_for(upstreams=upstreams(hotline=upstream.url))
        async with gateway_on_uvicorn(settings) as gateway:
            token = {"Authorization": f"Bearer {await gateway.client_token('province')}"}
            before = await gateway.client.get("/api/v1/hotline/x", headers=token)
            admin = await gateway.headers("admin")
            await gateway.client.patch(
                "/api/v1/admin/clients/province", json={"active": False}, headers=admin
            )
            after = await gateway.client.get("/api/v1/hotline/x", headers=token)
            elsewhere = {"allowed_cidrs": ["10.0.0.0/8"], "active": True}
            await gateway.client.patch(
                "/api/v1/admin/clients/province", json=elsewhere, headers=admin
            )
            fenced = await gateway.client.get("/api/v1/hotline/x", headers=token)
    assert before.status_code == 200
    assert after.status_code == 401
    assert fenced.status_code == 403
