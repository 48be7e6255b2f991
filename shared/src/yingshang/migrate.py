"""Alembic glue shared by every service.

Each service keeps its own migrations (``<svc>/migrations``); the plumbing tables every service
carries (outbox, inbox, timeline, audit, idempotency keys, deadlines, ...) are migrated from
``yingshang/migrations/versions`` as separate branches. ``upgrade heads`` applies all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, create_engine, event, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from yingshang.db import PlumbingBase, normalise_url

PLUMBING_VERSIONS = Path(__file__).parent / "migrations" / "versions"


def alembic_config(service_dir: Path, url: str) -> Config:
    """Config for ``service_dir`` (holding ``alembic.ini`` and ``migrations/``) and ``url``."""
    cfg = Config(str(service_dir / "alembic.ini"))
    cfg.set_main_option("script_location", str(service_dir / "migrations"))
    locations = [str(service_dir / "migrations" / "versions"), str(PLUMBING_VERSIONS)]
    cfg.set_main_option("version_locations", " ".join(locations))
    cfg.set_main_option("path_separator", "space")
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    cfg.attributes["configure_logger"] = False
    return cfg


def upgrade(service_dir: Path, url: str, revision: str = "heads") -> None:
    """Run every migration (service + plumbing) up to ``revision``. Blocking; call in a thread
    or before the event loop starts."""
    command.upgrade(alembic_config(service_dir, url), revision)


def _do_run(
    connection: Connection, metadata: Sequence[MetaData], *, transactional_ddl: bool | None = None
) -> None:
    context.configure(
        connection=connection,
        target_metadata=list(metadata),
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        transactional_ddl=transactional_ddl,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_sqlite(url: str, metadata: Sequence[MetaData]) -> None:
    """SQLite in one transaction (its DDL is transactional) through the plain driver: one
    commit, where statement by statement each of the hundreds of a fresh start commits and waits
    for the disk; nothing half-migrated when a step fails; no event loop and no hop to
    aiosqlite's thread per statement."""
    engine = create_engine(
        url.replace("sqlite+aiosqlite://", "sqlite://", 1), poolclass=pool.NullPool
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # the driver's implicit transactions: ours instead

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    try:
        with engine.connect() as connection:
            _do_run(connection, metadata, transactional_ddl=True)
    finally:
        engine.dispose()


async def _run_async(url: str, metadata: Sequence[MetaData]) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_do_run, metadata)
    await engine.dispose()


def run_env(service_metadata: MetaData, *extra: MetaData) -> None:
    """Body of every service's ``migrations/env.py``."""
    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url not set (use yingshang.migrate.alembic_config)"
    metadata = [service_metadata, PlumbingBase.metadata, *extra]
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    if url.startswith("sqlite+aiosqlite://"):
        _run_sqlite(url, metadata)
        return
    _run_in_loop(_run_async(url, metadata))


def _run_in_loop(coro: Any) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coro)
        return
    # Called from inside a running loop (e.g. a test): run in a fresh thread's loop.
    import threading

    errors: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coro)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
