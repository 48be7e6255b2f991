"""``/api/v1/complaints/cases``: intake, lists and search, exports, detail (ETag), timeline,
and the audited unmasking of the complainant's identity."""

import uuid
from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response
from pydantic import AfterValidator

from yingshang import audit
from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal, staff, staff_or_client
from yingshang.cases.etag import set_etag
from yingshang.cases.numbers import NUMBER_MAX_LENGTH, case_number_of
from yingshang.cases.pagination import PageParams
from yingshang.cases.timeline import TimelineOut
from yingshang.db import Database, SessionDep
from yingshang.idempotency import HEADER, BadIdempotencyKey, idempotent_post
from yingshang.problems import Forbidden
from yingshang.validators import PlausibleDateTime
from ys_complaints.access import CENTER, OVERSIGHT, WRITE_SCOPE, Audience, audience, may_unmask
from ys_complaints.cases import actions, intake, queries, views
from ys_complaints.cases.confidentiality import revealed_contact
from ys_complaints.cases.models import CASE_KIND
from ys_complaints.cases.schemas import (
    CaseIn,
    CaseOut,
    CasePage,
    CreatedOut,
    IdentityOut,
)
from ys_complaints.cases.vocabulary import NUMBER_PREFIX, Category, Source, State

api = router("/api/v1/complaints/cases", tags=["cases"])
INTAKE = staff_or_client(WRITE_SCOPE, "clerk", "staff", "head", depts=[CENTER])
READERS = staff_or_client(WRITE_SCOPE)
UNMASKERS = staff(depts=[CENTER, *OVERSIGHT])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "no such case (or hidden)"}}
# Identity search finds the cases a caller sees as the center (``access.seen_as_center``).
HANDLERS_ONLY = "the center only; the bureau, for cases against the center"
SEARCH_FORBIDDEN: dict[int | str, dict[str, Any]] = {
    403: {"description": f"identity search (uscc, enterprise, phone, q): {HANDLERS_ONLY}"},
    422: {"description": "invalid filter or cursor, or received_to before received_from"},
}
CaseNumber = Annotated[str, AfterValidator(case_number_of(NUMBER_PREFIX))]


async def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


Db = Annotated[Database, Depends(database)]


async def filters(
    status: Annotated[list[State] | None, Query()] = None,
    department: Annotated[str | None, Query(max_length=60)] = None,
    respondent: Annotated[str | None, Query(max_length=60)] = None,
    category: Annotated[Category | None, Query()] = None,
    source: Annotated[Source | None, Query()] = None,
    overdue: Annotated[bool | None, Query()] = None,
    received_from: Annotated[PlausibleDateTime | None, Query()] = None,
    received_to: Annotated[PlausibleDateTime | None, Query()] = None,
    uscc: Annotated[str | None, Query(max_length=18, description=HANDLERS_ONLY)] = None,
    enterprise: Annotated[
        str | None, Query(min_length=2, max_length=100, description=f"name; {HANDLERS_ONLY}")
    ] = None,
    phone: Annotated[str | None, Query(max_length=20, description=HANDLERS_ONLY)] = None,
    q: Annotated[str | None, Query(min_length=2, max_length=100, description=HANDLERS_ONLY)] = None,
    number: Annotated[
        CaseNumber | None,
        Query(max_length=NUMBER_MAX_LENGTH, description="the exact 投诉编号 (TS20261128-00042)"),
    ] = None,
) -> queries.Filters:
    return queries.Filters(
        status=[s.value for s in status] if status else None,
        department=department,
        respondent=respondent,
        category=category.value if category else None,
        source=source.value if source else None,
        overdue=overdue,
        received_from=received_from,
        received_to=received_to,
        uscc=uscc,
        enterprise=enterprise,
        phone=phone,
        q=q,
        number=number,
    )


Filters = Annotated[queries.Filters, Depends(filters)]


