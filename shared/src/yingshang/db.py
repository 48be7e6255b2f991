"""Database plumbing: model bases, engines, and the request-owned transaction.

* SQLite (default): WAL, busy timeout, ``BEGIN IMMEDIATE`` for writers and one in-process
  write lock, so concurrent writers queue in Python instead of fighting for SQLite's lock; the
  writer's statements run inline on the event loop, readers on aiosqlite's threads.
* PostgreSQL (production): asyncpg; row claiming uses ``FOR UPDATE SKIP LOCKED``.
* The request owns the transaction (:class:`TransactionalRoute`): commit when the handler
  succeeds, roll back on any error. Services only ``flush()``.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

import orjson
from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import DateTime, Integer, MetaData, String, TypeDecorator, Uuid, event, text
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from yingshang.clock import ensure_utc, now
from yingshang.ids import uuid7
from yingshang.prepared import use_raw_connection
from yingshang.sqlite_checkpoint import SAFETY_PAGES, Checkpointer
from yingshang.sqlite_group import CommitGroups, raw_savepoints
from yingshang.sqlite_inline import InlineConnection, execute_raw, inline_connector

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    """A metadata with the project's constraint naming convention (one per service)."""
    return MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in Python, UTC in storage (naive on SQLite, timestamptz on PG)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = ensure_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else ensure_utc(value)

    def bind_processor(self, dialect: Dialect) -> Callable[[datetime | None], Any] | None:
        """On SQLite, one step to the text SQLite's DATETIME stores (``2026-11-27
        06:27:03.000000``, as its own processor writes it) instead of two: a ticket's intake
        binds some twenty of these."""
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)

        def process(value: datetime | None) -> str | None:
            if value is None:
                return None
            if value.tzinfo is not UTC:
                return _sqlite_text(value)
            text = _SQLITE_TEXT.get(value)
            if text is None:
                text = _sqlite_text(value)
                if len(_SQLITE_TEXT) >= 1024:
                    _SQLITE_TEXT.clear()
                _SQLITE_TEXT[value] = text
            return text

        return process


# Recent UTC instants (the clock's, the deadline engine's) → their SQLite text: an intake
# binds the same few (its clock reading, the due and warning times) some twenty times, and
# isoformat costs far more than a lookup. Only ``tzinfo is UTC`` keys: equal keys are then the
# same instant and the same text (other zones compare equal across a repeated hour, ``fold``).
_SQLITE_TEXT: dict[datetime, str] = {}


def _sqlite_text(value: datetime) -> str:
    if value.tzinfo is UTC:  # the clock's own instants: drop the "+00:00"
        return value.isoformat(" ", "microseconds")[:26]
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(" ", "microseconds")


TYPE_MAP: dict[Any, Any] = {datetime: UTCDateTime(), uuid.UUID: Uuid(), str: String()}


class PlumbingBase(DeclarativeBase):
    """Base of the tables every service carries (outbox, inbox, timeline, audit, ...)."""

    metadata = new_metadata()
    type_annotation_map = TYPE_MAP


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True, default=uuid7)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now, onupdate=now)


