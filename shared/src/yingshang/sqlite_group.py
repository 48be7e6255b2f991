"""Group commit on the SQLite writer: write requests queued together share one COMMIT.

A COMMIT in WAL mode writes every page the transaction touched to the log (two ``write()``
calls per page); a ticket intake touches some 25 B-trees, so its COMMIT alone cost about a
fifth of the request. Requests that queue for the writer while one runs therefore run one
after another inside one SQLite transaction, each in its own SAVEPOINT, and that transaction
commits once the requests that were queued have run (at most :data:`MAX_GROUP`):

* a request that fails, or answers with an error, rolls back to its savepoint: the others
  of its group keep their effects;
* no request of a group answers before the COMMIT that holds its effects; when that COMMIT
  fails, every request of the group fails with it (503) and none of their effects stays;
* writers outside requests (outbox relay, sweeper, consumers) run in their own transaction:
  an open group commits first, so they never see uncommitted work;
* a deferred constraint checked at COMMIT would fail the whole group for one request: the
  schemas have none (keep constraints immediate).

Groups are capped at :data:`MAX_GROUP` = 8 requests: a group answers all at once, so a
larger one makes callers move in lockstep (behind a proxy, the service idles while a burst
of answers and new requests crosses it); 8 keeps most of the saving (a COMMIT per 8 tickets
instead of per ticket) and a lower p99 (B2: same throughput as 64, p99 41 vs 46 ms; through
the gateway the service was busy 88 % of the time instead of 82 %).

When a request leaves the writer, it leaves behind a *closer*: a task queued for the writer
like any request, behind the requests already waiting, that commits the group. Requests
arriving later queue behind the closer and form the next group. With one request at a time,
the closer runs right after it (two turns of the event loop, no waiting).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncTransaction

from yingshang.problems import ServiceUnavailable
from yingshang.sqlite_inline import InlineConnection, execute_raw

log = logging.getLogger(__name__)

MAX_GROUP = 8  # requests per COMMIT at most: see the module's note


class GroupRolledBack(RuntimeError):
    """SQLite rolled the group's transaction back under a request (an I/O error, a full disk):
    the effects of every request of the group are gone."""


class GroupCommitFailed(ServiceUnavailable):
    """What each request of a group whose COMMIT failed answers (503, retry)."""


class Group:
    """One open transaction shared by queued write requests."""

    __slots__ = ("closer", "done", "driver", "size", "transaction")

    def __init__(self, transaction: AsyncTransaction, driver: InlineConnection) -> None:
        self.transaction = transaction
        self.driver = driver  # the writer's sqlite3 connection, inline
        self.done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.done.add_done_callback(_retrieve)
        self.size = 0  # requests whose effects are in it
        self.closer: asyncio.Task[None] | None = None


class CommitGroups:
    """The open group of one database's inline SQLite writer. Every method but :meth:`wait`
    runs with the writer slot held."""

    def __init__(
        self,
        lock: asyncio.Lock,
        writer: Callable[[], Awaitable[AsyncConnection]],
        committed: Callable[[], None],
    ) -> None:
        self.lock = lock  # the writer slot
        self._writer = writer
        self._committed = committed
        self._open: Group | None = None
        self._closers: set[asyncio.Task[None]] = set()

    async def join(self) -> tuple[Group, AsyncConnection]:
        """The open group (BEGIN IMMEDIATE when there is none) and its connection."""
        writer = await self._writer()
        if self._open is None:
            transaction = await writer.begin()
            driver = (await writer.get_raw_connection()).driver_connection
            if not isinstance(driver, InlineConnection):
                raise TypeError("group commit needs the inline SQLite writer")
            self._open = Group(transaction, driver)
        return self._open, writer

    async def leave(self, group: Group, *, broken: bool = False) -> None:
        """A request is done with the writer: its savepoint released or rolled back, or
        ``broken``, when rolling it back failed (the whole group is then rolled back)."""
        if self._open is not group:
            return
        if broken or not group.driver.in_transaction:  # rolled back under us: lost
            self._open = None
            await _roll_back(group)
            log.warning("the write transaction of %d grouped requests was lost", group.size)
            group.done.set_exception(GroupRolledBack("the shared write transaction was lost"))
            return
        if group.size >= MAX_GROUP:
            await self.end()
        elif group.closer is None:
            group.closer = asyncio.create_task(self._close(group))
            self._closers.add(group.closer)
            group.closer.add_done_callback(self._closers.discard)

    async def end(self) -> None:
        """Commit the open group, if any (before a writer that needs its own transaction)."""
        group, self._open = self._open, None
        if group is None:
            return
        try:
            await group.transaction.commit()
        except Exception as exc:
            log.warning("the COMMIT of %d grouped write requests failed: %s", group.size, exc)
            await _roll_back(group)
            group.done.set_exception(exc)
            return
        group.done.set_result(None)
        # the requests' COMMIT, whichever task ends the group: every worker is told, also the
        # one whose own transaction had to end the group first (its own commits do not wake
        # it, and it would miss the requests' rows until its next poll)
        contextvars.Context().run(self._committed)

    @staticmethod
    async def wait(group: Group) -> None:
        """Until the group's COMMIT; :class:`GroupCommitFailed` when it failed."""
        try:
            await asyncio.shield(group.done)
        except Exception as exc:
            raise GroupCommitFailed("写入未能提交，请重试") from exc

    async def _close(self, group: Group) -> None:
        async with self.lock:
            if self._open is group:
                await self.end()


async def _roll_back(group: Group) -> None:
    """After a failed COMMIT: SQLite may keep the transaction open (a deferred constraint)
    while SQLAlchemy has already given it up; end it on both sides."""
    with contextlib.suppress(Exception):
        await group.transaction.rollback()
    if group.driver.in_transaction:
        await group.driver.rollback()


def _retrieve(done: asyncio.Future[None]) -> None:
    if not done.cancelled():
        done.exception()  # members that failed or went away do not await it


def raw_savepoints(engine: AsyncEngine) -> None:
    """SAVEPOINT, RELEASE and ROLLBACK TO straight on sqlite3 for inline connections (as
    BEGIN is): SQLAlchemy runs them as compiled statements, a few dozen µs each."""
    dialect: Any = engine.sync_engine.dialect
    compiled = {
        name: getattr(dialect, name)
        for name in ("do_savepoint", "do_release_savepoint", "do_rollback_to_savepoint")
    }
    sql = {
        "do_savepoint": "SAVEPOINT",
        "do_release_savepoint": "RELEASE SAVEPOINT",
        "do_rollback_to_savepoint": "ROLLBACK TO SAVEPOINT",
    }

    def raw(name: str) -> Callable[[Any, str], None]:
        def run(connection: Any, savepoint: str) -> None:
            driver = connection.connection.driver_connection
            if isinstance(driver, InlineConnection):
                execute_raw(driver.raw, f'{sql[name]} "{savepoint}"')
            else:
                compiled[name](connection, savepoint)

        return run

    for name in compiled:
        setattr(dialect, name, raw(name))
