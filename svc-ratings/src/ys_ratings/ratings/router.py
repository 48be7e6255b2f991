"""Ratings: lists and reads (identity masked per viewer), unmask with a reason, provincial push,
appeals of the rated unit."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Request, status

from yingshang.app import allow, router
from yingshang.auth import client, staff, staff_or_client
from yingshang.cases.pagination import Page, PageParams
from yingshang.db import SessionDep
from yingshang.idempotency import idempotent_post
from yingshang.problems import Forbidden
from ys_ratings.access import OVERSIGHT_DEPTS, ViewerDep, rated_units
from ys_ratings.appeals import service as appeals
from ys_ratings.appeals.schemas import AppealIn, AppealOut
from ys_ratings.months import MONTH_PATTERN
from ys_ratings.ratings import queries
from ys_ratings.ratings.privacy import audit_reads, audit_unmask
from ys_ratings.ratings.schemas import ProvinceRatingIn, RaterOut, RatingOut, UnmaskIn
from ys_ratings.ratings.sources import record_push
from ys_ratings.ratings.views import rater_out, rating_out
from ys_ratings.responses import Responses

api = router("/api/v1/ratings/ratings", tags=["ratings"])
NOT_FOUND: Responses = {404: {"description": "no such rating (or not yours to see)"}}


@api.get(
    "",
    response_model=Page[RatingOut],
    summary="List ratings (rater identity masked unless you are the ratings center)",
    dependencies=[allow(staff_or_client("ratings:read"))],
)
async def list_ratings(
    session: SessionDep,
    viewer: ViewerDep,
    request: Request,
    page: PageParams,
    month: Annotated[str | None, Query(pattern=MONTH_PATTERN)] = None,
    department: Annotated[
        str | None, Query(max_length=60, description="of its matters or of its hall's windows")
    ] = None,
    service: Annotated[str | None, Query(max_length=40)] = None,
    level: Annotated[int | None, Query(ge=1, le=5)] = None,
    bad: Annotated[bool | None, Query(description="差评 (1–2) only / none")] = None,
    channel: Annotated[str | None, Query(max_length=20)] = None,
    window: Annotated[str | None, Query(max_length=60)] = None,
    staff_no: Annotated[str | None, Query(max_length=40)] = None,
    excluded: bool | None = None,
) -> Page[RatingOut]:
    f = queries.RatingFilter(
        month, department, service, level, bad, channel, window, staff_no, excluded
    )
    rows, cursor = await queries.page_of_ratings(session, viewer, f, page)
    rectifications = await queries.rectification_ids(session, rows)
    clerks = await queries.staff_names(session, rows)
    reveal = viewer.is_center
    items = [
        rating_out(
            r,
            rater_out(r, reveal=reveal, hidden=viewer.rated_party(*rated_units(r)))[0],
            rectifications.get(r.id),
        ).model_copy(update={"staff_name": clerks.get(r.staff_no or "")})
        for r in rows
    ]
    if reveal:
        await audit_reads(request.app.state.db, viewer.principal, rows)
    return Page(items=items, next_cursor=cursor)


@api.get(
    "/{rating_id}",
    response_model=RatingOut,
    summary="Read a rating",
    dependencies=[allow(staff_or_client("ratings:read"))],
    responses=NOT_FOUND,
)
async def read_rating(
    rating_id: uuid.UUID, session: SessionDep, viewer: ViewerDep, request: Request
) -> RatingOut:
    rating = await queries.visible_rating(session, rating_id, viewer)
    rectifications = await queries.rectification_ids(session, [rating])
    hidden = viewer.rated_party(*rated_units(rating))
    rater, revealed = rater_out(rating, reveal=viewer.is_center, hidden=hidden)
    if revealed:
        await audit_reads(request.app.state.db, viewer.principal, [rating])
    return rating_out(rating, rater, rectifications.get(rating.id))


@api.post(
    "/{rating_id}/unmask",
    response_model=RaterOut,
    summary="See the rater's identity, giving a reason (audited; bureau and committee only)",
    dependencies=[allow(staff(depts=OVERSIGHT_DEPTS))],
    responses={**NOT_FOUND, 403: {"description": "the rated party never sees the rater"}},
)
async def unmask_rater(
    rating_id: uuid.UUID, body: UnmaskIn, session: SessionDep, viewer: ViewerDep
) -> RaterOut:
    rating = await queries.visible_rating(session, rating_id, viewer)
    if not viewer.may_unmask_for(*rated_units(rating)):
        raise Forbidden("只有营商局和营商委可以查看评价人身份", code="no-unmask")
    rater, _ = rater_out(rating, reveal=True)
    await audit_unmask(session, viewer.principal, rating, body.reason)
    return rater


@idempotent_post(
    api,
    "",
    key_required=True,
    response_model=RatingOut,
    status_code=status.HTTP_201_CREATED,
    summary="Push a rating collected by the provincial platform (Idempotency-Key)",
    dependencies=[allow(client("ratings:write"))],
    responses={
        409: {"description": "this node of the 办件 was already rated by this rater"},
        422: {"description": "invalid rating or unknown 办件"},
    },
)
async def push_rating(body: ProvinceRatingIn, session: SessionDep, viewer: ViewerDep) -> RatingOut:
    rating = await record_push(session, body, viewer.principal.client_id)
    rater, _ = rater_out(rating, reveal=False)
    return rating_out(rating, rater)


@idempotent_post(
    api,
    "/{rating_id}/appeals",
    response_model=AppealOut,
    status_code=status.HTTP_201_CREATED,
    summary="申诉复核: the rated department appeals a rating",
    dependencies=[allow(staff())],
    responses={
        **NOT_FOUND,
        403: {"description": "not the rated department"},
        409: {"description": "pending appeal, or already excluded"},
    },
)
async def file_appeal(
    rating_id: uuid.UUID, body: AppealIn, session: SessionDep, viewer: ViewerDep
) -> AppealOut:
    rating = await queries.visible_rating(session, rating_id, viewer)
    return AppealOut.model_validate(await appeals.file(session, rating, viewer, body))
