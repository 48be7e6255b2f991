"""Cursor pagination (``limit`` ≤ 200 + opaque ``cursor``) over one unique sort key."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Annotated, Any, Generic, TypeVar

import orjson
from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from yingshang.problems import Invalid

T = TypeVar("T")
MAX_LIMIT = 200

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size (max 200)")]
Cursor = Annotated[str | None, Query(description="opaque cursor from the previous page")]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(key: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps([str(key)])).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = orjson.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise Invalid("翻页游标无效：不是本接口给出的", field="cursor") from exc
    if not isinstance(value, list) or len(value) != 1 or not isinstance(value[0], str):
        raise Invalid("翻页游标无效：不是本接口给出的", field="cursor")
    return value[0]


async def page_rows(
    session: AsyncSession,
    stmt: Select[Any],
    key: InstrumentedAttribute[Any],
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[Any], str | None]:
    """Rows after ``cursor`` ordered by ``key``, and the cursor of the next page (if any)."""
    if cursor:
        stmt = stmt.where(key > _typed(key, decode_cursor(cursor)))
    rows = list((await session.scalars(stmt.order_by(key).limit(limit + 1))).all())
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, encode_cursor(getattr(rows[-1], key.key)) if more else None


def _typed(key: InstrumentedAttribute[Any], value: str) -> Any:
    python_type = key.type.python_type
    try:
        return python_type(value)
    except (TypeError, ValueError) as exc:
        raise Invalid("翻页游标无效：不是本接口给出的", field="cursor") from exc
