"""pytest plugin (entry point ``pytest11``): the fixtures every suite of the repository shares.

Backends: ``YS_TEST_BACKEND=sqlite|postgres`` picks where ``migrated_db`` builds databases;
``YS_TEST_POSTGRES_URL`` names the PostgreSQL server (tests marked ``postgres`` skip without it).
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from yingshang.settings import ServiceSettings
from yingshang.testing.apps import (
    AppFactory,
    ServiceProcess,
    ServiceUnderTest,
    in_process,
    on_uvicorn,
    process_env,
    service_settings,
)
from yingshang.testing.browser import Chromium, chromium_binary
from yingshang.testing.databases import (
    Backend,
    Seed,
    TemplateDatabases,
    postgres_admin_url,
    selected_backend,
)
from yingshang.testing.nats import NatsProcess
from yingshang.testing.tokens import TestIssuer

MigratedDb = Callable[..., str]
SettingsFor = Callable[..., ServiceSettings]
StartService = Callable[..., Awaitable[ServiceUnderTest]]
_REAL_DATABASE_VARS = re.compile(r"^YS_([A-Z]+_)?DATABASE_URL$")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: needs PostgreSQL (YS_TEST_POSTGRES_URL)")
    config.addinivalue_line("markers", "nats: needs a real nats-server (started by the kit)")
    config.addinivalue_line("markers", "slow: longer-running test")
    config.addinivalue_line("markers", "db: builds databases through the kit (set automatically)")
    backend = selected_backend()
    if backend == "postgres" and not postgres_admin_url():
        raise pytest.UsageError("YS_TEST_BACKEND=postgres needs YS_TEST_POSTGRES_URL")
    # A developer's shell may point services at real databases: tests must never touch them.
    for name in [n for n in os.environ if _REAL_DATABASE_VARS.match(n)]:
        del os.environ[name]


def pytest_report_header(config: pytest.Config) -> str:
    pg = "set" if postgres_admin_url() else "not set"
    return f"yingshang: backend={selected_backend()}, YS_TEST_POSTGRES_URL {pg}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Tests whose databases come from the kit follow YS_TEST_BACKEND: `make test` reruns
    # exactly these on PostgreSQL (suite unit-pg).
    for item in items:
        if "migrated_db" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres") and not postgres_admin_url():
        pytest.skip("PostgreSQL test: set YS_TEST_POSTGRES_URL to run it")


@pytest.fixture
def issuer() -> TestIssuer:
    """A token issuer with its own key; services under test trust only it."""
    return TestIssuer()


@pytest.fixture
def tmp_var(tmp_path: Path) -> Path:
    """A temporary ``var/`` directory (databases, logs, NATS store of one test)."""
    var = tmp_path / "var"
    var.mkdir()
    return var


@pytest.fixture(scope="session")
def test_backend() -> Backend:
    return selected_backend()


@pytest.fixture
def postgres_url() -> str:
    """The PostgreSQL admin URL, or skip the test."""
    url = postgres_admin_url()
    if url is None:
        pytest.skip("PostgreSQL test: set YS_TEST_POSTGRES_URL to run it")
    return url


@pytest.fixture(scope="session")
def db_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TemplateDatabases]:
    templates = TemplateDatabases(tmp_path_factory.mktemp("templates"), postgres_admin_url())
    yield templates
    templates.close()


@pytest.fixture
def migrated_db(
    db_templates: TemplateDatabases, test_backend: Backend, tmp_path: Path
) -> Iterator[MigratedDb]:
    """``migrated_db(service_dir, backend=None, seed=None) -> url``: this test's own migrated
    database; with ``seed`` (``async def seed(db: Database)``, module-level), a copy of a
    template that ``seed`` filled once in the session."""
    made: list[str] = []

    def make(service_dir: Path, backend: Backend | None = None, seed: Seed | None = None) -> str:
        url = db_templates.copy(service_dir, backend or test_backend, tmp_path, seed)
        made.append(url)
        return url

    yield make
    for url in made:
        db_templates.discard(url)  # in the background: the next test need not wait for it


@pytest.fixture
def chromium(tmp_path: Path) -> Chromium:
    """Headless Chromium with a throwaway profile; skips where Chromium is not installed."""
    binary = chromium_binary()
    if binary is None:
        pytest.skip("browser test: install Debian's chromium and fonts-noto-cjk (.ci/run does)")
    return Chromium(binary, tmp_path / "chromium-profile")


@pytest.fixture(scope="session")
def nats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a nats-server (JetStream) shared by the session; never kill this one."""
    server = NatsProcess(tmp_path_factory.mktemp("nats") / "store").start()
    yield server.url
    server.stop()


