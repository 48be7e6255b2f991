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


VOCABULARY = 1 << 16  # bigrams given a bit before the numbering starts over
_BIT_OF: dict[str, int] = {}  # bigram → its bit in a text's signature
_generation = 0  # bumped when the numbering starts over (signatures of before are void)


def _bigrams(content: str) -> set[str]:
    """Character bigrams of the normalised text."""
    text = normalise(content)
    return {text[i : i + 2] for i in range(max(len(text) - 1, 1))}


@functools.lru_cache(maxsize=256)
def _signature(content: str, generation: int) -> tuple[int, int]:
    """The text's bigrams as one integer, a bit per bigram, and how many there are: the
    Jaccard similarity of two texts is then one AND and a bit count. Cached by the text: the
    newest open tickets of a category (``CANDIDATES``) meet every new one of their category.
    256 texts: a dozen busy categories."""
    bits = 0
    grams = _bigrams(content)
    for gram in grams:
        bit = _BIT_OF.get(gram)
        if bit is None:
            bit = _BIT_OF[gram] = len(_BIT_OF)
        bits |= 1 << bit
    return bits, len(grams)


def _current_generation() -> int:
    global _generation
    if len(_BIT_OF) > VOCABULARY:
        _BIT_OF.clear()
        _generation += 1
    return _generation


def similarity(a: str, b: str) -> float:
    generation = _current_generation()
    return _jaccard(_signature(a, generation), _signature(b, generation))


def _jaccard(left: tuple[int, int], right: tuple[int, int]) -> float:
    (left_bits, left_count), (right_bits, right_count) = left, right
    if not (left_count and right_count):
        return 0.0
    common = (left_bits & right_bits).bit_count()
    return common / (left_count + right_count - common)


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
        generation = _current_generation()
        mine = _signature(content, generation)  # once, not once per candidate
        for row in await _SAME_CATEGORY.all(session, category=category, since=since):
            if row[0] not in found and _jaccard(mine, _signature(row[4], generation)) >= SIMILAR:
                found[row[0]] = _hint(row, "similar_content")
    return [hint for hint in found.values() if hint.id != exclude]


def _hint(row: tuple[Any, ...], reason: Literal["same_phone", "similar_content"]) -> DuplicateHint:
    id_, number, title, state, _content = row
    return _hint_of(id_, number, title, state, reason)


@functools.lru_cache(maxsize=1024)
def _hint_of(
    id_: Any, number: str, title: str, state: str, reason: Literal["same_phone", "similar_content"]
) -> DuplicateHint:
    """A hint is immutable and made of the candidate's columns (a state change is a new key):
    the newest open tickets of a category meet every new one of their category, so each is
    built once, not once per intake."""
    # hex text on SQLite; PostgreSQL's driver hands back a UUID whatever the column is typed
    ticket_id = id_ if isinstance(id_, uuid.UUID) else uuid.UUID(id_)
    # values straight from the row (a ticket's own columns): no validation needed
    return DuplicateHint.model_construct(
        id=ticket_id, number=number, title=title, status=state, reason=reason
    )


@functools.lru_cache(maxsize=1024)
def id_text(ticket_id: uuid.UUID) -> str:
    """A hinted ticket's id as the ticket records it (``duplicate_hints``)."""
    return str(ticket_id)


def window_start(at: datetime, days: int) -> datetime:
    return at - timedelta(days=days)
