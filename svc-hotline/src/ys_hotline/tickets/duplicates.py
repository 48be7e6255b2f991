"""Duplicate hints at intake (DOMAIN.md: the same requester raising the same matter is merged,
并单). Hints only: merging is the operator's decision.

* same phone: every open ticket of the caller, whatever its age — a caller ringing back about
  a matter still open weeks later (reopened after a dissatisfied 回访, or long in handling) is
  the first case of a duplicate;
* similar content: open tickets of the same category with near-identical text received within
  ``duplicate_window_days`` (from other callers: the window keeps a busy category's old matters
  from being offered as today's).

Closed tickets are never hinted: 并单 joins an open ticket only (``followup.merge``)."""

import functools
import hashlib
import re
import uuid
from collections import OrderedDict
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
_OPEN = _T.c.state.in_(OPEN_STATES)
_OPEN_SINCE = (_OPEN, _T.c.received_at >= bindparam("since"))
# the id as stored (hex text on SQLite): a candidate's id is made a UUID only for a hint
_ID = type_coerce(_T.c.id, String)
SAME_PHONE_HINTS = 5  # the caller's newest open tickets
# the phone is sealed: its blind index is compared (one per configured data secret); no
# window: an open ticket of the same caller is a hint whatever its age
_SAME_PHONE = Prepared(
    select(_ID, _T.c.number, _T.c.title, _T.c.state)
    .where(_T.c.requester_phone_index == bindparam("phone_index"), _OPEN)
    .order_by(_T.c.received_at.desc())
    .limit(SAME_PHONE_HINTS)
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


Reason = Literal["same_phone", "similar_content"]


class Hint(NamedTuple):
    """A hint, and the hinted ticket's id as the new ticket records it (``duplicate_hints``)."""

    view: DuplicateHint
    id_text: str


class _Candidate:
    """What an intake needs of a candidate besides its state, fixed at the candidate's own
    intake: id, number, title and text (``None`` when only its phone matched), the signature
    of the text in the current bit numbering, and the hints made of it so far, by state and
    reason (immutable: the newest open tickets of a category meet every new one of it)."""

    __slots__ = ("_generation", "_hints", "_signature", "content", "id", "id_text", "number",
                 "title")  # fmt: skip

    def __init__(self, ticket_id: uuid.UUID, number: str, title: str, content: str | None) -> None:
        self.id, self.id_text = ticket_id, str(ticket_id)
        self.number, self.title, self.content = number, title, content
        self._signature: tuple[int, int] = (0, 0)
        self._generation = -1
        self._hints: dict[tuple[str, Reason], Hint] = {}

    def signature(self, generation: int) -> tuple[int, int]:
        """The text's signature in the bit numbering ``generation`` (made again after the
        numbering started over)."""
        if self._generation != generation:
            self._signature = _signature(self.content or "", generation)
            self._generation = generation
        return self._signature

    def hint(self, state: str, reason: Reason) -> Hint:
        made = self._hints.get((state, reason))
        if made is None:
            # values straight from the candidate's row: no validation needed
            view = DuplicateHint.model_construct(
                id=self.id, number=self.number, title=self.title, status=state, reason=reason
            )
            made = self._hints[state, reason] = Hint(view, self.id_text)
        return made


KNOWN_SIZE = 1024  # candidates kept (some 3 MB with their hints); the oldest go first
# oldest first; an OrderedDict drops its oldest entry in constant time (a dict's first key,
# after many deletions from the front, is found by skipping the deleted slots one by one)
_KNOWN: OrderedDict[str, _Candidate] = OrderedDict()


def _key(id_: Any) -> str:
    # hex text on SQLite; PostgreSQL's driver hands back a UUID whatever the column is typed
    return id_.hex if isinstance(id_, uuid.UUID) else str(id_)


def _uuid(id_: Any) -> uuid.UUID:
    return id_ if isinstance(id_, uuid.UUID) else uuid.UUID(id_)


def remember(ticket_id: uuid.UUID, number: str, title: str, content: str) -> None:
    """Keep a new ticket's candidate data (it meets the next intakes of its category)."""
    candidate = _Candidate(ticket_id, number, title, content)
    candidate.signature(_current_generation())
    _keep(ticket_id.hex, candidate)


def _keep(key: str, candidate: _Candidate) -> None:
    if len(_KNOWN) >= KNOWN_SIZE:
        _KNOWN.popitem(last=False)
    _KNOWN[key] = candidate


async def _read(session: AsyncSession, id_: Any, key: str) -> _Candidate | None:
    """A candidate not kept here (taken in by another replica or before a restart): read
    once by id."""
    row = await _CANDIDATE.first(session, id=id_)
    if row is None:
        return None
    number, title, content = row
    candidate = _Candidate(_uuid(id_), number, title, content)
    _keep(key, candidate)
    return candidate


async def hints(
    session: AsyncSession,
    *,
    phone_indexes: list[str],
    category: str | None,
    content: str,
    since: datetime,
    exclude: uuid.UUID | None = None,
) -> list[Hint]:
    """The caller's open tickets (``phone_indexes``), then open tickets of ``category`` received
    from ``since`` on whose text is near-identical to ``content`` (module docstring)."""
    found: dict[str, Hint] = {}
    for index in phone_indexes:  # PHONE.indexes(phone): one per configured data secret
        for id_, number, title, state in await _SAME_PHONE.all(session, phone_index=index):
            key = _key(id_)
            matched = _KNOWN.get(key) or _Candidate(_uuid(id_), number, title, None)
            found[key] = matched.hint(state, "same_phone")
    if category:
        rows = await _SAME_CATEGORY.all(session, category=category, since=since)
        candidates: list[tuple[str, str, _Candidate]] = []
        for id_, state in rows:  # the candidates not held here are read first (all the awaits)
            key = _key(id_)
            if key not in found:
                candidate = _KNOWN.get(key) or await _read(session, id_, key)
                if candidate is not None:
                    candidates.append((key, state, candidate))
        # then compared without awaiting: another request may start the bit numbering over
        # at an await, never between two signatures compared here
        generation = _current_generation()
        mine = _signature(content, generation)
        for key, state, held in candidates:
            if _jaccard(mine, held.signature(generation)) >= SIMILAR:
                found[key] = held.hint(state, "similar_content")
    if exclude is None:
        return list(found.values())
    return [hint for hint in found.values() if hint.view.id != exclude]


def window_start(at: datetime, days: int) -> datetime:
    return at - timedelta(days=days)
