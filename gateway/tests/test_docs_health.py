"""Merged OpenAPI, the docs page, the event catalogue, aggregated health, the console."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from ys_gateway.app import _console_route
from ys_gateway.settings import Settings

from .kit import gateway_on_uvicorn, nowhere, served, skeleton_service, upstreams


async def test_openapi_merges_services_and_survives_one_down(
    settings_for: Callable[..., Settings], tmp_path: Path
) -> None:
    hotline_url = nowhere()
    port = int(hotline_url.rsplit(":", 1)[1])
    settings = settings_for(upstreams=upstreams(hotline=hotline_url))
    async with gateway_on_uvicorn(settings) as gateway:
        jwks = f"{gateway.url}/.well-known/jwks.json"
        async with served(skeleton_service("hotline", jwks, str(tmp_path)), port):
            spec = (await gateway.client.get("/openapi.json")).json()
            page = await gateway.client.get("/docs")
    assert "/api/v1/hotline/me" in spec["paths"]
    assert "/auth/token" in spec["paths"]
    assert "/api/v1/admin/departments" in spec["paths"]
    assert "/metrics" not in [p for p in spec["paths"] if p.startswith("/api/v1/hotline")]
    assert set(spec["info"]["x-unavailable"]) == {"approvals", "complaints", "visits", "ratings"}
    assert all(
        not k.startswith("hotline.") or k.split(".", 1)[1] for k in spec["components"]["schemas"]
    )
    assert spec["components"]["securitySchemes"]["bearer"]["type"] == "http"
    assert spec["paths"]["/api/v1/hotline/me"]["get"]["security"] == [{"bearer": []}]
    assert spec["paths"]["/auth/token"]["post"]["security"] == []
    assert page.status_code == 200
    assert "/api/v1/hotline/me" in page.text
    assert "公开 (no token)" in page.text
    assert "暂不可用的服务" in page.text


def slow_first_spec(app: ASGIApp, delay: float) -> ASGIApp:
    """``app`` whose first ``/openapi.json`` answers ``delay`` seconds late (a service building
    its spec on a loaded start)."""
    asked: list[str] = []

    async def slowed(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/openapi.json" and not asked:
            asked.append(scope["path"])
            await asyncio.sleep(delay)
        await app(scope, receive, send)

    return slowed


async def test_a_service_slow_or_down_at_first_is_not_left_out_for_good(
    settings_for: Callable[..., Settings], tmp_path: Path
) -> None:
    """Right after start-up a service may take longer than a refresh's timeout to build its
    spec: the first fetch waits for it. A service that is down is named in ``x-unavailable``,
    the partial document is marked not to be stored, and the next request asks it again."""
    hotline_url, visits_url = nowhere(), nowhere()
    refresh_timeout = 0.25
    settings = settings_for(
        upstreams=upstreams(hotline=hotline_url, visits=visits_url),
        aggregate_timeout_seconds=refresh_timeout,
    )
    async with gateway_on_uvicorn(settings) as gateway:
        jwks = f"{gateway.url}/.well-known/jwks.json"
        slow = 4 * refresh_timeout
        hotline = slow_first_spec(skeleton_service("hotline", jwks, str(tmp_path)), slow)
        async with served(hotline, int(hotline_url.rsplit(":", 1)[1])):
            first = await gateway.client.get("/openapi.json")
            visits = skeleton_service("visits", jwks, str(tmp_path))
            async with served(visits, int(visits_url.rsplit(":", 1)[1])):
                second = await gateway.client.get("/openapi.json")
    spec = first.json()
    assert "/api/v1/hotline/me" in spec["paths"]
    assert set(spec["info"]["x-unavailable"]) == {"approvals", "complaints", "visits", "ratings"}
    assert first.headers["cache-control"] == "no-store"
    spec = second.json()
    assert {"/api/v1/hotline/me", "/api/v1/visits/me"} <= set(spec["paths"])
    assert set(spec["info"]["x-unavailable"]) == {"approvals", "complaints", "ratings"}
    assert second.headers["cache-control"] == "no-store"


async def test_event_catalogue_lists_directory_events(
    settings_for: Callable[..., Settings],
) -> None:
    async with gateway_on_uvicorn(settings_for()) as gateway:
        catalogue = (await gateway.client.get("/events/catalogue")).json()
    addresses = {c["address"] for c in catalogue["channels"].values()}
    assert catalogue["asyncapi"].startswith("3.")
    assert {"ys.gateway.department.created", "ys.gateway.user.updated"} <= addresses


async def test_health_aggregates_every_replica(
    settings_for: Callable[..., Settings], tmp_path: Path
) -> None:
    up = nowhere()
    port = int(up.rsplit(":", 1)[1])
    settings = settings_for(upstreams=upstreams(hotline=[up, nowhere()]))
    async with gateway_on_uvicorn(settings) as gateway:
        jwks = f"{gateway.url}/.well-known/jwks.json"
        async with served(skeleton_service("hotline", jwks, str(tmp_path)), port):
            health = (await gateway.client.get("/healthz")).json()
            ready = await gateway.client.get("/readyz")
    assert health["status"] == "degraded"
    assert health["services"]["hotline"]["status"] == "degraded"
    assert [r["ok"] for r in health["services"]["hotline"]["replicas"]] == [True, False]
    assert health["services"]["visits"]["status"] == "down"
    assert health["nats"] == {"connected": False, "configured": False}
    assert ready.status_code == 200


async def test_console_placeholder_is_served(settings_for: Callable[..., Settings]) -> None:
    async with gateway_on_uvicorn(settings_for()) as gateway:
        page = await gateway.client.get("/console/")
        module = await gateway.client.get("/console/js/main.js")
    assert page.status_code == 200
    assert "控制台" in page.text
    assert 'href="/docs"' in page.text
    # revalidated on every load by default: a new release is never half cached
    assert (page.headers["cache-control"], module.headers["cache-control"]) == ("no-cache",) * 2


async def test_console_assets_may_be_kept_for_a_test_session(
    settings_for: Callable[..., Settings],
) -> None:
    """YS_CONSOLE_MAX_AGE_SECONDS (the browser suite's): the browser keeps every asset, the
    app's pages included, that long instead of revalidating each on every page load."""
    app = Starlette(routes=[_console_route(settings_for(console_max_age_seconds=3600))])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
        module = await client.get("/console/js/main.js")
        page = await client.get("/console/public/rate/some-token")
        missing = await client.get("/console/js/no-such-module.js")
    assert (module.status_code, page.status_code, missing.status_code) == (200, 200, 404)
    assert module.headers["cache-control"] == page.headers["cache-control"] == "max-age=3600"
    assert "控制台" in page.text
    with pytest.raises(ValidationError):
        settings_for(console_max_age_seconds=-1)
