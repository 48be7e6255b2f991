"""Template databases: migrate once per test session, hand every test its own copy.

SQLite: the migrated template file is copied. PostgreSQL: ``CREATE DATABASE ... TEMPLATE``,
dropped after the test (``WITH (FORCE)`` ends leftover connections). Tests never share data and
never use ``create_all()``: every database is built by the services' own migrations.

Seeded templates: the data most of a suite's tests start from (a service's seed) is written
once per session into a template of its own, a copy of the migrated one, by the suite's seed
function; its tests get copies of that. A seed writes under the clock of the test that first
asks for it: a frozen clock's instant is part of the template's key.

PostgreSQL copies commit without waiting for their WAL to reach the disk
(``synchronous_commit = off``): what a test's transactions see is unchanged, only a crash of
the server itself could lose their last commits, and a test's copy is thrown away anyway.

On PostgreSQL neither making nor dropping a copy is on the tests' path: a copy costs the server
a sixth of a second of CPU, more under load (it writes the whole database, system catalogues
included, to its WAL), and a drop waits for a checkpoint. When a test takes a copy of a
template, the next one is made while it runs; finished tests' copies are dropped on another
thread, all those waiting at once (drops waiting together share one checkpoint); the session's
end waits for both.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import secrets
import shutil
import sqlite3
import threading
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg  # type: ignore[import-untyped]

from yingshang.clock import FrozenClock, get_clock
from yingshang.db import Database
from yingshang.migrate import upgrade

log = logging.getLogger("yingshang.testing")
Backend = Literal["sqlite", "postgres"]
BACKENDS: tuple[Backend, ...] = ("sqlite", "postgres")
DROPS_AT_ONCE = 4  # connections the drops of a session take at most
T = TypeVar("T")
# Writes a suite's starting data into a fresh migrated database (a module-level function: the
# function itself names its template).
Seed = Callable[[Database], Awaitable[None]]
TemplateKey = tuple[Path, Backend, Seed | None, datetime | None]


def selected_backend() -> Backend:
    """``YS_TEST_BACKEND`` (default ``sqlite``)."""
    value = os.environ.get("YS_TEST_BACKEND", "sqlite").strip().lower() or "sqlite"
    if value not in BACKENDS:
        raise ValueError(f"YS_TEST_BACKEND must be one of {BACKENDS}, not {value!r}")
    return value


def postgres_admin_url() -> str | None:
    """``YS_TEST_POSTGRES_URL``: a server where the tests may create and drop databases."""
    return os.environ.get("YS_TEST_POSTGRES_URL") or None


def with_database(url: str, name: str) -> str:
    """``url`` pointing at database ``name`` instead."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion from sync code, even when an event loop is running here."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


