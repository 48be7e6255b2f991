"""Gateway: identity, tokens, routing, webhooks, the deadline ladder's SMS to staff, console.

Run: ``uvicorn --factory ys_gateway.app:create_app``. The returned app
(:class:`~ys_gateway.proxy.asgi.GatewayApp`, a FastAPI) relays ``/api/v1/<service>/...``
before FastAPI's machinery runs and serves the gateway's own routes with FastAPI.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any, cast

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from yingshang.app import Component, create_service_app
from yingshang.audit_routes import audit_router
from yingshang.events import dead_letter_router
from yingshang.events.relay import OutboxRelay
from yingshang.events.streams import NatsConnection
from yingshang.notify import NotificationSender
from yingshang.time.years import calendar_router
from ys_gateway.access import bureau_admin
from ys_gateway.core import Core
from ys_gateway.crypto import Passwords, SecretBox
from ys_gateway.directory.router import admin
from ys_gateway.docs import SpecCache, docs
from ys_gateway.escalations.consumer import escalation_consumer
from ys_gateway.escalations.router import api as deadline_notices
from ys_gateway.health import health, prefer_in_schema
from ys_gateway.oauth.grants import Grants
from ys_gateway.oauth.keys import KeyStore
from ys_gateway.oauth.lockout import LockoutPolicy
from ys_gateway.oauth.password import PasswordChanges
from ys_gateway.oauth.router import auth, keys_router
from ys_gateway.oauth.tokens import Issuer
from ys_gateway.oauth.verifier import GatewayVerifier
from ys_gateway.proxy.asgi import GatewayApp, Proxy
from ys_gateway.proxy.clients import ClientCache
from ys_gateway.proxy.ratelimit import RateLimiter
from ys_gateway.proxy.upstreams import build_pools
from ys_gateway.public import api as public_api
from ys_gateway.settings import Settings
from ys_gateway.webhooks.intake import intake_factory
from ys_gateway.webhooks.router import hooks
from ys_gateway.webhooks.sender import WebhookSender
from ys_gateway.webhooks.targets import TargetPolicy

TITLE = "Yingshang 网关 (gateway)"
SERVICE_DIR = Path(__file__).resolve().parents[2]  # holds alembic.ini and migrations/
CONSOLE_DIR = Path(__file__).resolve().parent / "console"
REPLACED = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


calendar_years = calendar_router("gateway", prefix="/api/v1/admin/calendar")
# The gateway's own audit log (directory changes, client secrets, key rotations); like its
# other admin routes, for administrators at the bureau per the directory now.
audit_log = audit_router("gateway", prefix="/api/v1/admin/audit", rule=bureau_admin())
# Events the gateway's own consumers (webhook intake, deadline SMS: one per source stream, as
# the settings list them) could not apply; replayed through the consumer that gave up.
dead_letters = dead_letter_router(
    "gateway", prefix="/api/v1/admin/dead-letters", rule=bureau_admin()
)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = create_service_app(
        settings,
        title=TITLE,
        # The county's holiday years, as every service keeps them: the console's countdowns
        # (/api/v1/public/calendar) count on this copy.
        routers=[
            auth,
            keys_router,
            admin,
            deadline_notices,
            calendar_years,
            audit_log,
            dead_letters,
            public_api,
            hooks,
            docs,
        ],
        components=[
            _nats,
            OutboxRelay.for_app,
            *(intake_factory(source) for source in settings.webhook_source_list()),
            _sender,
            # The deadline ladder's SMS to staff, sent by the notifications outbox.
            *(escalation_consumer(source) for source in settings.escalation_source_list()),
            NotificationSender.for_app,
        ],
        description="OAuth2 tokens, org directory, routing to the services, webhooks.",
    )
    app.router.routes[:] = [r for r in app.router.routes if not _replaced(r)]
    app.include_router(health)
    # First match wins: the aggregated /healthz goes before the per-service one.
    app.router.routes.insert(0, app.router.routes.pop())
    prefer_in_schema(app)
    app.router.routes.append(_console_route(settings))
    _install_state(app, settings)
    essentials: list[Component] = [app.state.core, app.state.proxy]
    app.router.lifespan_context = _with_essentials(app.router.lifespan_context, essentials)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=[o.strip() for o in settings.cors_origins.split(",")],
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=["x-request-id", "traceparent", "etag", "retry-after"],
    )
    # The data path runs before FastAPI's middleware stack: same object, its class narrowed
    # to the subclass whose __call__ relays /api/v1/<service>/... first (create_service_app
    # builds a plain FastAPI).
    app.__class__ = GatewayApp
    gateway = cast(GatewayApp, app)
    gateway.proxy = app.state.proxy
    return gateway


def _install_state(app: FastAPI, settings: Settings) -> None:
    state = app.state
    state.passwords = Passwords(settings.password_time_cost, settings.password_memory_kib)
    state.secrets = SecretBox(settings.key_secret)
    # Creating answers replayed for an Idempotency-Key may carry a secret: sealed at rest.
    state.idempotency_sealer = state.secrets
    state.keys = _keystore(settings, state.secrets)
    state.verifier = GatewayVerifier(state.db, state.keys, settings)
    state.clients = ClientCache()
    state.limiter = RateLimiter(
        settings.public_rate_per_minute, settings.public_burst, settings.client_burst_seconds
    )
    issuer = Issuer(
        state.keys,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        ttl=settings.access_token_ttl_seconds,
        refresh_ttl=settings.refresh_token_ttl_seconds,
    )
    policy = LockoutPolicy.from_settings(settings)
    state.grants = Grants(state.db, issuer, state.passwords, policy)
    state.password_changes = PasswordChanges(state.db, issuer, state.passwords, policy)
    state.core = Core(settings, state.db, state.keys, state.clients, state.passwords, state.secrets)
    pools = build_pools(
        settings.upstream_map(),
        settings.upstream_cooldown_seconds,
        max_idle=settings.upstream_pool_size,
        connect_within=settings.upstream_connect_timeout_seconds,
        answer_within=settings.upstream_timeout_seconds,
    )
    state.proxy = Proxy(
        pools,
        limiter=state.limiter,
        clients=state.clients,
        state=state,
        max_body=settings.max_body_bytes,
        cors_origins=settings.cors_origins,
    )
    state.webhook_targets = TargetPolicy(settings)
    state.spec_cache = SpecCache(
        settings.openapi_cache_seconds,
        settings.aggregate_timeout_seconds,
        settings.openapi_first_fetch_timeout_seconds,
    )


def _keystore(settings: Settings, box: SecretBox) -> KeyStore:
    return KeyStore(
        settings.signing_alg,
        box.key_passphrase(settings.key_secret),
        settings.access_token_ttl_seconds,
    )


def _nats(app: FastAPI) -> NatsConnection:
    settings: Settings = app.state.settings
    return NatsConnection(
        settings.nats_url,
        service="gateway",
        replicas=settings.nats_stream_replicas,
        streams=("gateway",),
    )


def _sender(app: FastAPI) -> WebhookSender:
    return WebhookSender(app.state.db, app.state.secrets, app.state.settings)


def _replaced(route: BaseRoute) -> bool:
    return isinstance(route, Route) and route.path in REPLACED


class ConsoleFiles(StaticFiles):
    """The console's assets. Any other path without a file extension is a page of the
    single-page app (e.g. the SMS rating link ``/console/public/rate/<token>``): index.html.
    Revalidated on every load (ETag), so a new release is never half cached; kept ``max_age``
    seconds instead when set (``YS_CONSOLE_MAX_AGE_SECONDS``, for tests)."""

    def __init__(self, *, max_age: int = 0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cache_control = f"max-age={max_age}" if max_age else "no-cache"

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            response = await super().get_response(path, scope)
        except HTTPException as exc:
            if exc.status_code != 404 or "." in path.rsplit("/", 1)[-1]:
                raise
            response = await super().get_response("index.html", scope)
        response.headers["Cache-Control"] = self.cache_control
        return response


def _console_route(settings: Settings) -> BaseRoute:
    files = ConsoleFiles(directory=CONSOLE_DIR, html=True, max_age=settings.console_max_age_seconds)
    return Mount("/console", app=files, name="console")


def _with_essentials(inner: Any, essentials: list[Component]) -> Any:
    """Start the gateway's essential parts (keys, seed, proxy) in every mode, workers or not."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        started: list[Component] = []
        try:
            for component in essentials:
                await component.start(app)
                started.append(component)
                app.state.components.append(component)
            context: AbstractAsyncContextManager[Any] = inner(app)
            async with context:
                yield
        finally:
            for component in reversed(started):
                await component.stop()

    return lifespan
