"""Prepared statements for hot paths: a Core statement built once, compiled once per dialect.

An ORM round trip (statement construction, cache key, unit of work or entity loading) costs
50–150 µs of CPU per statement, SQLite itself 5–15 µs; a ticket intake runs about twenty
statements. A :class:`Prepared` statement is built at import (or by a builder per dialect),
compiled the first time a dialect runs it, and then run

* on the SQLite writer (``yingshang.sqlite_inline``) straight on the sqlite3 connection of the
  session's transaction, with the column types' own bind and result processors, so values are
  stored and read exactly as SQLAlchemy stores and reads them;
* anywhere else (PostgreSQL, aiosqlite readers, in-memory test databases) through the
  session's Core connection, a compiled-cache hit.

Either way the statement runs inside the session's transaction (it begins it if needed) and
commits or rolls back with it. Reads flush pending ORM changes first, as ORM queries do.
Bind values are passed by name; a bind's value given in the statement (``values(state="x")``,
``in_([...])``) is its default.

On the SQLite writer a ``None`` value is written into the SQL text as ``NULL`` instead of being
bound: the sqlite3 module sends every bound ``None`` through its adaptation protocol (an
attribute lookup that fails with a formatted ``AttributeError``, ~1.5k instructions), and an
intake binds some seventy of them. A bound NULL and a literal NULL are the same value to SQLite
in every position; each pattern of NULLs is one more SQL text (a few per statement, at most
:data:`NULL_VARIANTS`, then the ``None`` values are bound as usual).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, TypeVar

from sqlalchemy import bindparam, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import manager_of_class
from sqlalchemy.sql import Executable
from sqlalchemy.sql.selectable import ReturnsRows

from yingshang.sqlite_inline import InlineConnection, execute_raw

Builder = Callable[[Dialect], Executable]
Row = tuple[Any, ...]
_Processor = Callable[[Any], Any] | None
_RAW_KEY = "ys_prepared_raw"
_MISSING: Any = object()
M = TypeVar("M")


NULL_VARIANTS = 32  # SQL texts with literal NULLs kept per statement


@dataclass(frozen=True)
class _Compiled:
    sql: str
    # per ``?``: the bind's name, its member of an IN list (else None), its bind processor
    slots: tuple[tuple[str, int | None, _Processor], ...]
    defaults: Mapping[str, Any]
    results: tuple[_Processor, ...]
    processes_results: bool
    # the SQL text around its ``?`` marks (one more piece than slots), or () when the marks
    # could not be told apart from the text: then NULLs are always bound
    pieces: tuple[str, ...] = ()
    # positions of the NULLs → the SQL text with ``NULL`` in those places
    variants: dict[tuple[int, ...], str] = field(default_factory=dict)
    # when every ``?`` is a required bind of its own (no IN-list member, no default): the
    # values in ``?`` order in one C call, and the positions whose values need processing
    getter: Callable[[Mapping[str, Any]], Any] | None = None
    processed: tuple[tuple[int, Callable[[Any], Any]], ...] = ()

    def with_nulls(self, nulls: tuple[int, ...]) -> str | None:
        """The SQL text with ``NULL`` at the ``?`` marks ``nulls``; ``None`` when not kept."""
        sql = self.variants.get(nulls)
        if sql is None and self.pieces and len(self.variants) < NULL_VARIANTS:
            parts = [self.pieces[0]]
            for position, piece in enumerate(self.pieces[1:]):
                parts.append("NULL" if position in nulls else "?")
                parts.append(piece)
            sql = self.variants[nulls] = "".join(parts)
        return sql


class Prepared:
    """``Prepared(select(T.a).where(T.k == bindparam("k")))``; ``await p.all(session, k=1)``.

    ``statement`` is a Core statement, or a function of the dialect building one (for
    dialect-specific forms such as ``INSERT ... ON CONFLICT``)."""

    def __init__(self, statement: Executable | Builder) -> None:
        self._builder: Builder = (
            statement if callable(statement) and not isinstance(statement, Executable)
            else (lambda _dialect: statement)
        )  # fmt: skip
        self._statements: dict[str, Executable] = {}
        self._sqlite: _Compiled | None = None

    def statement(self, dialect: Dialect) -> Executable:
        built = self._statements.get(dialect.name)
        if built is None:
            built = self._statements[dialect.name] = self._builder(dialect)
        return built

    async def all(self, session: AsyncSession, /, **params: Any) -> list[Row]:
        """Every row (tuples), after flushing pending ORM changes."""
        if _pending(session):
            await session.flush()
        raw = await _raw_connection(session)
        if raw is None:
            connection = await session.connection()
            result = await connection.execute(self._core(session), params)
            return [tuple(row) for row in result.all()]
        compiled = self._compiled_sqlite(session)
        rows = _execute(raw, compiled, params).fetchall()
        if not compiled.processes_results:
            return rows
        return [_row(compiled.results, row) for row in rows]

    async def first(self, session: AsyncSession, /, **params: Any) -> Row | None:
        rows = await self.all(session, **params)
        return rows[0] if rows else None

    async def scalar(self, session: AsyncSession, /, **params: Any) -> Any:
        """The first column of the first row, ``None`` without rows."""
        row = await self.first(session, **params)
        return None if row is None else row[0]

    async def run(self, session: AsyncSession, /, **params: Any) -> int:
        """A statement without result rows (INSERT, UPDATE, DELETE): the row count. Pending
        ORM changes are not flushed first (they go in with the next flush, as usual)."""
        raw = await _raw_connection(session)
        if raw is None:
            connection = await session.connection()
            return (await connection.execute(self._core(session), params)).rowcount
        compiled = self._compiled_sqlite(session)
        return _execute(raw, compiled, params).rowcount

    def _core(self, session: AsyncSession) -> Executable:
        return self.statement(session.get_bind().dialect)

    def _compiled_sqlite(self, session: AsyncSession) -> _Compiled:
        if self._sqlite is None:
            self._sqlite = _compile(self.statement(session.get_bind().dialect), session)
        return self._sqlite


def insert_row(model: type[Any], *, without: tuple[str, ...] = ()) -> Prepared:
    """``INSERT`` of one row of a mapped class's table naming every column except ``without``
    (e.g. an autoincrement key); each is a bind of the column's name, and all must be given."""
    columns = [c.name for c in model.__table__.columns if c.name not in without]
    return Prepared(insert(model).values({name: bindparam(name) for name in columns}))


