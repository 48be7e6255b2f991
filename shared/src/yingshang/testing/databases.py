"""Template databases: migrate once per test session, hand every test its own copy.

SQLite: the migrated template file is copied. PostgreSQL: ``CREATE DATABASE ... TEMPLATE``,
dropped after the test (``WITH (FORCE)`` ends leftover connections). Tests never share data and
never use ``create_all()``: every database is built by the services' own migrations.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import sqlite3
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg  # type: ignore[import-untyped]

from yingshang.migrate import upgrade

Backend = Literal["sqlite", "postgres"]
BACKENDS: tuple[Backend, ...] = ("sqlite", "postgres")
T = TypeVar("T")


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
    """Per-session registry of migrated templates, one per (service dir, backend)."""

    def __init__(self, workdir: Path, pg_admin_url: str | None = None) -> None:
        self.workdir = workdir
        self.pg_admin_url = pg_admin_url
        self.session_tag = secrets.token_hex(3)  # parallel runs on one server never collide
        self._templates: dict[tuple[Path, Backend], str] = {}
        self._copies: list[str] = []
        self._lock = threading.Lock()

    def template(self, service_dir: Path, backend: Backend) -> str:
        """The template for ``service_dir`` (a file path or a database name), migrated once."""
        key = (Path(service_dir).resolve(), backend)
        with self._lock:
            if key not in self._templates:
                self._templates[key] = self._build(key[0], backend)
            return self._templates[key]

    def copy(self, service_dir: Path, backend: Backend, dest_dir: Path) -> str:
        """A fresh migrated database for one test; returns its URL."""
        template = self.template(service_dir, backend)
        name = f"{_slug(service_dir)}_{secrets.token_hex(4)}"
        if backend == "sqlite":
            target = dest_dir / f"{name}.sqlite3"
            shutil.copyfile(template, target)
            return f"sqlite+aiosqlite:///{target}"
        admin = self._require_pg()
        database = f"ys_t_{name}"
        run_sync(pg_admin(admin, f'CREATE DATABASE "{database}" TEMPLATE "{template}"'))
        self._copies.append(database)
        return with_database(admin, database).replace("postgresql://", "postgresql+asyncpg://")

    def drop(self, url: str) -> None:
        """Drop a PostgreSQL copy (no-op for SQLite files, which live in the test's tmp dir)."""
        if not url.startswith("postgresql"):
            return
        database = urlsplit(url).path.lstrip("/")
        self._drop_databases([database])
        if database in self._copies:
            self._copies.remove(database)

    def close(self) -> None:
        """Drop every PostgreSQL database this session made."""
        names = list(self._copies)
        names += [t for (_, backend), t in self._templates.items() if backend == "postgres"]
        self._drop_databases(names)
        self._copies.clear()
        self._templates.clear()

    def _drop_databases(self, names: list[str]) -> None:
        if names and self.pg_admin_url:
            drops = [f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)' for n in names]
            run_sync(pg_admin(self.pg_admin_url, *drops))

    def _build(self, service_dir: Path, backend: Backend) -> str:
        if backend == "sqlite":
            return str(self._build_sqlite(service_dir))
        admin = self._require_pg()
        database = f"ys_tpl_{_slug(service_dir)}_{self.session_tag}"
        run_sync(pg_admin(admin, f'CREATE DATABASE "{database}"'))
        upgrade(service_dir, with_database(admin, database))
        return database

    def _build_sqlite(self, service_dir: Path) -> Path:
        self.workdir.mkdir(parents=True, exist_ok=True)
        path = self.workdir / f"template-{_slug(service_dir)}.sqlite3"
        path.unlink(missing_ok=True)
        upgrade(service_dir, f"sqlite:///{path}")
        # One self-contained file (no -wal beside it) so a plain file copy is complete.
        conn = sqlite3.connect(path)
        try:
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()
        return path

    def _require_pg(self) -> str:
        if not self.pg_admin_url:
            raise RuntimeError("PostgreSQL tests need YS_TEST_POSTGRES_URL (see README)")
        return self.pg_admin_url


def _slug(service_dir: Path) -> str:
    return Path(service_dir).resolve().name.replace("-", "_").lower()
