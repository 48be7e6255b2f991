"""Cursor (keyset) pagination: ``limit`` (1..200, default 50) and an opaque ``cursor``.

Lists are ordered by a (column, id) pair, newest first by default; the cursor is the sort key
of the last item served, base64url-encoded JSON naming the sort it belongs to. Cursors are not
signed: a hand-made cursor only chooses where a page starts, and the service's own filters
(department, status) still bound what it can return. They are validated: garbage, or a
cursor of another sort, is a 422 problem naming ``cursor``. Keyset pages stay correct while
rows are inserted, and each page is one index range scan.

Route::

    @api.get("/cases", response_model=Page[CaseOut], dependencies=[allow(staff())])
    async def list_cases(session: SessionDep, page: PageParams) -> Page[CaseOut]:
        rows, cursor = await paginate(session, select(Case), page, sort=Case.created_at,
                                      id_col=Case.id)
        return Page(items=[CaseOut.model_validate(r) for r in rows], next_cursor=cursor)
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, TypeDecorator, and_, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from yingshang.clock import ensure_utc
from yingshang.problems import Invalid

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_CURSOR_LENGTH = 512
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

T = TypeVar("T")
Direction = Literal["asc", "desc"]
SortKey = ColumnElement[Any] | InstrumentedAttribute[Any]


class Page(BaseModel, Generic[T]):
    """One page of a list; ``next_cursor`` is ``null`` on the last page."""

    items: list[T]
    next_cursor: str | None = None


@dataclass(frozen=True)
class Cursor:
    """A decoded cursor: which sort it belongs to, and the last item's sort key."""

    sort: str
    direction: Direction
    value: Any
    id: str

    def encode(self) -> str:
        raw = json.dumps(
            {"s": self.sort, "d": self.direction, "v": self.value, "i": self.id},
            separators=(",", ":"),
            ensure_ascii=False,
        ).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """Parse a client's cursor; 422 naming ``cursor`` if it is not one of ours."""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            body = json.loads(raw)
        except (binascii.Error, ValueError) as exc:
            raise _bad_cursor() from exc
        if not isinstance(body, dict) or set(body) != {"s", "d", "v", "i"}:
            raise _bad_cursor()
        sort, direction, value, ident = body["s"], body["d"], body["v"], body["i"]
        if not (isinstance(sort, str) and isinstance(ident, str) and direction in ("asc", "desc")):
            raise _bad_cursor()
        return cls(sort, direction, value, ident)


def _bad_cursor(detail: str = "翻页游标无效：不是本列表给出的") -> Invalid:
    return Invalid(detail, code="invalid-cursor", field="cursor")


@dataclass(frozen=True)
class PageRequest:
    """The validated query parameters of a list request."""

    limit: int = DEFAULT_LIMIT
    cursor: Cursor | None = None


async def page_params(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description=f"page size, 1..{MAX_LIMIT}")
    ] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None,
        Query(max_length=MAX_CURSOR_LENGTH, description="`next_cursor` of the previous page"),
    ] = None,
) -> PageRequest:
    return PageRequest(limit, Cursor.decode(cursor) if cursor else None)


PageParams = Annotated[PageRequest, Depends(page_params)]
"""Route parameter: ``page: PageParams`` (``limit`` over 200 → 422 problem)."""


async def paginate(
    session: AsyncSession,
    stmt: Select[Any],
    page: PageRequest,
    *,
    sort: InstrumentedAttribute[Any],
    id_col: InstrumentedAttribute[Any],
    direction: Direction = "desc",
) -> tuple[list[Any], str | None]:
    """Run ``stmt`` (a ``select(Model)`` with the caller's filters) for one page.

    Returns the page's rows and the cursor of the next page (``None`` on the last one).
    ``sort`` and ``id_col`` should be covered by one index, e.g. ``(created_at, id)``.
    """
    sort_name = sort.key
    if page.cursor is not None:
        stmt = stmt.where(_after(page.cursor, sort, id_col, sort_name, direction))
    order = (sort.desc(), id_col.desc()) if direction == "desc" else (sort.asc(), id_col.asc())
    rows = list((await session.scalars(stmt.order_by(*order).limit(page.limit + 1))).all())
    if len(rows) <= page.limit:
        return rows, None
    rows = rows[: page.limit]
    last = rows[-1]
    key = _dump_value(getattr(last, sort_name))
    return rows, Cursor(sort_name, direction, key, str(getattr(last, id_col.key))).encode()