def as_loaded(model: type[M], values: Mapping[str, Any]) -> M:
    """An instance of a mapped class holding ``values`` as if just loaded from a row: no
    instrumented attribute sets (a few µs each) and no attribute history. For a row written
    with :func:`insert_row`; attributes set afterwards are tracked as usual."""
    missing = _column_keys(model) - values.keys()
    if missing:
        raise ValueError(f"{model.__name__}: no value for {', '.join(sorted(missing))}")
    instance: M = manager_of_class(model).new_instance()
    instance.__dict__.update(values)
    return instance


_COLUMN_KEYS: dict[type[Any], frozenset[str]] = {}


def _column_keys(model: type[Any]) -> frozenset[str]:
    keys = _COLUMN_KEYS.get(model)
    if keys is None:
        keys = _COLUMN_KEYS[model] = frozenset(c.key for c in model.__mapper__.column_attrs)
    return keys


def column_values(row: object, *, without: tuple[str, ...] = ()) -> dict[str, Any]:
    """A mapped object's column values for :func:`insert_row` (Python-side defaults are not
    applied: set every column first)."""
    pairs = _column_pairs(type(row), without)
    loaded = row.__dict__  # the instance's state: what is set or loaded (no descriptor calls)
    try:
        return {name: loaded[key] for name, key in pairs}
    except KeyError:  # something expired or never set: let the attributes load it
        return {name: getattr(row, key) for name, key in pairs}


_PAIRS: dict[tuple[type[Any], tuple[str, ...]], tuple[tuple[str, str], ...]] = {}


