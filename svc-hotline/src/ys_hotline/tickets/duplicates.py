"""Duplicate hints at intake: open tickets from the same phone, or with near-identical
content in the same category, within N days. Hints only: merging (并单) is a decision."""

import hashlib
import re
import uuid
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

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


def _shingles(content: str) -> set[str]:
    text = normalise(content)
    return {text[i : i + 2] for i in range(max(len(text) - 1, 1))}


def similarity(a: str, b: str) -> float:
    return _jaccard(_shingles(a), _shingles(b))


def _jaccard(left: set[str], right: set[str]) -> float:
    return len(left & right) / len(left | right) if left and right else 0.0


_COLUMNS = (Ticket.id, Ticket.number, Ticket.title, Ticket.state, Ticket.content)


async def hints(
    session: AsyncSession,
    *,
    phone: str | None,
    category: str | None,
    content: str,
    since: datetime,
    exclude: uuid.UUID | None = None,
) -> list[DuplicateHint]:
    found: dict[uuid.UUID, DuplicateHint] = {}
    open_since = (Ticket.state.in_(OPEN_STATES), Ticket.received_at >= since)
    if phone:
        stmt = select(*_COLUMNS).where(Ticket.requester_phone == phone, *open_since)
        for row in (await session.execute(stmt.limit(5))).all():
            found[row.id] = _hint(row, "same_phone")
    if category:
        stmt = select(*_COLUMNS).where(Ticket.category_code == category, *open_since)
        stmt = stmt.order_by(Ticket.received_at.desc()).limit(CANDIDATES)
        mine = _shingles(content)  # once, not once per candidate
        for row in (await session.execute(stmt)).all():
            if row.id not in found and _jaccard(mine, _shingles(row.content)) >= SIMILAR:
                found[row.id] = _hint(row, "similar_content")
    if exclude is not None:
        found.pop(exclude, None)
    return list(found.values())


def _hint(row: Any, reason: Literal["same_phone", "similar_content"]) -> DuplicateHint:
    return DuplicateHint(
        id=row.id, number=row.number, title=row.title, status=row.state, reason=reason
    )


def window_start(at: datetime, days: int) -> datetime:
    return at - timedelta(days=days)