def _after(
    cursor: Cursor,
    sort: InstrumentedAttribute[Any],
    id_col: InstrumentedAttribute[Any],
    sort_name: str,
    direction: Direction,
) -> Any:
    if (cursor.sort, cursor.direction) != (sort_name, direction):
        raise _bad_cursor("翻页游标属于本列表的另一种排序")
    value = _load_value(cursor.value, _python_type(sort))
    ident = _load_value(cursor.id, _python_type(id_col))
    if direction == "desc":
        return or_(sort < value, and_(sort == value, id_col < ident))
    return or_(sort > value, and_(sort == value, id_col > ident))


async def paginate_by(
    session: AsyncSession,
    stmt: Select[Any],
    page: PageRequest,
    *,
    name: str,
    keys: Sequence[SortKey],
    id_col: InstrumentedAttribute[Any],
) -> tuple[list[Any], str | None]:
    """One page of ``stmt`` ordered by several ``keys``, each ascending, then ``id_col``: a
    working order such as "green channel first, then the soonest due". ``name`` names that
    order in its cursors. The keys must never be NULL (``coalesce`` them): the cursor holds
    the last row's values of them and the next page starts after that tuple.
    """
    order = [*keys, id_col]
    if page.cursor is not None:
        stmt = stmt.where(_after_keys(page.cursor, name, order))
    ordered = stmt.add_columns(*keys).order_by(*order).limit(page.limit + 1)
    rows = list((await session.execute(ordered)).all())
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    if not more:
        return [r[0] for r in rows], None
    last = rows[-1]
    values = [_dump_value(v) for v in last[1:]]
    ident = str(getattr(last[0], id_col.key))
    return [r[0] for r in rows], Cursor(name, "asc", values, ident).encode()


def _after_keys(cursor: Cursor, name: str, order: list[Any]) -> Any:
    """Rows after the cursor's tuple of keys: the first key greater, or equal and the second
    greater, and so on (a row comparison spelled out, as every database reads it)."""
    if (cursor.sort, cursor.direction) != (name, "asc"):
        raise _bad_cursor("翻页游标属于本列表的另一种排序")
    if not isinstance(cursor.value, list) or len(cursor.value) != len(order) - 1:
        raise _bad_cursor()
    raw = [*cursor.value, cursor.id]
    values = [_load_value(v, _python_type(k)) for k, v in zip(order, raw, strict=True)]
    return or_(
        *(
            and_(*(k == v for k, v in zip(order[:n], values[:n], strict=True)), order[n] > value)
            for n, value in enumerate(values)
        )
    )


def _python_type(column: SortKey) -> type:
    column_type = column.type
    if isinstance(column_type, TypeDecorator):  # e.g. UTCDateTime: ask the stored type
        column_type = column_type.impl_instance
    try:
        kind: type = column_type.python_type
    except NotImplementedError:
        return str
    return kind


def _dump_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return ensure_utc(value).isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _load_value(value: Any, kind: type) -> Any:
    try:
        if kind is datetime:
            return ensure_utc(datetime.fromisoformat(value))
        if kind is uuid.UUID:
            return uuid.UUID(value)
        if kind is int and isinstance(value, str):  # an integer id travels as text
            value = int(value)
    except (AttributeError, TypeError, ValueError, OverflowError) as exc:
        raise _bad_cursor() from exc
    if kind is int and isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
        raise _bad_cursor()  # no column holds it (and the database driver would refuse it)
    if isinstance(value, kind) and not isinstance(value, bool):
        return value
    raise _bad_cursor()