def _column_pairs(model: type[Any], without: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(column name, attribute key) of a mapped class's table columns, less ``without``."""
    pairs = _PAIRS.get((model, without))
    if pairs is None:
        table: Any = model.__table__
        pairs = _PAIRS[model, without] = tuple(
            (c.name, c.key) for c in table.columns if c.name not in without
        )
    return pairs


def _compile(statement: Executable, session: AsyncSession) -> _Compiled:
    dialect = session.get_bind().dialect
    compiled: Any = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
    sql: str = compiled.string
    slots: list[tuple[str, int | None]] = []
    for name in compiled.positiontup or ():
        bind = compiled.binds[name]
        if not bind.expanding:
            slots.append((name, None))
            continue
        # A constant IN list (``state.in_(OPEN_STATES)``): one ``?`` per member.
        if not isinstance(bind.value, list | tuple) or not bind.value:
            raise ValueError(f"prepared IN lists are constants; {name!r} has none")
        marks = ", ".join("?" * len(bind.value))
        sql = sql.replace(f"__[POSTCOMPILE_{name}]", marks)
        slots.extend((name, index) for index in range(len(bind.value)))
    results: tuple[_Processor, ...] = ()
    if isinstance(statement, ReturnsRows):
        results = tuple(_result_processor(c.type, dialect) for c in statement.exported_columns)
    pieces = _split_at_marks(sql)
    typed = tuple(
        (name, index, _bind_processor(compiled.binds[name].type, dialect)) for name, index in slots
    )
    simple = bool(typed) and all(
        index is None and compiled.binds[name].required for name, index, _ in typed
    )
    names = [name for name, _, _ in typed]
    getter: Callable[[Mapping[str, Any]], Any] | None = None
    if simple:
        pick = itemgetter(*names)
        getter = pick if len(names) > 1 else (lambda params: (pick(params),))
    return _Compiled(
        sql=sql,
        slots=typed,
        getter=getter,
        processed=tuple(
            (position, process) for position, (_, _, process) in enumerate(typed) if process
        ),
        defaults={
            name: bind.value if _bind_processor(bind.type, dialect) else _plain(bind.value)
            for name, bind in compiled.binds.items()
            if not bind.required
        },
        results=results,
        processes_results=any(p is not None for p in results),
        pieces=pieces if len(pieces) == len(slots) + 1 else (),
    )


def _plain(value: Any) -> Any:
    """A constant as the built-in type sqlite3 binds without its adaptation protocol: members
    of ``StrEnum``/``IntEnum`` (``state.in_(OPEN_STATES)``) as plain ``str``/``int``."""
    if isinstance(value, list | tuple):
        return type(value)(_plain(member) for member in value)
    if isinstance(value, str) and type(value) is not str:
        return str.__str__(value)
    if isinstance(value, int) and type(value) not in (int, bool):
        return int(value)
    return value


def _split_at_marks(sql: str) -> tuple[str, ...]:
    """The SQL text cut at its ``?`` parameter marks, skipping quoted text ('...', "...",
    [...], `...`) and comments; ``()`` if the text ends inside a quote or comment."""
    pieces: list[str] = []
    start = i = 0
    closing = {"'": "'", '"': '"', "`": "`", "[": "]"}
    while i < len(sql):
        char = sql[i]
        if char == "?":
            pieces.append(sql[start:i])
            start = i + 1
        elif char in closing:
            end = sql.find(closing[char], i + 1)
            if end < 0:
                return ()
            i = end  # a doubled quote inside is two quoted runs back to back: same cut
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            if end < 0:
                return ()
            i = end
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            if end < 0:
                return ()
            i = end + 1
        i += 1
    pieces.append(sql[start:])
    return tuple(pieces)


def _result_processor(type_: Any, dialect: Dialect) -> _Processor:
    processor: _Processor = type_.dialect_impl(dialect).result_processor(dialect, None)
    return processor


def _bind_processor(type_: Any, dialect: Dialect) -> _Processor:
    # the dialect's own implementation (e.g. SQLite's DATETIME under a TypeDecorator)
    processor: _Processor = type_.dialect_impl(dialect).bind_processor(dialect)
    return processor


def _execute(
    raw: sqlite3.Connection, compiled: _Compiled, params: Mapping[str, Any]
) -> sqlite3.Cursor:
    values = _bind(compiled, params)
    if None in values:
        nulls = tuple([position for position, value in enumerate(values) if value is None])
        sql = compiled.with_nulls(nulls)
        if sql is not None:
            return execute_raw(raw, sql, [value for value in values if value is not None])
    return execute_raw(raw, compiled.sql, values)


def _bind(compiled: _Compiled, params: Mapping[str, Any]) -> list[Any]:
    if compiled.getter is not None:
        try:
            values = list(compiled.getter(params))
        except KeyError:
            pass  # the loop below names the missing bind
        else:
            for position, convert in compiled.processed:
                value = values[position]
                if value is not None:
                    values[position] = convert(value)
            return values
    values = []
    append = values.append
    for name, index, process in compiled.slots:
        value = params.get(name, _MISSING)
        if value is _MISSING:
            value = compiled.defaults.get(name, _MISSING)
            if value is _MISSING:
                raise InvalidRequestError(f"A value is required for bind parameter {name!r}")
        if index is not None:
            value = value[index]
        if value is not None and process is not None:
            value = process(value)
        append(value)
    return values


def _row(processors: Sequence[_Processor], row: Row) -> Row:
    return tuple(
        [
            value if process is None or value is None else process(value)
            for process, value in zip(processors, row)  # noqa: B905 (one processor per column)
        ]
    )


def _pending(session: AsyncSession) -> bool:
    sync = session.sync_session
    return sync.autoflush and not sync._is_clean()  # what flush() itself checks first


def use_raw_connection(session: AsyncSession, raw: sqlite3.Connection) -> None:
    """Tell prepared statements the sqlite3 connection of the transaction they are to run
    in, begun by the caller on an inline connection: the session's, or — for a session that
    has not begun one — the caller's own (a grouped write request's raw savepoint); saves
    asking SQLAlchemy for it, and beginning the session's transaction for nothing."""
    session.info[_RAW_KEY] = (session.sync_session.get_transaction(), raw)


async def _raw_connection(session: AsyncSession) -> sqlite3.Connection | None:
    """The sqlite3 connection of the session's transaction when it is an inline one (or of
    the caller's, see :func:`use_raw_connection`)."""
    transaction = session.sync_session.get_transaction()
    cached = session.info.get(_RAW_KEY)
    if cached is not None and cached[0] is transaction:
        raw: sqlite3.Connection | None = cached[1]
        return raw
    connection = await session.connection()  # begins the transaction (BEGIN IMMEDIATE)
    driver = (await connection.get_raw_connection()).driver_connection
    raw = driver.raw if isinstance(driver, InlineConnection) else None
    session.info[_RAW_KEY] = (session.sync_session.get_transaction(), raw)
    return raw
