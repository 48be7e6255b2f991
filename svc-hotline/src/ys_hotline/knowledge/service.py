"""Knowledge base: entries, their search index, search (知识库检索) and the listing staff
manage it from."""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, String, column, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.functions import Function

from yingshang.cases.etag import check_if_match
from yingshang.cases.pagination import PageRequest, paginate
from yingshang.clock import now
from yingshang.problems import Conflict, Invalid, NotFound
from ys_hotline.knowledge.models import EntryStatus, KnowledgeEntry, status_clause
from ys_hotline.knowledge.schemas import EntryIn
from ys_hotline.knowledge.tokens import index_tokens, query_tokens

ENTRY_KIND = "kb-entry"  # ETag: "kb-entry-<id>-<version>"

# SQLite FTS5 table hotline_kb_fts (migration hotline_0002).
_FTS_DELETE = text("DELETE FROM hotline_kb_fts WHERE entry_id = :id")
_FTS_INSERT = text("INSERT INTO hotline_kb_fts (entry_id, tokens) VALUES (:id, :tokens)")
_FTS_IDS = "SELECT entry_id FROM hotline_kb_fts WHERE hotline_kb_fts MATCH :m"
_FTS_MATCH = text(f"{_FTS_IDS} ORDER BY rank LIMIT :n")


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
        raise NotFound("知识库中没有这一条")
    return entry


async def _to_change(
    session: AsyncSession, entry_id: uuid.UUID, if_match: str | None
) -> KnowledgeEntry:
    """The entry a change applies to: 404 if none, then 428 without ``If-Match`` and 412
    unless it names the entry's current version (the platform's optimistic concurrency)."""
    entry = await get(session, entry_id)
    check_if_match(if_match, entry, ENTRY_KIND)
    return entry


async def update(
    session: AsyncSession, entry_id: uuid.UUID, body: EntryIn, if_match: str | None
) -> KnowledgeEntry:
    entry = await _to_change(session, entry_id, if_match)
    for key, value in body.model_dump().items():
        setattr(entry, key, value)
    await _reindex(session, entry)
    return entry


async def answerable(session: AsyncSession, entry_id: uuid.UUID) -> KnowledgeEntry:
    """An entry a 咨询 may be answered from: active and valid now (what search finds)."""
    stmt = select(KnowledgeEntry).where(
        KnowledgeEntry.id == entry_id, status_clause(EntryStatus.VALID, now())
    )
    entry = (await session.execute(stmt)).scalar_one_or_none()
    if entry is None:
        raise Invalid(
            "该知识库条目已停用或不在有效期内，请另选条目或直接填写答复", field="kb_entry_id"
        )
    return entry


async def retire(
    session: AsyncSession, entry_id: uuid.UUID, if_match: str | None
) -> KnowledgeEntry:
    """停用: search and direct answers no longer find the entry; it is kept and may be
    reactivated."""
    entry = await _to_change(session, entry_id, if_match)
    entry.active = False
    await session.flush()
    return entry


async def reactivate(
    session: AsyncSession, entry_id: uuid.UUID, if_match: str | None
) -> KnowledgeEntry:
    """重新启用 a retired entry: search finds it again while its validity window is open.
    Only a retired entry can be reactivated (409 otherwise)."""
    entry = await _to_change(session, entry_id, if_match)
    if entry.active:
        raise Conflict(
            "该知识条目未停用：只有已停用的条目可以重新启用",
            code="entry-not-retired",
            entry_status=entry.status.value,
        )
    entry.active = True
    await session.flush()
    return entry


def _required_tokens(query: str, field: str) -> list[str]:
    tokens = query_tokens(query)
    if not tokens:
        raise Invalid("请输入可检索的文字", field=field)
    return tokens


def _fts_query(tokens: list[str]) -> str:
    """An FTS5 query requiring every token (implicit AND); tokens hold no quotes (tokens.py)."""
    return " ".join(f'"{t}"' for t in tokens)


def _ts_match(tokens: list[str]) -> tuple[Function[Any], Function[Any]]:
    """PostgreSQL: the entry's 'simple' tsvector and a tsquery requiring every token."""
    vector = func.to_tsvector(text("'simple'"), KnowledgeEntry.search_tokens)
    return vector, func.plainto_tsquery(text("'simple'"), " ".join(tokens))


def _holds_every(session: AsyncSession, tokens: list[str]) -> ColumnElement[bool]:
    """SQL for "the entry's search index holds every token" (the search's own match)."""
    if _is_sqlite(session):
        ids = text(_FTS_IDS).bindparams(m=_fts_query(tokens)).columns(column("entry_id", String))
        return KnowledgeEntry.id.in_(ids)
    vector, tsquery = _ts_match(tokens)
    return vector.bool_op("@@")(tsquery)


async def search(
    session: AsyncSession, query: str, *, category: str | None = None, limit: int = 20
) -> list[KnowledgeEntry]:
    """Entries valid now whose text holds every token of ``query``, best first."""
    tokens = _required_tokens(query, "q")
    stmt = select(KnowledgeEntry).where(status_clause(EntryStatus.VALID, now()))
    if category:
        stmt = stmt.where(KnowledgeEntry.category_code == category)
    if _is_sqlite(session):
        ranked = await _fts_hits(session, tokens, limit * 5)
        stmt = stmt.where(KnowledgeEntry.id.in_(ranked))
        rows = await session.execute(stmt)
        found = {entry.id: entry for entry in rows.scalars()}
        return [found[i] for i in ranked if i in found][:limit]
    vector, tsquery = _ts_match(tokens)
    stmt = stmt.where(vector.bool_op("@@")(tsquery)).order_by(func.ts_rank(vector, tsquery).desc())
    rows = await session.execute(stmt.limit(limit))
    return list(rows.scalars())


async def _fts_hits(session: AsyncSession, tokens: list[str], limit: int) -> list[uuid.UUID]:
    """Entry ids whose index holds every token (FTS5 implicit AND), best rank first."""
    rows = await session.execute(_FTS_MATCH, {"m": _fts_query(tokens), "n": limit})
    return [uuid.UUID(hex=r[0]) for r in rows]


@dataclass(frozen=True)
class Filters:
    """The listing's filters; ``None`` (or no statuses) selects everything."""

    status: list[EntryStatus] | None = None
    category: str | None = None
    department: str | None = None
    keyword: str | None = None


async def listing(
    session: AsyncSession, filters: Filters, page: PageRequest
) -> tuple[list[KnowledgeEntry], str | None]:
    """Every entry the filters select — retired, pending and expired ones too — newest first,
    one page; a keyword requires every token, as search does (but selects, not ranks)."""
    stmt: Select[tuple[KnowledgeEntry]] = select(KnowledgeEntry)
    if filters.status:
        at = now()
        stmt = stmt.where(or_(*(status_clause(s, at) for s in filters.status)))
    if filters.category:
        stmt = stmt.where(KnowledgeEntry.category_code == filters.category)
    if filters.department:
        stmt = stmt.where(KnowledgeEntry.department == filters.department)
    if filters.keyword:
        stmt = stmt.where(_holds_every(session, _required_tokens(filters.keyword, "q")))
    return await paginate(
        session, stmt, page, sort=KnowledgeEntry.created_at, id_col=KnowledgeEntry.id
    )
