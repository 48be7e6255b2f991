"""``GET /healthz``: the gateway plus every replica of every service, and NATS."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

import httpx
from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field

from yingshang.app import allow, router
from yingshang.auth import Principal, public
from yingshang.db import get_session
from yingshang.problems import TooManyRequests
from ys_gateway.access import ADMIN_DEPT, ADMIN_ROLE, is_current_admin
from ys_gateway.proxy.asgi import Proxy
from ys_gateway.proxy.ratelimit import RateLimiter

health = router(tags=["operations"])


class ReplicaHealth(BaseModel):
    url: str | None = Field(None, description="only for administrators at the bureau")
    ok: bool
    status: int | None = None
    error: str | None = None


class ServiceHealth(BaseModel):
    status: Literal["ok", "degraded", "down"]
    replicas: list[ReplicaHealth]


class NatsHealth(BaseModel):
    connected: bool
    configured: bool


class PlatformHealth(BaseModel):
    status: Literal["ok", "degraded"]
    service: str
    services: dict[str, ServiceHealth]
    nats: NatsHealth


@health.get(
    "/healthz",
    dependencies=[allow(public())],
    summary="Health of the whole platform",
    description=(
        "Replicas in configuration order. Their internal addresses are shown to "
        "administrators at the bureau only; calls without such a token are rate-limited "
        "per address (each one probes every replica)."
    ),
    operation_id="platform_health",
    response_model=PlatformHealth,
    response_model_exclude_none=True,
    responses={429: {"description": "too many calls from this address"}},
)
async def healthz(request: Request) -> dict[str, Any]:
    proxy: Proxy = request.app.state.proxy
    show_urls = await _admin_asks(request)
    if not show_urls:
        limiter: RateLimiter = request.app.state.limiter
        wait = limiter.public_ip(request.client.host if request.client else "unknown")
        if wait:
            raise TooManyRequests("该地址的健康检查请求过于频繁", retry_after=wait)
    timeout = request.app.state.settings.aggregate_timeout_seconds
    async with httpx.AsyncClient(timeout=timeout) as client:
        services = await asyncio.gather(
            *(
                _service(client, name, [r.base for r in pool.replicas])
                for name, pool in proxy.pools.items()
            )
        )
    nats = getattr(request.app.state, "nats", None)
    report: dict[str, Any] = {
        "service": "gateway",
        "services": dict(services),
        "nats": {"connected": bool(nats and nats.is_connected), "configured": nats is not None},
    }
    healthy = all(s["status"] == "ok" for s in report["services"].values())
    healthy = healthy and (nats is None or nats.is_connected)
    report["status"] = "ok" if healthy else "degraded"
    if not show_urls:
        for service in report["services"].values():
            for replica in service["replicas"]:
                replica.pop("url")
    return report


async def _admin_asks(request: Request) -> bool:
    """The caller sent a valid token of a current administrator at the bureau."""
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is None or not principal.has(ADMIN_ROLE, ADMIN_DEPT):
        return False
    return await is_current_admin(get_session(request), principal)


async def _service(
    client: httpx.AsyncClient, name: str, bases: list[str]
) -> tuple[str, dict[str, Any]]:
    replicas = await asyncio.gather(*(_replica(client, base) for base in bases))
    up = sum(1 for r in replicas if r["ok"])
    status = "ok" if up == len(replicas) else ("degraded" if up else "down")
    return name, {"status": status, "replicas": list(replicas)}


async def _replica(client: httpx.AsyncClient, base: str) -> dict[str, Any]:
    try:
        response = await client.get(base + "/healthz")
    except httpx.HTTPError as exc:
        return {"url": base, "ok": False, "error": type(exc).__name__}
    return {"url": base, "ok": response.status_code == 200, "status": response.status_code}


def prefer_in_schema(app: FastAPI) -> None:
    """Document the aggregated ``/healthz`` (it shadows the per-service one in routing too)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        spec = generate()
        own = get_openapi(title=app.title, version=app.version, routes=health.routes)
        spec["paths"]["/healthz"] = own["paths"]["/healthz"]
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        schemas.update(own.get("components", {}).get("schemas", {}))
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
