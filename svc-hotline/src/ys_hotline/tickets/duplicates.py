"""Duplicate hints at intake: open tickets from the same phone, or with near-identical
content in the same category, within N days. Hints only: merging (并单) is a decision."""

import functools
import hashlib
import re
import uuid
from datetime import datetime, timedelta
from typing import Any, Literal, NamedTuple

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
_ID = type_coerce(_T.c.id, String)
_SAME_PHONE = Prepared(
    select(_ID, _T.c.number, _T.c.title, _T.c.state)
    .where(_T.c.requester_phone == bindparam("phone"), *_OPEN_SINCE)
    .limit(5)
)
# ids and states only: what a candidate shows and its text never change after intake, and
# are kept in memory (``_KNOWN``); the newest open tickets of a category meet every new one
_SAME_CATEGORY = Prepared(
    select(_ID, _T.c.state)
    .where(_T.c.category_code == bindparam("category"), *_OPEN_SINCE)
    .order_by(_T.c.received_at.desc())
    .limit(CANDIDATES)
)
_CANDIDATE = Prepared(select(_T.c.number, _T.c.title, _T.c.content).where(bindparam("id") == _ID))


class _Known(NamedTuple):
    """What an intake needs of a candidate besides its state: fixed at the candidate's
    own intake (number, title, and the signature of its text in a bit numbering)."""

    number: str
    title: str
    signature: tuple[int, int]
    generation: int


KNOWN_SIZE = 4096  # candidates kept (some 1.5 MB); the oldest go first
_KNOWN: dict[str, _Known] = {}


def _key(id_: Any) -> str:
    # hex text on SQLite; PostgreSQL's driver hands back a UUID whatever the column is typed
    return id_.hex if isinstance(id_, uuid.UUID) else str(id_)


def remember(ticket_id: uuid.UUID, number: str, title: str, content: str) -> None:
    """Keep a new ticket's candidate data (it meets the next intakes of its category)."""
    generation = _current_generation()
    _keep(ticket_id.hex, _Known(number, title, _signature(content, generation), generation))


def _keep(key: str, known: _Known) -> None:
    if len(_KNOWN) >= KNOWN_SIZE:
        del _KNOWN[next(iter(_KNOWN))]
    _KNOWN[key] = known


async def _candidate(session: AsyncSession, id_: Any, generation: int) -> _Known | None:
    key = _key(id_)
    known = _KNOWN.get(key)
    if known is not None and known.generation == generation:
        return known
    row = await _CANDIDATE.first(session, id=id_)
    if row is None:
        return None
    number, title, content = row
    known = _Known(number, title, _signature(content, generation), generation)
    _keep(key, known)
    return known


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
        for id_, number, title, state in await _SAME_PHONE.all(session, phone=phone, since=since):
            found[_key(id_)] = _hint_of(id_, number, title, state, "same_phone")
    if category:
        generation = _current_generation()
        mine = _signature(content, generation)  # once, not once per candidate
        for id_, state in await _SAME_CATEGORY.all(session, category=category, since=since):
            key = _key(id_)
            if key in found:
                continue
            known = await _candidate(session, id_, generation)
            if known is not None and _jaccard(mine, known.signature) >= SIMILAR:
                found[key] = _hint_of(id_, known.number, known.title, state, "similar_content")
    if exclude is None:
        return list(found.values())
    return [hint for hint in found.values() if hint.id != exclude]


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
