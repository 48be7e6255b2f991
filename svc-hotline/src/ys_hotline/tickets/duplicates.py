"""Duplicate hints at intake: open tickets from the same phone, or with near-identical
content in the same category, within N days. Hints only: merging (并单) is a decision."""

import functools
import hashlib
import re
import uuid
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import String, bindparam, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.prepared import Prepared
from ys_hotline.tickets.models import Ticket
from ys_hotline.tickets.schemas import DuplicateHint
from ys_hotline.tickets.vocabulary import OPEN_STATES

SIMILAR = 0.8  # bigram Jaccard at or above this counts as near-identical
CANDIDATES = 20  # newest open tickets of the category compared per intake
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise(content: str) -> str:
    return _NOISE.sub("", content).lower()


def digest(content: str) -> str:
    return hashlib.sha256(normalise(content).encode()).hexdigest()


@functools.lru_cache(maxsize=256)
def _shingles(content: str) -> frozenset[str]:
    """Character bigrams of the normalised text. Cached by the text itself: the same open
    tickets (the newest ``CANDIDATES`` of a category) are compared with every new one of their
    category. 256 texts: a dozen busy categories, a few MB at most for long texts."""
    text = normalise(content)
    return frozenset(text[i : i + 2] for i in range(max(len(text) - 1, 1)))


def similarity(a: str, b: str) -> float:
    return _jaccard(_shingles(a), _shingles(b))


def _jaccard(left: frozenset[str], right: frozenset[str]) -> float:
    if not (left and right):
        return 0.0
    common = len(left & right)
    return common / (len(left) + len(right) - common)


_T = Ticket.__table__
_OPEN_SINCE = (_T.c.state.in_(OPEN_STATES), _T.c.received_at >= bindparam("since"))
# the id as stored (hex text on SQLite): a candidate's id is made a UUID only for a hint
_COLUMNS = select(type_coerce(_T.c.id, String), _T.c.number, _T.c.title, _T.c.state, _T.c.content)
_SAME_PHONE = Prepared(
    _COLUMNS.where(_T.c.requester_phone == bindparam("phone"), *_OPEN_SINCE).limit(5)
)
_SAME_CATEGORY = Prepared(
    _COLUMNS.where(_T.c.category_code == bindparam("category"), *_OPEN_SINCE)
    .order_by(_T.c.received_at.desc())
    .limit(CANDIDATES)
)


async def hints(
    session: AsyncSession,
    *,
    phone: str | None,
    category: str | None,
    content: str,
    since: datetime,
    exclude: uuid.UUID | None = None,
) -> list[DuplicateHint]:
    found: dict[str, DuplicateHint] = {}
    if phone:
        for row in await _SAME_PHONE.all(session, phone=phone, since=since):
            found[row[0]] = _hint(row, "same_phone")
    if category:
        mine = _shingles(content)  # once, not once per candidate
        for row in await _SAME_CATEGORY.all(session, category=category, since=since):
            if row[0] not in found and _jaccard(mine, _shingles(row[4])) >= SIMILAR:
                found[row[0]] = _hint(row, "similar_content")
    return [hint for hint in found.values() if hint.id != exclude]


def _hint(row: tuple[Any, ...], reason: Literal["same_phone", "similar_content"]) -> DuplicateHint:
    id_, number, title, state, _content = row
    # hex text on SQLite; PostgreSQL's driver hands back a UUID whatever the column is typed
    ticket_id = id_ if isinstance(id_, uuid.UUID) else uuid.UUID(id_)
    # values straight from the row (a ticket's own columns): no validation needed
    return DuplicateHint.model_construct(
        id=ticket_id, number=number, title=title, status=state, reason=reason
    )


def window_start(at: datetime, days: int) -> datetime:
    return at - timedelta(days=days)
