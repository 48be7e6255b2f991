"""Catalog routes: public read, county administrators (BUREAU/admin) write (every change
versioned)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response
from sqlalchemy import String, cast, select

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal, county_admin, public
from yingshang.cases.etag import IfMatch, check_if_match, set_etag
from yingshang.cases.pagination import Page, PageParams, paginate
from yingshang.db import SessionDep
from yingshang.idempotency import idempotent_post
from ys_approvals import history
from ys_approvals.catalog import service
from ys_approvals.catalog.models import Channel, ServiceItem
from ys_approvals.catalog.schemas import ItemCreate, ItemOut, ItemUpdate, RevisionOut

api = router("/api/v1/approvals/items", tags=["catalog"])
ADMIN = county_admin()  # the catalogue (事项目录) is the county's
ITEM_KIND = "item"


@api.get(
    "",
    response_model=Page[ItemOut],
    summary="The catalog (事项目录)",
    dependencies=[allow(public())],
)
async def list_items(
    session: SessionDep,
    page: PageParams,
    department: Annotated[str | None, Query(max_length=40)] = None,
    channel: Annotated[Channel | None, Query(description="offered through this channel")] = None,
    q: Annotated[str | None, Query(max_length=50, description="name contains")] = None,
    include_retired: bool = False,
) -> Page[ItemOut]:
    query = select(ServiceItem)
    if department:
        query = query.where(ServiceItem.department == department)
    if q:
        # ILIKE on PostgreSQL as SQLite's LIKE; % and _ in the query are literal.
        query = query.where(ServiceItem.name.icontains(q, autoescape=True))
    if channel:
        # In SQL, before the page is cut: the JSON list's text holds the quoted value (the
        # same on SQLite and PostgreSQL; enum values carry no LIKE wildcards).
        query = query.where(cast(ServiceItem.channels, String).contains(f'"{channel.value}"'))
    if not include_retired:
        query = query.where(ServiceItem.active.is_(True))
    rows, cursor = await paginate(
        session, query, page, sort=ServiceItem.code, id_col=ServiceItem.id, direction="asc"
    )
    items = [service.item_out(i) for i in rows]
    return Page(items=items, next_cursor=cursor)


@api.get(
    "/{ref}",
    response_model=ItemOut,
    summary="One item by id or implementation code",
    dependencies=[allow(public())],
    responses={404: {"description": "no such item"}},
)
async def read_item(ref: str, session: SessionDep, response: Response) -> ItemOut:
    item = await service.get_by_ref(session, ref)
    set_etag(response, item, ITEM_KIND)
    return service.item_out(item)


@api.get(
    "/{ref}/history",
    response_model=list[RevisionOut],
    summary="Every version of an item",
    dependencies=[allow(public())],
    responses={404: {"description": "no such item"}},
)
async def item_history(ref: str, session: SessionDep) -> list[RevisionOut]:
    item = await service.get_by_ref(session, ref)
    return [
        RevisionOut.model_validate(r) for r in await history.revisions(session, "item", item.id)
    ]


@idempotent_post(
    api,
    "",
    response_model=ItemOut,
    status_code=201,
    summary="Add an item (BUREAU/admin)",
    dependencies=[allow(ADMIN)],
    responses={409: {"description": "code exists"}, 422: {"description": "invalid"}},
)
async def create_item(
    body: ItemCreate, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> ItemOut:
    item = await service.create_item(session, body, principal)
    set_etag(response, item, ITEM_KIND)
    return service.item_out(item)


@api.patch(
    "/{ref}",
    response_model=ItemOut,
    summary="Change an item (BUREAU/admin; versioned)",
    dependencies=[allow(ADMIN)],
    responses={
        404: {"description": "no such item"},
        412: {"description": "stale"},
        422: {"description": "invalid"},
        428: {"description": "If-Match"},
    },
)
async def update_item(
    ref: str,
    body: ItemUpdate,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> ItemOut:
    item = await service.get_by_ref(session, ref)
    check_if_match(if_match, item, ITEM_KIND)
    await service.update_item(session, item, body, principal)
    set_etag(response, item, ITEM_KIND)
    return service.item_out(item)
