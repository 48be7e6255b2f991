"""The one way a service app is built: same shape in every service.

``create_service_app`` wires settings, the database, problem details, token verification,
request context, metrics, health/readiness, ``GET /api/v1/<service>/me`` and the background
components (outbox relay, consumers, deadline sweeper) that a service registers.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any, Protocol

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.params import Depends as DependsParam
from fastapi.telemetry import TelemetryConfig
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from yingshang import sealing
from yingshang.auth import (
    AccessRule,
    Principal,
    TokenVerifier,
    authenticated,
    document_access,
    public,
)
from yingshang.db import Database, TransactionalRoute
from yingshang.observability import Metrics, RequestContextMiddleware, configure_logging
from yingshang.problems import install_problem_handlers, problem
from yingshang.settings import ServiceSettings

log = logging.getLogger("yingshang.app")


class Component(Protocol):
    """A background part of a service (relay, consumer, sweeper, NATS connection)."""

    name: str

    async def start(self, app: FastAPI) -> None: ...

    async def stop(self) -> None: ...

    def readiness(self) -> dict[str, Any]:
        """``{"ok": bool, ...details}`` merged into ``/readyz``."""
        ...


ComponentFactory = Callable[[FastAPI], Component]


def allow(rule: AccessRule) -> DependsParam:
    """Declare a route's access rule: ``dependencies=[allow(staff("head"))]``."""
    dependency: DependsParam = Depends(rule)
    return dependency


def router(prefix: str = "", **kwargs: Any) -> APIRouter:
    """A router whose routes own their transaction (commit on success, rollback on error)."""
    return APIRouter(prefix=prefix, route_class=TransactionalRoute, **kwargs)


def _ops_router(service: str) -> APIRouter:
    ops = router(tags=["operations"])

    @ops.get("/healthz", dependencies=[allow(public())], summary="Liveness")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": service}

    @ops.get(
        "/readyz",
        dependencies=[allow(public())],
        summary="Readiness",
        responses={503: {"description": "not ready"}},
    )
    async def readyz(request: Request) -> Response:
        report = await readiness_report(request.app)
        if report["status"] != "ok":
            return problem(
                503,
                "服务尚未就绪",
                "见各项检查（checks）",
                code="not-ready",
                checks=report["checks"],
            )
        return _json(report)

    @ops.get(
        "/metrics",
        dependencies=[allow(public())],
        summary="Prometheus metrics",
        response_class=Response,
    )
    async def metrics(request: Request) -> Response:
        registry = request.app.state.metrics.registry
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    @ops.get(
        f"/api/v1/{service}/me",
        summary="The caller as this service sees it",
        dependencies=[allow(authenticated())],
    )
    async def me(request: Request) -> dict[str, Any]:
        principal: Principal = request.state.principal
        return principal.public_view()

    return ops


def _json(body: dict[str, Any]) -> Response:
    from fastapi.responses import JSONResponse

    return JSONResponse(body)


async def readiness_report(app: FastAPI) -> dict[str, Any]:
    checks: dict[str, Any] = {}
    db: Database | None = getattr(app.state, "db", None)
    if db is not None:
        try:
            async with db.read() as session:
                await session.execute(text("SELECT 1"))
            checks["database"] = {"ok": True}
        except Exception as exc:  # readiness must report, not raise
            checks["database"] = {"ok": False, "error": type(exc).__name__}
    for component in getattr(app.state, "components", []):
        checks[component.name] = component.readiness()
    ok = all(c.get("ok", True) for c in checks.values())
    warnings = [w for c in checks.values() for w in c.get("warnings", [])]
    return {"status": "ok" if ok else "unavailable", "checks": checks, "warnings": warnings}


GEN0_THRESHOLD = 20_000


def settle_heap() -> None:
    """Move what start-up allocated (modules, routes, schemas, mappers: hundreds of thousands
    of long-lived objects) out of the garbage collector's view (``gc.freeze``). Otherwise
    every full collection walks all of them again: tens of milliseconds of a request's time
    at random, and CPU for nothing. Objects made later are collected as usual, the youngest
    generation after 20,000 net allocations instead of 700: a request allocates a few
    thousand short-lived objects, nearly all freed by reference counting, so the default
    threshold ran a collection several times per request for almost nothing."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(GEN0_THRESHOLD, older, oldest)


def create_service_app(
    settings: ServiceSettings,
    *,
    title: str,
    routers: Sequence[APIRouter] = (),
    components: Sequence[ComponentFactory] = (),
    verifier: TokenVerifier | None = None,
    database: Database | None = None,
    description: str = "",
) -> FastAPI:
    """Build a service app. ``components`` start in order and stop in reverse."""
    configure_logging(settings.service, settings.log_level)
    sealing.configure_from(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        started: list[Component] = []
        try:
            if settings.workers_enabled:
                for factory in components:
                    component = factory(app)
                    await component.start(app)
                    started.append(component)
                    app.state.components.append(component)
            if settings.freeze_heap:
                settle_heap()
            yield
        finally:
            for component in reversed(started):
                try:
                    await component.stop()
                except Exception:
                    log.exception("stopping %s failed", component.name)
            await app.state.db.dispose()

    # Observability is ours (Prometheus metrics, traceparent in logs and events: see
    # observability.py). FastAPI's native OpenTelemetry would look for configured providers
    # on every request (environment reads included) to find none.
    no_otel: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}
    app = FastAPI(title=title, description=description, version="1.0.0", lifespan=lifespan,
                  telemetry=no_otel)  # fmt: skip
    app.state.settings = settings
    app.state.db = database or Database(settings.db_url())
    app.state.verifier = verifier or TokenVerifier(
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        jwks_url=settings.jwks_url,
        jwks_file=settings.jwks_file,
    )
    app.state.metrics = Metrics(settings.service)
    app.state.components = []
    install_problem_handlers(app)
    app.add_middleware(RequestContextMiddleware, metrics=app.state.metrics)
    app.include_router(_ops_router(settings.service))
    for r in routers:
        app.include_router(r)
    document_access(app)
    return app
