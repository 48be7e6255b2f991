"""Builders for the gateway suite: the gateway and tiny upstreams on real uvicorn servers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from yingshang.app import create_service_app
from yingshang.auth import TokenVerifier
from yingshang.db import Database
from yingshang.events.envelope import make_event
from yingshang.events.outbox import enqueue
from yingshang.events.relay import OutboxRelay
from yingshang.events.streams import NatsConnection
from yingshang.processes import free_port
from yingshang.settings import DEMO_PASSWORD, ServiceSettings
from ys_gateway.app import create_app
from ys_gateway.settings import SERVICES, Settings


@dataclass
class Served:
    """An ASGI app on a real uvicorn server on a free port of this event loop."""

    app: Any
    port: int
    server: uvicorn.Server
    task: asyncio.Task[None]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def stop(self) -> None:
        self.server.should_exit = True
        await self.task


async def serve(app: ASGIApp, port: int | None = None) -> Served:
    port = port or free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("uvicorn stopped before it started")
        await asyncio.sleep(0.01)
    return Served(app, port, server, task)


@asynccontextmanager
async def served(app: ASGIApp, port: int | None = None) -> AsyncIterator[Served]:
    server = await serve(app, port)
    try:
        yield server
    finally:
        await server.stop()


def nowhere() -> str:
    """A URL on a free port where nothing listens."""
    return f"http://127.0.0.1:{free_port()}"


def upstreams(**given: str | list[str]) -> str:
    """``YS_UPSTREAMS`` value: the given services, every other one pointed at nothing."""
    table = {name: given.get(name) or nowhere() for name in SERVICES}
    return ",".join(
        f"{name}={'|'.join(urls) if isinstance(urls, list) else urls}"
        for name, urls in table.items()
    )


@dataclass
class Gateway:
    app: FastAPI
    url: str
    client: httpx.AsyncClient

    async def login(self, username: str, password: str = DEMO_PASSWORD) -> dict[str, Any]:
        response = await self.client.post(
            "/auth/token",
            data={"grant_type": "password", "username": username, "password": password},
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def headers(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {(await self.login(username))['access_token']}"}

    async def first_sign_in(
        self, username: str, temporary: str, new: str = "my-own-password-1"
    ) -> dict[str, str]:
        """Sign in with a password an administrator set and replace it (required before
        anything else); the headers of the unrestricted token the change answers with."""
        token = (await self.login(username, temporary))["access_token"]
        changed = await self.client.post(
            "/auth/password",
            json={"current_password": temporary, "new_password": new},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert changed.status_code == 200, changed.text
        return {"Authorization": f"Bearer {changed.json()['access_token']}"}

    async def client_token(self, client_id: str, secret: str = DEMO_PASSWORD) -> str:
        response = await self.client.post(
            "/auth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
        )
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])


def gateway_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "workers_enabled": False,
        "password_time_cost": 1,
        "password_memory_kib": 8192,
        "upstreams": upstreams(),
        "upstream_cooldown_seconds": 30.0,
        "webhook_allow_private": True,  # receivers in these tests listen on 127.0.0.1
    }
    values.update(overrides)
    return Settings(**values)


@asynccontextmanager
async def running_gateway(db_url: str, nats_url: str, **overrides: Any) -> AsyncIterator[Gateway]:
    """The gateway in-process with its background workers on ``nats_url``: webhook intake of
    the hotline's and its own stream, the hotline's deadline SMS (quick polls)."""
    values: dict[str, Any] = {
        "workers_enabled": True,
        "nats_url": nats_url,
        "webhook_sources": "hotline,gateway",
        "escalation_sources": "hotline",
        "webhook_poll_seconds": 0.2,
        "webhook_retry_base_seconds": 0.2,
        "webhook_retry_max_seconds": 0.5,
        "notify_poll_seconds": 0.2,
    }
    app = create_app(gateway_settings(db_url, **{**values, **overrides}))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            yield Gateway(app, "http://gw", client)


@asynccontextmanager
async def producer(nats_url: str, db_url: str) -> AsyncIterator[Database]:
    """The hotline's transactional outbox and relay (the events a real hotline would send)."""
    db = Database(db_url)
    nats = NatsConnection(nats_url, service="hotline", streams=("hotline",))
    relay = OutboxRelay(db, nats, poll_seconds=0.2)
    await nats.start()
    await relay.start()
    try:
        yield db
    finally:
        await relay.stop()
        await nats.stop()
        await db.dispose()


async def publish(db: Database, kind: str, subject: str, **data: Any) -> str:
    """Queue ``ys.hotline.ticket.<kind>`` in the producer's outbox; its event id."""
    event = make_event("hotline", f"ys.hotline.ticket.{kind}", data, subject=subject)
    async with db.write() as session:
        await enqueue(session, event)
    return event.id


async def until(
    check: Callable[[], Awaitable[bool] | bool], what: str, seconds: float = 30
) -> None:
    """Wait for a condition (a bounded wait, not a timing assertion)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        result = check()
        if isinstance(result, Awaitable):
            result = await result
        if result:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        await asyncio.sleep(0.05)


@asynccontextmanager
async def gateway_on_uvicorn(settings: Settings, port: int | None = None) -> AsyncIterator[Gateway]:
    app = create_app(settings)
    async with served(app, port) as server, httpx.AsyncClient(base_url=server.url) as client:
        yield Gateway(app, server.url, client)


def skeleton_service(name: str, jwks_url: str, tmp: str) -> FastAPI:
    """A service with exactly the common anatomy (``/me`` etc.), verifying gateway tokens."""
    settings = ServiceSettings(
        service=name, workers_enabled=False, database_url=f"sqlite:///{tmp}/{name}.sqlite3"
    )
    verifier = TokenVerifier(
        issuer=settings.jwt_issuer, audience=settings.jwt_audience, jwks_url=jwks_url
    )
    return create_service_app(settings, title=f"skeleton {name}", verifier=verifier)


@dataclass
class Echo:
    """An upstream that answers every request with what it received (and counts them)."""

    name: str = "echo"
    seen: list[dict[str, Any]] = field(default_factory=list)
    delay: float = 0.0
    status: int = 200

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/{path:path}", self.handle, methods=_METHODS)])

    async def handle(self, request: Request) -> Response:
        body = await request.body()
        record = {
            "replica": self.name,
            "method": request.method,
            "raw_path": request.scope["raw_path"].decode(),
            "query": request.scope["query_string"].decode(),
            "headers": {k.decode(): v.decode() for k, v in request.scope["headers"]},
            "body_len": len(body),
        }
        self.seen.append(record)
        if self.delay:
            await asyncio.sleep(self.delay)
        return JSONResponse(record, status_code=self.status, headers={"x-upstream": self.name})


_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
