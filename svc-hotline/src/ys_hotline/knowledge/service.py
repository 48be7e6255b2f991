"""Knowledge base: entries, their search index and search (知识库检索)."""

import uuid
from datetime import datetime

from sqlalchemy import Select, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.clock import now
from yingshang.problems import Invalid, NotFound
from ys_hotline.knowledge.models import KnowledgeEntry
from ys_hotline.knowledge.schemas import EntryIn
from ys_hotline.knowledge.tokens import index_tokens, query_tokens

# SQLite FTS5 table hotline_kb_fts (migration hotline_0002).
_FTS_DELETE = text("DELETE FROM hotline_kb_fts WHERE entry_id = :id")
_FTS_INSERT = text("INSERT INTO hotline_kb_fts (entry_id, tokens) VALUES (:id, :tokens)")
_FTS_MATCH = text(
    "SELECT entry_id FROM hotline_kb_fts WHERE hotline_kb_fts MATCH :m ORDER BY rank LIMIT :n"
)


def _is_sqlite(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "sqlite"


async def _reindex(session: AsyncSession, entry: KnowledgeEntry) -> None:
    entry.search_tokens = index_tokens(f"{entry.question} {entry.answer}")
    await session.flush()
    if _is_sqlite(session):
        # PostgreSQL indexes search_tokens itself (GIN on a 'simple' tsvector).
        params = {"id": entry.id.hex, "tokens": entry.search_tokens}
        await session.execute(_FTS_DELETE, params)
        await session.execute(_FTS_INSERT, params)


async def create(session: AsyncSession, body: EntryIn, actor: str) -> KnowledgeEntry:
    entry = KnowledgeEntry(**body.model_dump(), created_by=actor)
    session.add(entry)
    await _reindex(session, entry)
    return entry


async def get(session: AsyncSession, entry_id: uuid.UUID) -> KnowledgeEntry:
    entry = await session.get(KnowledgeEntry, entry_id)
    if entry is None:
        raise NotFound("no such knowledge-base entry")
    return entry


async def update(session: AsyncSession, entry_id: uuid.UUID, body: EntryIn) -> KnowledgeEntry:
    entry = await get(session, entry_id)
    for key, value in body.model_dump().items():
        setattr(entry, key, value)
    await _reindex(session, entry)
    return entry


async def answerable(session: AsyncSession, entry_id: uuid.UUID) -> KnowledgeEntry:
    """An entry a 咨询 may be answered from: active and valid now (what search finds)."""
    stmt = _valid_at(select(KnowledgeEntry).where(KnowledgeEntry.id == entry_id), now())
    entry = (await session.execute(stmt)).scalar_one_or_none()
    if entry is None:
        raise Invalid("this knowledge-base entry is retired or not valid now", field="kb_entry_id")
    return entry


async def retire(session: AsyncSession, entry_id: uuid.UUID) -> KnowledgeEntry:
    entry = await get(session, entry_id)
    entry.active = False
    await session.flush()
    return entry


def _valid_at(stmt: Select[KnowledgeEntry], at: datetime) -> Select[KnowledgeEntry]:
    return stmt.where(
        KnowledgeEntry.active.is_(True),
        or_(KnowledgeEntry.valid_from.is_(None), KnowledgeEntry.valid_from <= at),
        or_(KnowledgeEntry.valid_to.is_(None), KnowledgeEntry.valid_to > at),
    )


async def search(
    session: AsyncSession, query: str, *, category: str | None = None, limit: int = 20
) -> list[KnowledgeEntry]:
    """Entries valid now whose text holds every token of ``query``, best first."""
    tokens = query_tokens(query)
    if not tokens:
        raise Invalid("the query holds no searchable characters", field="q")
    stmt = _valid_at(select(KnowledgeEntry), now())
    if category:
        stmt = stmt.where(KnowledgeEntry.category_code == category)
    if _is_sqlite(session):
        ranked = await _fts_hits(session, tokens, limit * 5)
        stmt = stmt.where(KnowledgeEntry.id.in_(ranked))
        rows = await session.execute(stmt)
        found = {entry.id: entry for entry in rows.scalars()}
        return [found[i] for i in ranked if i in found][:limit]
    vector = func.to_tsvector(text("'simple'"), KnowledgeEntry.search_tokens)
    tsquery = func.plainto_tsquery(text("'simple'"), " ".join(tokens))
    stmt = stmt.where(vector.op("@@")(tsquery)).order_by(func.ts_rank(vector, tsquery).desc())
    rows = await session.execute(stmt.limit(limit))
    return list(rows.scalars())


async def _fts_hits(session: AsyncSession, tokens: list[str], limit: int) -> list[uuid.UUID]:
    """Entry ids whose index holds every token (FTS5 implicit AND), best rank first."""
    match = " ".join(f'"{t}"' for t in tokens)  # tokens hold no quotes (see tokens.py)
    rows = await session.execute(
        _FTS_MATCH,
        {"m": match, "n": limit},
    )
    return [uuid.UUID(hex=r[0]) for r in rows]