class VersionMixin:
    """Optimistic concurrency: ``version`` bumps on every UPDATE and feeds the ETag."""

    version: Mapped[int] = mapped_column(Integer, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # UPDATE ... WHERE version = :old; a lost race raises StaleDataError (-> 412).
        return {"version_id_col": cls.version}


def json_text(value: Any) -> str:
    """JSON columns' serializer: orjson (several times faster than ``json`` on the hot paths'
    event payloads and timeline data), non-string keys turned into strings as ``json`` does."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` / ``sqlite:///`` URLs and pick the async drivers."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.split(":///", 1)[1]
    return url


def _tune_sqlite(
    engine: AsyncEngine, *, immediate: bool, autocheckpoint: int | None = None
) -> None:
    """WAL + busy timeout; explicit BEGIN (IMMEDIATE for writers) per the SQLAlchemy recipe.
    ``autocheckpoint``: the log size (pages) at which a COMMIT checkpoints itself, when a
    :class:`~yingshang.sqlite_checkpoint.Checkpointer` does it first (SQLite's default:
    1,000)."""
    pragmas = [
        "journal_mode=WAL",
        "synchronous=NORMAL",
        "busy_timeout=10000",
        "foreign_keys=ON",
        "temp_store=MEMORY",
        "cache_size=-16000",
    ]
    if autocheckpoint is not None:
        pragmas.append(f"wal_autocheckpoint={int(autocheckpoint)}")

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        for pragma in pragmas:
            cur.execute(f"PRAGMA {pragma}")
        cur.close()

    begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        driver = conn.connection.driver_connection
        if isinstance(driver, InlineConnection):
            execute_raw(driver.raw, begin)  # straight on sqlite3: no statement machinery
        else:
            conn.exec_driver_sql(begin)


class Database:
    """Engines and session factories of one service database."""

    def __init__(self, url: str, *, echo: bool = False, pool_size: int = 10) -> None:
        self.url = normalise_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        kwargs: dict[str, Any] = {
            "echo": echo,
            "json_serializer": json_text,
            "json_deserializer": orjson.loads,
        }
        if not self.is_sqlite:
            kwargs.update(pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
        self.engine = create_async_engine(self.url, **kwargs)
        self.write_engine = self.engine
        # WAL checkpoints off the writer's path, on a thread (SQLite files with the inline
        # writer; see yingshang.sqlite_checkpoint)
        self.checkpointer: Checkpointer | None = None
        if self.is_sqlite:
            # A dedicated writer engine whose transactions start with BEGIN IMMEDIATE and whose
            # statements run inline on the event loop (see yingshang.sqlite_inline).
            database = make_url(self.url).database
            if database and database != ":memory:" and not database.startswith("file:"):
                kwargs["async_creator"] = inline_connector(database)
                self.checkpointer = Checkpointer(database)
            self.write_engine = create_async_engine(self.url, **kwargs)
            _tune_sqlite(self.engine, immediate=False)
            _tune_sqlite(
                self.write_engine,
                immediate=True,
                autocheckpoint=SAFETY_PAGES if self.checkpointer is not None else None,
            )
        # The SQLite writer's one inline connection, held between transactions (a pool
        # checkout and check-in per transaction cost more than the transaction's own BEGIN
        # and COMMIT); used only inside the writer slot.
        self._holds_writer = self.is_sqlite and "async_creator" in kwargs
        self._writer: AsyncConnection | None = None
        self.peek_engine = self.engine
        if self.is_sqlite and "async_creator" in kwargs:
            # Short indexed reads (an idempotency key, "is anything due?") inline as well.
            self.peek_engine = create_async_engine(self.url, **kwargs)
            _tune_sqlite(self.peek_engine, immediate=False)
        self.read_sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.peek_sessions = async_sessionmaker(self.peek_engine, expire_on_commit=False)
        self.write_sessions = async_sessionmaker(self.write_engine, expire_on_commit=False)
        # SQLite allows one writer: queue writers of this process here, not in SQLite.
        self.write_lock = asyncio.Lock() if self.is_sqlite else None
        self._commit_hooks: list[Callable[[], None]] = []
        # Write requests queued together share one COMMIT (yingshang.sqlite_group).
        self.groups: CommitGroups | None = None
        if self._holds_writer and self.write_lock is not None:
            raw_savepoints(self.write_engine)
            self.groups = CommitGroups(self.write_lock, self._writer_connection, self.committed)

    def on_commit(self, hook: Callable[[], None]) -> None:
        """Call ``hook`` after every committed write transaction (e.g. wake the relay)."""
        self._commit_hooks.append(hook)

    def committed(self) -> None:
        if self.checkpointer is not None:
            self.checkpointer.wake()
        for hook in self._commit_hooks:
            hook()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """One write transaction: commit on success, roll back on error."""
        async with self._writer_slot(), self._write_session() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise
        self.committed()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        session = self.read_sessions()
        try:
            yield session
        finally:
            await _end_read(session)

    @asynccontextmanager
    async def peek(self) -> AsyncIterator[AsyncSession]:
        """A short read on the event loop's own thread (SQLite; elsewhere a normal read): for
        one or two indexed lookups on hot paths, never for reports or scans, which would
        stall the loop. Costs no thread hand-overs; sees committed data like :meth:`read`."""
        session = self.peek_sessions()
        try:
            yield session
        finally:
            await _end_read(session)

    @asynccontextmanager
    async def _write_session(self) -> AsyncIterator[AsyncSession]:
        """A session for one write transaction; the caller holds the writer slot."""
        if not self._holds_writer:
            async with self.write_sessions() as session:
                yield session
            return
        if self.groups is not None:
            await self.groups.end()  # its own transaction: an open group commits first
        writer = await self._writer_connection()
        # begins (BEGIN IMMEDIATE), commits or rolls back on the held connection; closed
        # directly: the session's ``async with`` closes it in a shielded task (two more turns
        # of the event loop), which inline statements, never suspended, do not need
        session = self.write_sessions(bind=writer)
        try:
            yield session
        finally:
            await session.close()

    async def _writer_connection(self) -> AsyncConnection:
        writer = self._writer
        if writer is None or writer.closed or writer.invalidated:
            writer = self._writer = await self.write_engine.connect()
        return writer

    @asynccontextmanager
    async def _writer_slot(self) -> AsyncIterator[None]:
        if self.write_lock is None:
            yield
            return
        async with self.write_lock:
            yield

    async def dispose(self) -> None:
        if self.groups is not None and self.write_lock is not None:
            async with self.write_lock:
                await self.groups.end()
        if self._writer is not None:
            await self._writer.close()
            self._writer = None
        await self.engine.dispose()
        for engine in {self.write_engine, self.peek_engine} - {self.engine}:
            await engine.dispose()
        if self.checkpointer is not None:
            await asyncio.to_thread(self.checkpointer.stop)


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TransactionalRoute(APIRoute):
    """The request owns the transaction.

    Reads get a read session; anything else runs in one write transaction that commits only
    when the handler returns a non-error response, and rolls back otherwise.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run(request: Request) -> Response:
            db: Database | None = getattr(request.app.state, "db", None)
            if db is None:
                return await handler(request)
            if request.method in READ_METHODS:
                # the read session is made when the handler first asks for it (get_session):
                # many reads (``/me``, cached lookups) never touch the database
                request.state.db_reader = db
                try:
                    return await handler(request)
                finally:
                    made: AsyncSession | None = getattr(request.state, "db_session", None)
                    if made is not None:
                        await _end_read(made)
            return await _write_request(db, handler, request, self.before_write)

        return run

    async def before_write(self, request: Request, session: AsyncSession) -> Response | None:
        """Runs first in a write request's transaction; a response returned here is the
        answer (the transaction rolls back, the handler does not run)."""
        return None


async def _write_request(
    db: Database,
    handler: Callable[[Request], Awaitable[Response]],
    request: Request,
    before: Callable[[Request, AsyncSession], Awaitable[Response | None]],
) -> Response:
    if db.groups is not None:
        return await _grouped_write_request(db, db.groups, handler, request, before)
    async with db._writer_slot(), db._write_session() as session:
        request.state.db_session = session
        try:
            answer = await before(request, session)
            response = answer or await handler(request)
        except BaseException:
            await session.rollback()
            raise
        if answer is not None or response.status_code >= 400:
            await session.rollback()
            return response
        await session.commit()
    db.committed()
    return response


async def _grouped_write_request(
    db: Database,
    groups: CommitGroups,
    handler: Callable[[Request], Awaitable[Response]],
    request: Request,
    before: Callable[[Request, AsyncSession], Awaitable[Response | None]],
) -> Response:
    """The request in its savepoint of the open group; answers after the group's COMMIT.

    The savepoint is SQLite's own, set raw: a handler that runs only prepared statements
    (``yingshang.prepared``) never begins the session's transaction, whose begin, commit and
    close were a twentieth of an intake. A handler using the ORM begins it as usual, as a
    savepoint inside this one, committed or rolled back first."""
    async with groups.lock:  # the writer slot (the lock itself: no generator per request)
        group, writer = await groups.join()
        raw = group.driver.raw
        session = db.write_sessions(bind=writer, join_transaction_mode="create_savepoint")
        request.state.db_session = session
        use_raw_connection(session, raw)
        kept = False
        try:
            execute_raw(raw, _SAVEPOINT)
            answer = await before(request, session)
            response = answer or await handler(request)
            if answer is None and response.status_code < 400:
                await _commit(session)  # the ORM's savepoint, if the handler began one
                execute_raw(raw, _RELEASE)
                kept = True
                group.size += 1
        finally:
            undone = kept
            try:
                if not kept:
                    if session.sync_session.in_transaction():
                        await session.rollback()  # the ORM's savepoint first
                    execute_raw(raw, _ROLLBACK_TO)
                    execute_raw(raw, _RELEASE)
                    undone = True
                await _close(session)
            finally:
                # a request whose savepoint could not be rolled back must not commit with
                # the others: then the whole group goes
                await groups.leave(group, broken=not undone)
    if kept:
        await groups.wait(group)
    return response


# A grouped request's own savepoint (the ORM's, when it begins one, are sa_savepoint_<n>).
_SAVEPOINT = 'SAVEPOINT "ys_request"'
_RELEASE = 'RELEASE SAVEPOINT "ys_request"'
_ROLLBACK_TO = 'ROLLBACK TO SAVEPOINT "ys_request"'


async def _commit(session: AsyncSession) -> None:
    """Commit a grouped request's session: one that never began has nothing to do; one with
    nothing left to flush only runs RELEASE SAVEPOINT (raw, ``raw_savepoints``), in place,
    without the greenlet hand-over."""
    sync = session.sync_session
    if sync._is_clean():
        if sync.in_transaction():
            sync.commit()
    else:
        await session.commit()


async def _end_read(session: AsyncSession) -> None:
    """Roll back and close a read session; one that never began (a request that read nothing
    from the database, like ``/me``) is just closed, in place (see :func:`_close`)."""
    try:
        if session.sync_session.in_transaction():
            await session.rollback()
    finally:
        await _close(session)


async def _close(session: AsyncSession) -> None:
    """Close a session; one whose transaction has ended has no statement left to run, so it
    is closed in place, without the greenlet hand-over of ``AsyncSession.close``; one that
    never began and holds no object (a grouped request that ran only prepared statements)
    has nothing to close."""
    sync = session.sync_session
    if sync.in_transaction():
        await session.close()
    elif sync._new or sync._deleted or len(sync.identity_map):
        sync.close()


# pg_advisory_xact_lock key of start-up seeding ("ysseed" in ASCII).
SEED_LOCK_KEY = int.from_bytes(b"ysseed", "big")


async def seed_lock(session: AsyncSession) -> None:
    """Take turns seeding: start-up seeds are check-then-insert, so replicas starting together
    on one PostgreSQL database would both insert. A transaction-level advisory lock makes the
    second wait for the first's commit and then find the rows. On SQLite the writer lock
    already serialises writers."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SEED_LOCK_KEY})


def get_session(request: Request) -> AsyncSession:
    """The request's session: its write transaction's, or a read session made on first use."""
    state = request.state
    session: AsyncSession | None = getattr(state, "db_session", None)
    if session is None:
        db: Database | None = getattr(state, "db_reader", None)
        if db is None:
            raise RuntimeError("route is not a TransactionalRoute (use yingshang.app.router())")
        session = state.db_session = db.read_sessions()
    return session


async def _session_dependency(request: Request) -> AsyncSession:
    # async: FastAPI runs a plain ``def`` dependency on a worker thread (a thread hand-over
    # on every request for an attribute read)
    return get_session(request)


SessionDep = Annotated[AsyncSession, Depends(_session_dependency)]
