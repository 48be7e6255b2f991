"""``/api/v1/hotline/knowledge``: the knowledge base (知识库), its search and its listing.

Any staff searches the entries valid now and reads one; the center's staff, head and admin
list every entry (retired, pending and expired ones too) and change them. A change sends
``If-Match`` with the entry's ETag (428 without it, 412 when someone changed it meanwhile).
"""

import uuid
from typing import Annotated

from fastapi import Query, Response

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal, staff
from yingshang.cases.etag import IfMatch, set_etag
from yingshang.cases.pagination import Page, PageParams
from yingshang.db import SessionDep
from yingshang.idempotency import idempotent_post
from ys_hotline.access import CENTER
from ys_hotline.knowledge import service
from ys_hotline.knowledge.models import EntryStatus, KnowledgeEntry
from ys_hotline.knowledge.schemas import EntryIn, EntryOut, SearchResult

api = router("/api/v1/hotline/knowledge", tags=["knowledge base"])
EDITORS = staff("staff", "head", "admin", depts=[CENTER])
NOT_FOUND: dict[int | str, dict[str, str]] = {404: {"description": "no such entry"}}
CHANGE: dict[int | str, dict[str, str]] = {
    **NOT_FOUND,
    412: {"description": "the entry changed since it was read"},
    428: {"description": "no If-Match"},
}


def _tagged(response: Response, entry: KnowledgeEntry) -> EntryOut:
    """The entry's view, its ETag on ``response``."""
    set_etag(response, entry, service.ENTRY_KIND)
    return EntryOut.model_validate(entry)


@api.get(
    "/search",
    response_model=SearchResult,
    summary="Full-text search (Chinese bigrams): entries valid now",
    responses={422: {"description": "empty query"}},
    dependencies=[allow(staff())],
)
async def search(
    session: SessionDep,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    category: Annotated[str | None, Query(max_length=60)] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
) -> SearchResult:
    found = await service.search(session, q, category=category, limit=limit)
    return SearchResult(query=q, items=[EntryOut.model_validate(e) for e in found])


@api.get(
    "",
    response_model=Page[EntryOut],
    summary="Every entry, newest first (知识库维护: retired, pending and expired too)",
    responses={422: {"description": "a keyword without searchable characters, a bad cursor"}},
    dependencies=[allow(EDITORS)],
)
async def list_entries(
    session: SessionDep,
    page: PageParams,
    status: Annotated[
        list[EntryStatus] | None, Query(description="any of these statuses now; omit for all")
    ] = None,
    category: Annotated[str | None, Query(max_length=60)] = None,
    department: Annotated[str | None, Query(max_length=60)] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="every word, as search matches")
    ] = None,
) -> Page[EntryOut]:
    filters = service.Filters(status, category, department, q)
    rows, cursor = await service.listing(session, filters, page)
    return Page(items=[EntryOut.model_validate(e) for e in rows], next_cursor=cursor)


@idempotent_post(
    api,
    "",
    response_model=EntryOut,
    status_code=201,
    summary="Add an entry",
    dependencies=[allow(EDITORS)],
)
async def create(
    body: EntryIn, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> EntryOut:
    return _tagged(response, await service.create(session, body, principal.sub))


@api.get(
    "/{entry_id}",
    response_model=EntryOut,
    summary="One entry (with its ETag)",
    responses=NOT_FOUND,
    dependencies=[allow(staff())],
)
async def get(entry_id: uuid.UUID, session: SessionDep, response: Response) -> EntryOut:
    return _tagged(response, await service.get(session, entry_id))


@api.put(
    "/{entry_id}",
    response_model=EntryOut,
    summary="Edit an entry (re-indexed; If-Match)",
    responses=CHANGE,
    dependencies=[allow(EDITORS)],
)
async def update(
    entry_id: uuid.UUID,
    body: EntryIn,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> EntryOut:
    return _tagged(response, await service.update(session, entry_id, body, if_match))


@api.delete(
    "/{entry_id}",
    response_model=EntryOut,
    summary="Retire an entry (停用: kept, no longer found; If-Match)",
    responses=CHANGE,
    dependencies=[allow(EDITORS)],
)
async def retire(
    entry_id: uuid.UUID, session: SessionDep, response: Response, if_match: IfMatch = None
) -> EntryOut:
    return _tagged(response, await service.retire(session, entry_id, if_match))


@api.post(
    "/{entry_id}/reactivate",
    response_model=EntryOut,
    summary="Reactivate a retired entry (重新启用; If-Match)",
    responses={**CHANGE, 409: {"description": "the entry is not retired"}},
    dependencies=[allow(EDITORS)],
)
async def reactivate(
    entry_id: uuid.UUID, session: SessionDep, response: Response, if_match: IfMatch = None
) -> EntryOut:
    return _tagged(response, await service.reactivate(session, entry_id, if_match))