async def pg_admin(admin_url: str, *statements: str) -> None:
    """Run ``statements`` one by one on a PostgreSQL admin connection (CREATE/DROP DATABASE)."""
    conn = await asyncpg.connect(admin_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


class TemplateDatabases:
    """Per-session registry of templates, one per (service dir, backend, seed, frozen instant)."""

    def __init__(self, workdir: Path, pg_admin_url: str | None = None) -> None:
        self.workdir = workdir
        self.pg_admin_url = pg_admin_url
        self.session_tag = secrets.token_hex(3)  # parallel runs on one server never collide
        self._templates: dict[TemplateKey, str] = {}
        self._copies: set[str] = set()  # PostgreSQL copies made and not dropped yet
        self._lock = threading.RLock()  # a seeded template asks for its migrated one
        # PostgreSQL: the next copy of each template, made on a thread of its own before a
        # test asks for it; finished tests' copies, dropped on another.
        self._maker: ThreadPoolExecutor | None = None
        self._spares: dict[str, Future[str]] = {}
        self._dropper: _Dropper | None = None

    def template(self, service_dir: Path, backend: Backend, seed: Seed | None = None) -> str:
        """The template for ``service_dir`` (a file path or a database name), migrated once;
        with ``seed``, a copy of that one holding what ``seed`` writes, written once (per
        frozen instant: a seed's timestamps are those of the clock it writes under)."""
        clock = get_clock()
        frozen = clock.now() if seed is not None and isinstance(clock, FrozenClock) else None
        key = (Path(service_dir).resolve(), backend, seed, frozen)
        with self._lock:
            if key not in self._templates:
                self._templates[key] = self._build(key)
            return self._templates[key]

    def copy(
        self, service_dir: Path, backend: Backend, dest_dir: Path, seed: Seed | None = None
    ) -> str:
        """A fresh migrated database for one test (holding ``seed``'s data when given);
        returns its URL."""
        template = self.template(service_dir, backend, seed)
        if backend == "sqlite":
            target = dest_dir / f"{_slug(service_dir)}_{secrets.token_hex(4)}.sqlite3"
            shutil.copyfile(template, target)
            return _sqlite_url(target)
        with self._lock:
            if self._maker is None:
                self._maker = ThreadPoolExecutor(1, thread_name_prefix="ys-test-db-copies")
            mine = self._spares.pop(template, None) or self._maker.submit(self._create, template)
            self._spares[template] = self._maker.submit(self._create, template)  # the next's
        return self._pg_url(mine.result())

    def drop(self, url: str) -> None:
        """Drop a PostgreSQL copy now (no-op for SQLite files, which live in the test's tmp
        dir)."""
        if url.startswith("postgresql"):
            self._drop_databases([_database_of(url)], quietly=False)

    def discard(self, url: str) -> None:
        """Drop a PostgreSQL copy in the background (no-op for SQLite files); :meth:`close`
        waits for it."""
        if url.startswith("postgresql"):
            with self._lock:
                if self._dropper is None:
                    self._dropper = _Dropper(self._drop_databases)
                self._dropper.put(_database_of(url))

    def close(self) -> None:
        """Drop every PostgreSQL database this session made (once its background work ended)."""
        with self._lock:
            maker, dropper, self._maker, self._dropper = self._maker, self._dropper, None, None
            self._spares.clear()  # made or being made: among the copies, dropped below
        if maker is not None:  # spares not begun are never made; made ones are dropped
            maker.shutdown(wait=True, cancel_futures=True)
        if dropper is not None:
            dropper.close()
        names = sorted(self._copies)
        names += [t for key, t in self._templates.items() if key[1] == "postgres"]
        self._drop_databases(names, quietly=False)
        self._templates.clear()

    def _create(self, template: str) -> str:
        """A copy of ``template`` (on the copies' thread): its name."""
        database = f"ys_t_{template.removeprefix('ys_tpl_')}_{secrets.token_hex(4)}"
        self._copies.add(database)  # dropped at the end even if its test never comes
        create = f'CREATE DATABASE "{database}" TEMPLATE "{template}"'
        no_flush_wait = f'ALTER DATABASE "{database}" SET synchronous_commit = off'
        run_sync(pg_admin(self._require_pg(), create, no_flush_wait))
        return database

    def _drop_databases(self, names: list[str], quietly: bool = True) -> None:
        """Drop ``names`` together, each on a connection of its own: every DROP DATABASE waits
        for a checkpoint, and those waiting together share one. ``quietly``: log a failure
        instead of raising it (the session's close tries again)."""
        if not names or not self.pg_admin_url:
            return
        admin = self.pg_admin_url

        async def drop_all() -> list[BaseException | None]:
            gate = asyncio.Semaphore(DROPS_AT_ONCE)

            async def drop(name: str) -> None:
                async with gate:
                    await pg_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

            return await asyncio.gather(*(drop(n) for n in names), return_exceptions=True)

        outcomes = run_sync(drop_all())
        for name, outcome in zip(names, outcomes, strict=True):
            if outcome is None:
                self._copies.discard(name)
            elif quietly:
                log.error("could not drop the test database %s: %r", name, outcome)
            else:
                raise outcome

    def _build(self, key: TemplateKey) -> str:
        service_dir, backend, seed, _ = key
        if seed is not None:
            return self._build_seeded(service_dir, backend, seed)
        if backend == "sqlite":
            return str(self._build_sqlite(service_dir))
        admin = self._require_pg()
        database = f"ys_tpl_{_slug(service_dir)}_{self.session_tag}"
        run_sync(pg_admin(admin, f'CREATE DATABASE "{database}"'))
        upgrade(service_dir, with_database(admin, database))
        return database

    def _build_seeded(self, service_dir: Path, backend: Backend, seed: Seed) -> str:
        """A copy of the migrated template with ``seed``'s data, itself a template."""
        migrated = self.template(service_dir, backend)
        variant = f"s{len(self._templates)}"  # unique in the session
        if backend == "sqlite":
            path = self.workdir / f"template-{_slug(service_dir)}-{variant}.sqlite3"
            shutil.copyfile(migrated, path)
            run_sync(_run_seed(_sqlite_url(path), seed))
            _one_file(path)
            return str(path)
        database = f"{migrated}_{variant}"
        create = f'CREATE DATABASE "{database}" TEMPLATE "{migrated}"'
        run_sync(pg_admin(self._require_pg(), create))
        try:
            run_sync(_run_seed(self._pg_url(database), seed))
        except BaseException:
            self._drop_databases([database], quietly=True)
            raise
        return database

    def _build_sqlite(self, service_dir: Path) -> Path:
        self.workdir.mkdir(parents=True, exist_ok=True)
        path = self.workdir / f"template-{_slug(service_dir)}.sqlite3"
        path.unlink(missing_ok=True)
        upgrade(service_dir, f"sqlite:///{path}")
        _one_file(path)
        return path

    def _pg_url(self, database: str) -> str:
        url = with_database(self._require_pg(), database)
        return url.replace("postgresql://", "postgresql+asyncpg://")

    def _require_pg(self) -> str:
        if not self.pg_admin_url:
            raise RuntimeError("PostgreSQL tests need YS_TEST_POSTGRES_URL (see README)")
        return self.pg_admin_url


class _Dropper:
    """A thread dropping the databases it is given, all those waiting at once."""

    def __init__(self, drop_all: Callable[[list[str]], None]) -> None:
        self._drop_all = drop_all
        self._queue: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="ys-test-db-drops", daemon=True)
        self._thread.start()

    def put(self, name: str) -> None:
        self._queue.put(name)

    def close(self) -> None:
        """Once every database given so far is dropped."""
        self._queue.put(None)
        self._thread.join()

    def _run(self) -> None:
        done = False
        while not done:
            batch = [self._queue.get()]
            while not self._queue.empty():
                batch.append(self._queue.get_nowait())
            done = None in batch
            names = [name for name in batch if name is not None]
            try:
                self._drop_all(names)
            except Exception:  # left to the session's close
                log.exception("could not drop test databases %s", names)


async def _run_seed(url: str, seed: Seed) -> None:
    db = Database(url)
    try:
        await seed(db)
    finally:
        await db.dispose()


def _one_file(path: Path) -> None:
    """One self-contained SQLite file (no -wal beside it), so a plain file copy is complete."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


def _sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def _slug(service_dir: Path) -> str:
    return Path(service_dir).resolve().name.replace("-", "_").lower()


def _database_of(url: str) -> str:
    return urlsplit(url).path.lstrip("/")
