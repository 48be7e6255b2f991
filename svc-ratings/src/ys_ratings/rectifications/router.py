"""Rectifications (差评整改): lists, reads with ETag and timeline, one POST per action."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import AfterValidator, BaseModel
from sqlalchemy import or_, select

from yingshang.app import allow, router
from yingshang.auth import staff
from yingshang.cases import timeline
from yingshang.cases.etag import IfMatch
from yingshang.cases.numbers import NUMBER_MAX_LENGTH, case_number_of
from yingshang.cases.pagination import Page, PageParams, paginate
from yingshang.cases.timeline import TimelineOut
from yingshang.db import SessionDep
from ys_ratings.access import Viewer, ViewerDep
from ys_ratings.months import MONTH_PATTERN
from ys_ratings.rectifications import actions
from ys_ratings.rectifications.machine import State, rectification_machine, timeline_labels
from ys_ratings.rectifications.models import Rectification
from ys_ratings.rectifications.schemas import (
    CallBackIn,
    ClassifyIn,
    NoteIn,
    OptionalNoteIn,
    ReasonIn,
    RectificationOut,
    SpotCheckIn,
    VerdictIn,
)
from ys_ratings.rectifications.service import NUMBER_PREFIX, visible
from ys_ratings.responses import Responses

api = router("/api/v1/ratings/rectifications", tags=["rectifications"])
NOT_FOUND: Responses = {404: {"description": "no such rectification (or not yours to see)"}}
RectificationNumber = Annotated[str, AfterValidator(case_number_of(NUMBER_PREFIX))]
ACTION_ERRORS: Responses = {
    **NOT_FOUND,
    403: {"description": "not your action"},
    409: {"description": "not possible in the current state"},
    412: {"description": "stale If-Match"},
    422: {"description": "invalid body"},
    428: {"description": "If-Match missing"},
}


def _out(rect: Rectification, viewer: Viewer, response: Response) -> RectificationOut:
    machine = rectification_machine(viewer.center)
    response.headers["ETag"] = machine.etag(rect)
    out = RectificationOut.of(rect)
    out.actions = machine.available(rect, viewer.principal)
    return out


@api.get(
    "",
    response_model=Page[RectificationOut],
    summary="List rectifications",
    dependencies=[allow(staff())],
)
async def list_rectifications(
    session: SessionDep,
    viewer: ViewerDep,
    page: PageParams,
    state: State | None = None,
    department: Annotated[str | None, Query(max_length=60)] = None,
    overdue: bool | None = None,
    month: Annotated[str | None, Query(pattern=MONTH_PATTERN)] = None,
    number: Annotated[
        RectificationNumber | None,
        Query(max_length=NUMBER_MAX_LENGTH, description="the exact 整改单编号 (ZG20261128-00001)"),
    ] = None,
) -> Page[RectificationOut]:
    r = Rectification
    stmt = select(r)
    visible = viewer.scope(r.department, r.hall_department)
    if visible is not None:
        stmt = stmt.where(visible)
    if department is not None:  # of its matters, or of its hall's windows (co-handled)
        stmt = stmt.where(or_(r.department == department, r.hall_department == department))
    for column, value in (
        (r.number, number),
        (r.state, state),
        (r.overdue, overdue),
        (r.month, month),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    rows, cursor = await paginate(session, stmt, page, sort=r.created_at, id_col=r.id)
    return Page(items=[RectificationOut.of(x) for x in rows], next_cursor=cursor)


@api.get(
    "/{rect_id}",
    response_model=RectificationOut,
    summary="Read a rectification (ETag)",
    dependencies=[allow(staff())],
    responses=NOT_FOUND,
)
async def read_rectification(
    rect_id: uuid.UUID, session: SessionDep, viewer: ViewerDep, response: Response
) -> RectificationOut:
    return _out(await visible(session, rect_id, viewer), viewer, response)


@api.get(
    "/{rect_id}/timeline",
    response_model=list[TimelineOut],
    summary="Who did what, when (timeline; steps in words, zh-CN)",
    dependencies=[allow(staff())],
    responses=NOT_FOUND,
)
async def rectification_timeline(
    rect_id: uuid.UUID, session: SessionDep, viewer: ViewerDep
) -> list[TimelineOut]:
    rect = await visible(session, rect_id, viewer)
    rows = await timeline.entries(session, "rectification", rect.id)
    return timeline_labels(viewer.center).outs(rows)


Act = Callable[..., Awaitable[Rectification]]


def _action_route(
    api: APIRouter, path: str, summary: str, body: type[BaseModel], act: Act, **options: Any
) -> None:
    """One POST sub-resource per action (ARCHITECTURE.md, "HTTP conventions")."""

    async def endpoint(
        rect_id: uuid.UUID,
        payload: Any,
        session: SessionDep,
        viewer: ViewerDep,
        response: Response,
        if_match: IfMatch = None,
    ) -> RectificationOut:
        rect = await act(session, rect_id, viewer, if_match, payload, **options)
        return _out(rect, viewer, response)

    endpoint.__annotations__["payload"] = body
    endpoint.__name__ = f"rectification_{path.replace('-', '_')}"
    api.post(
        f"/{{rect_id}}/{path}",
        response_model=RectificationOut,
        summary=summary,
        dependencies=[allow(staff())],
        responses=ACTION_ERRORS,
    )(endpoint)


for _path, _summary, _body, _act, _options in (
    (
        "call-back",
        "回访核实: the ratings center called the rater back",
        CallBackIn,
        actions.call_back,
        {},
    ),
    ("classify", "分类: 立行立改 / 限期整改 / 解释说明", ClassifyIn, actions.classify, {}),
    ("claim-invalid", "申请无效差评 (reviewed)", ReasonIn, actions.claim, {"kind": "invalid"}),
    ("claim-unfixable", "申请无法整改 (reviewed)", ReasonIn, actions.claim, {"kind": "unfixable"}),
    (
        "approve-claim",
        "审核通过 the department's claim",
        OptionalNoteIn,
        actions.review,
        {"approve": True},
    ),
    (
        "reject-claim",
        "审核驳回 the department's claim",
        OptionalNoteIn,
        actions.review,
        {"approve": False},
    ),
    (
        "complete",
        "整改完成: the department finished (ends the time limit)",
        NoteIn,
        actions.complete,
        {},
    ),
    ("feed-back", "反馈: the result was told to the rater", NoteIn, actions.feed_back, {}),
    (
        "verdict",
        "评价整改: the rater's verdict on the fix (满意/基本满意/不满意)",
        VerdictIn,
        actions.record_verdict,
        {},
    ),
    (
        "spot-check",
        "抽查回访: passed closes it; failed sends it back to 整改中 with the reason",
        SpotCheckIn,
        actions.spot_check,
        {},
    ),
):
    _action_route(api, _path, _summary, _body, _act, **_options)
