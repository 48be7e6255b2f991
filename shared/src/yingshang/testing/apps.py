"""A service under test, three ways: in-process ASGI, real uvicorn in-process, or a subprocess.

All three point the service at its own migrated database copy, at a JWKS file written by the
test issuer, and (when asked) at the test session's nats-server.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from yingshang.processes import free_port, spawn, stop, wait_for_http
from yingshang.settings import ServiceSettings
from yingshang.testing.tokens import TestIssuer

AppFactory = Callable[..., FastAPI]


@dataclass
class ServiceUnderTest:
    """What a test gets: the app, a client bound to it, and how it was configured."""

    app: FastAPI
    client: httpx.AsyncClient
    settings: ServiceSettings
    database_url: str
    issuer: TestIssuer
    base_url: str


def service_settings(
    settings_cls: type[ServiceSettings],
    *,
    database_url: str,
    jwks_file: Path,
    var_dir: Path,
    nats_url: str | None,
    **overrides: Any,
) -> ServiceSettings:
    """Test settings: background workers run only when a broker was given (unless overridden)."""
    values: dict[str, Any] = {
        "env": "test",
        "database_url": database_url,
        "jwks_file": jwks_file,
        "var_dir": var_dir,
        "workers_enabled": nats_url is not None,
        # many apps start in one test process: freezing each one's heap would pile up
        "freeze_heap": False,
    }
    if nats_url is not None:
        values["nats_url"] = nats_url
    values.update(overrides)
    return settings_cls(**values)


def _install(app: FastAPI, issuer: TestIssuer, settings: ServiceSettings) -> FastAPI:
    app.state.verifier = issuer.verifier(settings.jwks_file)
    return app


@asynccontextmanager
async def in_process(
    create_app: AppFactory, settings: ServiceSettings, issuer: TestIssuer
) -> AsyncIterator[ServiceUnderTest]:
    """The app with its lifespan running and an httpx client over ASGITransport."""
    app = _install(create_app(settings), issuer, settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield ServiceUnderTest(app, client, settings, settings.db_url(), issuer, "http://test")


@asynccontextmanager
async def on_uvicorn(
    create_app: AppFactory, settings: ServiceSettings, issuer: TestIssuer
) -> AsyncIterator[ServiceUnderTest]:
    """The app served by a real uvicorn on a free port inside this event loop (real HTTP)."""
    app = _install(create_app(settings), issuer, settings)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("uvicorn stopped before it started")
            await asyncio.sleep(0.01)
        base_url = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=base_url) as client:
            yield ServiceUnderTest(app, client, settings, settings.db_url(), issuer, base_url)
    finally:
        server.should_exit = True
        await task


class ServiceProcess:
    """A service as a child process (``uvicorn --factory``), for fault tests: kill, restart."""

    def __init__(
        self,
        create_app: AppFactory,
        service: str,
        env: Mapping[str, str],
        log_path: Path,
        port: int | None = None,
    ) -> None:
        self.target = f"{create_app.__module__}:{create_app.__name__}"
        self.service = service
        self.env = {**os.environ, **env}
        self.log_path = log_path
        self.port = port or free_port()
        self.proc: Any = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def argv(self) -> list[str]:
        return [sys.executable, "-m", "uvicorn", "--factory", self.target]

    def start(self, timeout: float = 30.0) -> ServiceProcess:
        argv = [*self.argv(), "--host", "127.0.0.1", "--port", str(self.port)]
        with self.log_path.open("ab") as log:
            self.proc = spawn(argv, env=self.env, output=log, die_with_parent=True)
        wait_for_http(f"{self.base_url}/healthz", timeout=timeout, proc=self.proc)
        return self

    def kill(self) -> None:
        """SIGKILL, as in a crash: no lifespan shutdown runs."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc, grace=10.0)

    def restart(self) -> ServiceProcess:
        self.stop()
        return self.start()

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.base_url)


def process_env(settings: ServiceSettings) -> dict[str, str]:
    """The ``YS_*`` environment that makes a child process use ``settings``' essentials."""
    prefix = f"YS_{settings.service.upper()}"
    env = {
        "YS_ENV": settings.env,
        f"{prefix}_DATABASE_URL": settings.db_url(),
        "YS_VAR_DIR": str(settings.var_dir),
        "YS_NATS_URL": settings.nats_url,
        "YS_WORKERS_ENABLED": str(settings.workers_enabled).lower(),
        # the rows a test reads in this process open with the secret the child sealed them with
        "YS_DATA_SECRET": settings.data_secret,
        "YS_DATA_SECRETS_PREVIOUS": json.dumps(settings.data_secrets_previous),
    }
    if settings.jwks_file is not None:
        env["YS_JWKS_FILE"] = str(settings.jwks_file)
    return env


# Production mode refuses the demo password and data secret; tests run it with these.
PRODUCTION_SECRET = "a-county-secret-not-the-demo"  # noqa: S105 - a test value
PRODUCTION_DATA_SECRET = "a-county-data-secret-not-the-demo"  # noqa: S105 - a test value


async def production_seeded(
    start: Callable[..., Any],
    create_app: AppFactory,
    settings_cls: type[ServiceSettings],
    service_dir: Path,
    seed_component: Callable[[FastAPI], Any],
) -> ServiceUnderTest:
    """The service as production starts it (``env=production``, the seed on; no SMS gateway
    here, so notifications off: production refuses the file channel), its start-up seed run
    as the app runs it (``seed_component``: the app's seed factory); the seed must report
    itself done."""
    sut: ServiceUnderTest = await start(
        create_app,
        settings_cls,
        service_dir,
        env="production",
        demo_password=PRODUCTION_SECRET,
        data_secret=PRODUCTION_DATA_SECRET,
        notify_channel="off",
        seed_on_start=True,
    )
    seeder = seed_component(sut.app)
    await seeder.start(sut.app)
    assert seeder.readiness()["seeded"] is True, "the seed did not run in production"
    return sut
