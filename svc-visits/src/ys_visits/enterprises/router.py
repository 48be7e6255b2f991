"""``/api/v1/visits/enterprises``: the registry (企业库). Contacts are masked; reading them in
full needs a reason and is audited."""

import uuid
from typing import Annotated

from fastapi import Query, Response

from yingshang import audit
from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal
from yingshang.cases.etag import IfMatch, set_etag
from yingshang.cases.pagination import PageParams, paginate
from yingshang.db import SessionDep
from yingshang.idempotency import idempotent_post
from ys_visits.access import ANY_STAFF, REGISTRARS, UNMASKERS
from ys_visits.deps import CREATE_ERRORS, LIST_ERRORS, NOT_FOUND, PREFIX, WRITE_ERRORS, Db
from ys_visits.enterprises import service
from ys_visits.enterprises.models import KIND, Enterprise
from ys_visits.enterprises.schemas import (
    ContactsOut,
    EnterpriseIn,
    EnterpriseOut,
    EnterprisePage,
    EnterprisePatch,
    Scale,
)

api = router(f"{PREFIX}/enterprises", tags=["enterprises"])


@idempotent_post(
    api,
    "",
    status_code=201,
    response_model=EnterpriseOut,
    summary="Register an enterprise (USCC check digit validated; one entry per USCC)",
    responses=CREATE_ERRORS,
    dependencies=[allow(REGISTRARS)],
)
async def register(
    body: EnterpriseIn, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> EnterpriseOut:
    row = await service.register(session, body, principal)
    set_etag(response, row, KIND)
    response.headers["Location"] = f"{api.prefix}/{row.id}"
    return service.view(row)


@api.get(
    "",
    response_model=EnterprisePage,
    summary="Enterprises, newest first (filters: park, scale, industry, tag, name)",
    responses=LIST_ERRORS,
    dependencies=[allow(ANY_STAFF)],
)
async def list_enterprises(
    session: SessionDep,
    page: PageParams,
    park: Annotated[str | None, Query(max_length=100)] = None,
    scale: Scale | None = None,
    industry: Annotated[str | None, Query(max_length=60)] = None,
    tag: Annotated[str | None, Query(max_length=20)] = None,
    q: Annotated[str | None, Query(max_length=100, description="name part or USCC start")] = None,
) -> EnterprisePage:
    stmt = service.list_query(park=park, scale=scale, industry=industry, tag=tag, q=q)
    rows, cursor = await paginate(
        session, stmt, page, sort=Enterprise.created_at, id_col=Enterprise.id
    )
    return EnterprisePage(items=[service.view(r) for r in rows], next_cursor=cursor)


@api.get(
    "/{enterprise_id}",
    response_model=EnterpriseOut,
    summary="One enterprise, with its ETag",
    responses=NOT_FOUND,
    dependencies=[allow(ANY_STAFF)],
)
async def read_enterprise(
    enterprise_id: uuid.UUID, session: SessionDep, response: Response
) -> EnterpriseOut:
    row = await service.get(session, enterprise_id)
    set_etag(response, row, KIND)
    return service.view(row)


@api.patch(
    "/{enterprise_id}",
    response_model=EnterpriseOut,
    summary="Edit an enterprise (If-Match required; the USCC never changes)",
    responses=WRITE_ERRORS,
    dependencies=[allow(REGISTRARS)],
)
async def edit_enterprise(
    enterprise_id: uuid.UUID,
    body: EnterprisePatch,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> EnterpriseOut:
    row = await service.edit(session, enterprise_id, body, if_match, principal)
    set_etag(response, row, KIND)
    return service.view(row)


@api.get(
    "/{enterprise_id}/contacts",
    response_model=ContactsOut,
    summary="The contacts' full phone numbers, for a stated reason (audited)",
    responses={**NOT_FOUND, 422: {"description": "reason missing"}},
    dependencies=[allow(UNMASKERS)],
)
async def enterprise_contacts(
    enterprise_id: uuid.UUID,
    reason: Annotated[str, Query(min_length=4, max_length=500)],
    session: SessionDep,
    db: Db,
    principal: CurrentPrincipal,
) -> ContactsOut:
    row = await service.get(session, enterprise_id)
    contacts = service.contacts_of(row, reveal=True)
    revealed = ["contacts.phone"] if contacts else []
    await audit.record_unmasked_read(db, principal, (KIND, row.id), revealed, reason)
    return ContactsOut(enterprise_id=row.id, contacts=contacts)
