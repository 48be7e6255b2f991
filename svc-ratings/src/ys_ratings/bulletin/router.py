"""月通报: JSON, CSV or printable HTML; closing a month freezes its snapshot."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Path, Query, Response, status

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal, staff, staff_or_client
from yingshang.cases.pagination import Page, PageParams
from yingshang.db import SessionDep
from yingshang.idempotency import idempotent_post
from ys_ratings.access import MONTH_CLOSERS, OVERSIGHT_DEPTS
from ys_ratings.bulletin import export, render, service
from ys_ratings.bulletin.schemas import BulletinOut
from ys_ratings.months import MONTH_PATTERN

api = router("/api/v1/ratings/reports", tags=["bulletin"])
Month = Annotated[str, Query(pattern=MONTH_PATTERN, description="YYYY-MM (Asia/Shanghai)")]
Format = Literal["json", "csv", "html"]
MEDIA = {"csv": "text/csv; charset=utf-8", "html": "text/html; charset=utf-8"}


def _respond(report: BulletinOut, fmt: Format) -> Response | BulletinOut:
    if fmt == "json":
        return report
    body = render.to_csv(report) if fmt == "csv" else render.to_html(report)
    headers = {}
    if fmt == "csv":
        headers["Content-Disposition"] = f'attachment; filename="bulletin-{report.month}.csv"'
    return Response(body, media_type=MEDIA[fmt], headers=headers)


@api.get(
    "/monthly",
    response_model=BulletinOut,
    summary="Monthly bulletin per window, staff member and department (live if the month is open)",
    dependencies=[allow(staff())],
    responses={200: {"content": {"text/csv": {}, "text/html": {}}}},
)
async def monthly_bulletin(
    session: SessionDep, month: Month, format: Format = "json"
) -> Response | BulletinOut:
    report = BulletinOut.of(await service.bulletin(session, month))
    return _respond(report, format)


@idempotent_post(
    api,
    "/monthly/{month}/close",
    response_model=BulletinOut,
    status_code=status.HTTP_201_CREATED,
    summary="Close a month: store its bulletin; later events no longer change it",
    dependencies=[allow(staff("head", "staff", depts=MONTH_CLOSERS))],
    responses={409: {"description": "already closed, or the month has not ended"}},
)
async def close_month(
    session: SessionDep,
    principal: CurrentPrincipal,
    month: Annotated[str, Path(pattern=MONTH_PATTERN)],
) -> BulletinOut:
    return BulletinOut.of(await service.close_month(session, month, principal))


@api.get(
    "/province-export",
    response_model=Page[export.ExportRecord],
    summary="Monthly upward report in the provincial 好差评 field set (JSON pages or one CSV)",
    dependencies=[allow(staff_or_client("ratings:read", depts=OVERSIGHT_DEPTS))],
    responses={200: {"content": {"text/csv": {}}}},
)
async def province_export(
    session: SessionDep, month: Month, page: PageParams, format: Literal["json", "csv"] = "json"
) -> Response | Page[export.ExportRecord]:
    if format == "csv":
        disposition = f'attachment; filename="province-ratings-{month}.csv"'
        return Response(
            await export.month_csv(session, month),
            media_type=MEDIA["csv"],
            headers={"Content-Disposition": disposition},
        )
    items, cursor = await export.page(session, month, page)
    return Page(items=items, next_cursor=cursor)
