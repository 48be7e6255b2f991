"""The data path over real HTTP: the gateway and its upstreams on uvicorn, on free ports."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx

from yingshang.problems import PROBLEM_BASE
from ys_gateway.settings import Settings

from .kit import Echo, gateway_on_uvicorn, nowhere, serve, served, skeleton_service, upstreams

TRACE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


async def test_two_positions_reach_the_service_through_the_gateway(
    settings_for: Callable[..., Settings], tmp_path: Path
) -> None:
    """The cross-posted chairman acts in both departments: the token carries both positions
    and the (skeleton) service sees both, having verified the token itself."""
    hotline_port_url = nowhere()
    port = int(hotline_port_url.rsplit(":", 1)[1])
    settings = settings_for(upstreams=upstreams(hotline=hotline_port_url))
    async with gateway_on_uvicorn(settings) as gateway:
        service = skeleton_service("hotline", f"{gateway.url}/.well-known/jwks.json", str(tmp_path))
        async with served(service, port):
            headers = await gateway.headers("gsl_chair")
            me = await gateway.client.get("/api/v1/hotline/me", headers=headers)
            acting = {**headers, "X-Acting-Position": "BUREAU/staff"}
            as_deputy = await gateway.client.get("/api/v1/hotline/me", headers=acting)
            acting = {**headers, "X-Acting-Position": "BUREAU/head"}
            not_held = await gateway.client.get("/api/v1/hotline/me", headers=acting)
    assert me.status_code == 200
    assert {(p["dept"], p["role"]) for p in me.json()["positions"]} == {
        ("GSL", "head"),
        ("BUREAU", "staff"),
    }
    # the position picked in the console narrows what the service sees, never widens it
    assert [(p["dept"], p["role"]) for p in as_deputy.json()["positions"]] == [("BUREAU", "staff")]
    assert not_held.status_code == 403
    assert not_held.headers["content-type"].startswith("application/problem+json")


async def test_requests_pass_unchanged_with_ids(settings_for: Callable[..., Settings]) -> None:
    echo = Echo()
    async with served(echo.app()) as upstream:
        settings = settings_for(upstreams=upstreams(hotline=upstream.url))
        async with gateway_on_uvicorn(settings) as gateway:
            headers = {**(await gateway.headers("operator")), "traceparent": TRACE}
            got = await gateway.client.post(
                "/api/v1/hotline/tickets/%E4%B8%AD?x=1&y=%20",
                content=b"{}",
                headers={**headers, "X-Request-Id": "req-42", "content-type": "application/json"},
            )
            plain = await gateway.client.get("/api/v1/hotline/tickets")
    seen = got.json()
    assert got.status_code == 200
    assert seen["raw_path"] == "/api/v1/hotline/tickets/%E4%B8%AD"
    assert seen["query"] == "x=1&y=%20"
    assert seen["headers"]["authorization"] == headers["Authorization"]
    assert seen["headers"]["x-request-id"] == got.headers["x-request-id"] == "req-42"
    assert seen["body_len"] == 2
    # same trace, a new span for the hop
    assert seen["headers"]["traceparent"].split("-")[1] == TRACE.split("-")[1]
    assert got.headers["traceparent"] == seen["headers"]["traceparent"]
    assert got.headers["x-upstream"] == "echo"
    assert plain.headers["x-request-id"] == plain.json()["headers"]["x-request-id"]
    assert len(plain.headers["x-request-id"]) >= 8


async def test_bad_token_stops_at_the_gateway(settings_for: Callable[..., Settings]) -> None:
    echo = Echo()
    async with served(echo.app()) as upstream:
        settings = settings_for(upstreams=upstreams(hotline=upstream.url))
        async with gateway_on_uvicorn(settings) as gateway:
            forged = await gateway.client.get(
                "/api/v1/hotline/me", headers={"Authorization": "Bearer a.b.c"}
            )
            basic = await gateway.client.get(
                "/api/v1/hotline/me", headers={"Authorization": "Basic eDp5"}
            )
            anonymous = await gateway.client.get("/api/v1/hotline/public/ping")
    assert forged.status_code == 401
    assert basic.status_code == 401
    assert forged.headers["content-type"] == "application/problem+json"
    # the services' own problem type and title for a refused token, never ``problems/401``
    for refused in (forged, basic):
        assert (refused.json()["type"], refused.json()["title"]) == (
            PROBLEM_BASE + "unauthorized", "需要登录")  # fmt: skip
    assert anonymous.status_code == 200  # no token: the service decides
    assert [s["raw_path"] for s in echo.seen] == ["/api/v1/hotline/public/ping"]


async def test_body_over_the_limit_is_413(settings_for: Callable[..., Settings]) -> None:
    echo = Echo()
    async with served(echo.app()) as upstream:
        settings = settings_for(upstreams=upstreams(hotline=upstream.url), max_body_bytes=1000)
        async with gateway_on_uvicorn(settings) as gateway:
            declared = await gateway.client.post("/api/v1/hotline/x", content=b"x" * 1001)

            async def chunks() -> AsyncIterator[bytes]:
                # no Content-Length: the limit holds while streaming
                for _ in range(5):
                    yield b"y" * 300

            streamed = await gateway.client.post("/api/v1/hotline/x", content=chunks())
            fits = await gateway.client.post("/api/v1/hotline/x", content=b"z" * 1000)
    assert declared.status_code == 413
    assert streamed.status_code == 413
    assert declared.json()["status"] == 413
    assert fits.status_code == 200
    assert len(echo.seen) == 1


async def test_upstream_down_is_a_502_problem(settings_for: Callable[..., Settings]) -> None:
    async with gateway_on_uvicorn(settings_for()) as gateway:
        down = await gateway.client.get("/api/v1/visits/anything")
        metrics = (await gateway.client.get("/metrics")).text
    assert 'ys_gateway_relayed_total{service="visits",status="502"} 1.0' in metrics
    assert down.status_code == 502
    assert down.headers["content-type"] == "application/problem+json"
    problem = down.json()
    assert (problem["type"], problem["title"]) == (PROBLEM_BASE + "bad-gateway", "上游服务出错")
    assert "x-request-id" in down.headers


async def test_slow_upstream_is_a_504_problem(settings_for: Callable[..., Settings]) -> None:
    echo = Echo(delay=2.0)
    async with served(echo.app()) as upstream:
        settings = settings_for(
            upstreams=upstreams(hotline=upstream.url), upstream_timeout_seconds=0.3
        )
        async with gateway_on_uvicorn(settings) as gateway:
            slow = await gateway.client.get("/api/v1/hotline/slow")
    assert slow.status_code == 504
    assert slow.json()["status"] == 504


async def test_failing_replica_is_skipped(settings_for: Callable[..., Settings]) -> None:
    one, two = Echo("one"), Echo("two")
    async with served(one.app()) as first:
        second = await serve(two.app())  # stopped by hand below
        settings = settings_for(upstreams=upstreams(hotline=[first.url, second.url]))
        async with gateway_on_uvicorn(settings) as gateway:
            both = [await gateway.client.get("/api/v1/hotline/x") for _ in range(4)]
            await second.stop()
            after = [await gateway.client.get("/api/v1/hotline/x") for _ in range(6)]
    assert {r.headers["x-upstream"] for r in both} == {"one", "two"}
    assert [r.status_code for r in after] == [200] * 6
    assert {r.headers["x-upstream"] for r in after} == {"one"}


async def test_cors_preflight_for_the_console(settings_for: Callable[..., Settings]) -> None:
    echo = Echo()
    async with served(echo.app()) as upstream:
        settings = settings_for(upstreams=upstreams(hotline=upstream.url))
        async with gateway_on_uvicorn(settings) as gateway:
            origin = {"Origin": "http://console.example"}
            preflight = await gateway.client.options(
                "/api/v1/hotline/tickets",
                headers={
                    **origin,
                    "Access-Control-Request-Method": "POST",
                    "Access-Control-Request-Headers": "authorization, content-type",
                },
            )
            simple = await gateway.client.get("/api/v1/hotline/tickets", headers=origin)
            own = await gateway.client.get("/.well-known/jwks.json", headers=origin)
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert simple.headers["access-control-allow-origin"] == "*"
    assert own.headers["access-control-allow-origin"] == "*"
    assert echo.seen == [echo.seen[0]]  # the preflight never reached the service


async def test_head_and_query_only_requests(settings_for: Callable[..., Settings]) -> None:
    echo = Echo()
    async with served(echo.app()) as upstream:
        settings = settings_for(upstreams=upstreams(hotline=upstream.url))
        async with gateway_on_uvicorn(settings) as gateway:
            head = await gateway.client.head("/api/v1/hotline/x")
            again = await gateway.client.get("/api/v1/hotline/x")
    assert head.status_code == 200
    assert head.content == b""
    assert again.status_code == 200


async def test_many_concurrent_requests_share_connections(
    settings_for: Callable[..., Settings],
) -> None:
    import asyncio

    echo = Echo()
    async with served(echo.app()) as upstream:
        settings = settings_for(upstreams=upstreams(hotline=upstream.url))
        async with gateway_on_uvicorn(settings) as gateway:
            token = await gateway.headers("operator")
            limits = httpx.Limits(max_connections=20)
            async with httpx.AsyncClient(base_url=gateway.url, limits=limits) as client:
                answers = await asyncio.gather(
                    *(client.get(f"/api/v1/hotline/n/{i}", headers=token) for i in range(100))
                )
    assert [a.json()["raw_path"] for a in answers] == [f"/api/v1/hotline/n/{i}" for i in range(100)]