@idempotent_post(
    api,
    "",
    response_model=CreatedOut,
    status_code=201,
    summary="登记: register a complaint (center staff, or a provincial push)",
    responses={
        403: {"description": "not_accepted by a position that may not decide (a clerk)"},
        422: {"description": "invalid, or an unknown respondent"},
    },
    dependencies=[allow(INTAKE)],
)
async def register_case(
    body: CaseIn,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> CreatedOut:
    """A provincial push must carry an Idempotency-Key: a retried push never opens a second
    case. The query code is shown once, here, with the case as the caller may see it: a
    complaint against the center itself comes back to the center's clerk redacted (no
    identity block, identifying evidence left out, no steps), and the case is hidden from the
    center's people until the bureau hands it over (交办). ``not_accepted``: the case is
    registered and answered 不予受理 in one go; ``duplicates``: the enterprise's other open
    cases, for the center to see it already complained."""
    if principal.is_client and not request.headers.get(HEADER):
        raise BadIdempotencyKey("省平台推送的投诉须带 Idempotency-Key 请求头")
    origin = intake.origin_of(principal, Source(body.source))
    made = await intake.register(session, body, intake.identity_of(body), origin)
    if body.not_accepted is not None:
        await actions.refuse_at_intake(session, made.case, body.not_accepted, principal)
    await session.flush()
    set_etag(response, made.case, CASE_KIND)
    response.headers["Location"] = f"{api.prefix}/{made.case.id}"
    out = await views.detail(session, made.case, principal)
    hints = await queries.duplicates(session, principal, made.case)
    return CreatedOut(**out.model_dump(), query_code=made.query_code, duplicates=hints)


@api.get(
    "",
    response_model=CasePage,
    summary="Cases you may see, newest first (identity search: the handling center only)",
    responses=SEARCH_FORBIDDEN,
    dependencies=[allow(READERS)],
)
async def list_cases(
    session: SessionDep, principal: CurrentPrincipal, page: PageParams, f: Filters
) -> CasePage:
    items, cursor = await queries.page(session, principal, f, page)
    return CasePage(items=items, next_cursor=cursor)


@api.get(
    "/export",
    response_class=Response,
    summary="The cases you may see, as CSV (same filters as the list)",
    description="Columns as the console's list, units by name (被投诉单位, 责任单位: the names "
    "in the directory); the last two columns hold their codes (被投诉单位代码, 责任单位代码).",
    responses={200: {"content": {"text/csv": {}}}, **SEARCH_FORBIDDEN},
    dependencies=[allow(READERS)],
)
async def export_cases(session: SessionDep, principal: CurrentPrincipal, f: Filters) -> Response:
    body = await queries.export_csv(session, principal, f)
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="complaints.csv"'},
    )


@api.get(
    "/{case_id}",
    response_model=CaseOut,
    summary="A case as you may see it, with its notes and clocks (ETag)",
    responses=NOT_FOUND,
    dependencies=[allow(READERS)],
)
async def read_case(
    case_id: uuid.UUID, response: Response, session: SessionDep, db: Db, principal: CurrentPrincipal
) -> CaseOut:
    case = await actions.load(session, case_id, principal)
    center = audience(principal, case) is Audience.CENTER
    out = await views.detail(session, case, principal, full_contact=center)
    if center:
        # The handling center reads the contact's name and phone in full: every such read is
        # audited.
        await audit.record_unmasked_read(
            db, principal, (CASE_KIND, case.id), revealed_contact(case)
        )
    set_etag(response, case, CASE_KIND)
    return out


@api.get(
    "/{case_id}/timeline",
    response_model=list[TimelineOut],
    summary="Who did what, when (steps in words, zh-CN; notes redacted outside the center)",
    responses=NOT_FOUND,
    dependencies=[allow(READERS)],
)
async def case_timeline(
    case_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> list[TimelineOut]:
    case = await actions.load(session, case_id, principal)
    return await views.timeline_of(session, case, principal)


@api.get(
    "/{case_id}/identity",
    response_model=IdentityOut,
    summary="The complainant's identity, unmasked for a stated reason (audited)",
    responses={
        **NOT_FOUND,
        403: {
            "description": "not the center, the bureau or the committee, or a person of the "
            "unit the case is against or handled by (whatever other post they hold)"
        },
    },
    dependencies=[allow(UNMASKERS)],
)
async def case_identity(
    case_id: uuid.UUID,
    reason: Annotated[str, Query(min_length=4, max_length=500, description="why (audited)")],
    session: SessionDep,
    db: Db,
    principal: CurrentPrincipal,
) -> IdentityOut:
    """Only for a caller who sees the case as the center or masked (``access.audience``): a
    person of the respondent or the responsible unit gets the unit's view even with a bureau
    or center post, and never its unmasking."""
    case = await actions.load(session, case_id, principal)
    if not may_unmask(principal, case):
        raise Forbidden("案件当事单位不能查看投诉人身份", code="unmask-forbidden")
    fields = ["enterprise_name", "enterprise_uscc", "contact_name", "contact_phone"]
    revealed = [f for f in fields if getattr(case, f)]
    await audit.record_unmasked_read(db, principal, (CASE_KIND, case.id), revealed, reason)
    return IdentityOut(real_name=case.real_name, **{f: getattr(case, f) for f in fields})
