"""``/api/v1/hotline/knowledge``: the knowledge base (知识库) and its search."""

import uuid
from typing import Annotated

from fastapi import Query

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal, staff
from yingshang.db import SessionDep
from ys_hotline.access import CENTER
from ys_hotline.knowledge import service
from ys_hotline.knowledge.schemas import EntryIn, EntryOut, SearchResult

api = router("/api/v1/hotline/knowledge", tags=["knowledge base"])
EDITORS = staff("staff", "head", "admin", depts=[CENTER])
NOT_FOUND: dict[int | str, dict[str, str]] = {404: {"description": "no such entry"}}


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


@api.post(
    "",
    response_model=EntryOut,
    status_code=201,
    summary="Add an entry",
    dependencies=[allow(EDITORS)],
)
async def create(body: EntryIn, session: SessionDep, principal: CurrentPrincipal) -> EntryOut:
    return EntryOut.model_validate(await service.create(session, body, principal.sub))


@api.get(
    "/{entry_id}",
    response_model=EntryOut,
    summary="One entry",
    responses=NOT_FOUND,
    dependencies=[allow(staff())],
)
async def get(entry_id: uuid.UUID, session: SessionDep) -> EntryOut:
    return EntryOut.model_validate(await service.get(session, entry_id))


@api.put(
    "/{entry_id}",
    response_model=EntryOut,
    summary="Edit an entry (re-indexed)",
    responses=NOT_FOUND,
    dependencies=[allow(EDITORS)],
)
async def update(entry_id: uuid.UUID, body: EntryIn, session: SessionDep) -> EntryOut:
    return EntryOut.model_validate(await service.update(session, entry_id, body))


@api.delete(
    "/{entry_id}",
    response_model=EntryOut,
    summary="Retire an entry (kept, no longer found)",
    responses=NOT_FOUND,
    dependencies=[allow(EDITORS)],
)
async def retire(entry_id: uuid.UUID, session: SessionDep) -> EntryOut:
    return EntryOut.model_validate(await service.retire(session, entry_id))