@pytest.fixture
def nats_process(tmp_path: Path) -> Iterator[NatsProcess]:
    """This test's own nats-server, to ``kill()`` and ``restart()`` in fault tests."""
    server = NatsProcess(tmp_path / "nats" / "store").start()
    yield server
    server.stop()


@pytest.fixture
def service_settings_for(
    migrated_db: MigratedDb, issuer: TestIssuer, tmp_var: Path, request: pytest.FixtureRequest
) -> SettingsFor:
    """``(Settings, service_dir, nats=False, seed=None, **overrides)`` → test settings on a
    migrated copy (holding ``seed``'s data: see ``migrated_db``).

    ``nats=True`` points the service at the session's nats-server (and runs its background
    workers); ``nats="nats://..."`` at that one (a test's own ``nats_process``, say)."""

    def make(
        settings_cls: type[ServiceSettings],
        service_dir: Path,
        *,
        nats: bool | str = False,
        seed: Seed | None = None,
        **kw: Any,
    ) -> ServiceSettings:
        jwks = issuer.write_jwks(tmp_var / "jwks.json")
        nats_url = nats if isinstance(nats, str) else None
        if nats is True:
            nats_url = request.getfixturevalue("nats_server")
        return service_settings(
            settings_cls,
            database_url=migrated_db(service_dir, seed=seed),
            jwks_file=jwks,
            var_dir=tmp_var,
            nats_url=nats_url,
            **kw,
        )

    return make


@asynccontextmanager
async def _starter(
    runner: Any, settings_for: SettingsFor, issuer: TestIssuer
) -> AsyncIterator[StartService]:
    """Start services on demand; stop them all (in reverse) when the test ends."""
    async with AsyncExitStack() as stack:

        async def start(
            create_app: AppFactory,
            settings_cls: type[ServiceSettings],
            service_dir: Path,
            **kw: Any,
        ) -> ServiceUnderTest:
            settings = settings_for(settings_cls, service_dir, **kw)
            sut: ServiceUnderTest = await stack.enter_async_context(
                runner(create_app, settings, issuer)
            )
            return sut

        yield start


@pytest.fixture
async def service_app(
    service_settings_for: SettingsFor, issuer: TestIssuer
) -> AsyncIterator[StartService]:
    """``await service_app(create_app, Settings, SERVICE_DIR, nats=False, **settings)``:
    the app in-process (lifespan started) with an httpx client over ASGITransport."""
    async with _starter(in_process, service_settings_for, issuer) as start:
        yield start


@pytest.fixture
async def service_server(
    service_settings_for: SettingsFor, issuer: TestIssuer
) -> AsyncIterator[StartService]:
    """Like ``service_app`` but served by a real uvicorn on a free port (real HTTP)."""
    async with _starter(on_uvicorn, service_settings_for, issuer) as start:
        yield start


@pytest.fixture
def service_process(
    service_settings_for: SettingsFor, tmp_var: Path
) -> Iterator[Callable[..., ServiceProcess]]:
    """``service_process(create_app, Settings, SERVICE_DIR, nats=False, **settings)``: the
    service as a started child process, for fault tests (``kill()``, ``restart()``)."""
    started: list[ServiceProcess] = []

    def start(
        create_app: AppFactory, settings_cls: type[ServiceSettings], service_dir: Path, **kw: Any
    ) -> ServiceProcess:
        settings = service_settings_for(settings_cls, service_dir, **kw)
        log = tmp_var / f"{settings.service}-{len(started)}.log"
        proc = ServiceProcess(create_app, settings.service, process_env(settings), log)
        started.append(proc)
        return proc.start()

    yield start
    for proc in started:
        proc.stop()
