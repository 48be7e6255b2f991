"""``/api/v1/visits/meetings``: joint meetings (联席会议) as the bureau records them, each
decision a 交办单 handed to a department at once. Any staff reads (the minutes go to every
member unit)."""

import uuid
from typing import Annotated

from fastapi import Query, Response
from pydantic import AfterValidator

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal
from yingshang.cases.numbers import NUMBER_MAX_LENGTH, case_number_of
from yingshang.cases.pagination import PageParams, paginate
from yingshang.db import SessionDep
from yingshang.idempotency import idempotent_post
from yingshang.validators import PlausibleDate
from ys_visits.access import ANY_STAFF, STEERING
from ys_visits.deps import CREATE_ERRORS, LIST_ERRORS, NOT_FOUND, PREFIX
from ys_visits.meetings import service
from ys_visits.meetings.models import Meeting
from ys_visits.meetings.schemas import MeetingIn, MeetingKind, MeetingOut, MeetingPage

api = router(f"{PREFIX}/meetings", tags=["joint meetings (联席会议)"])
MeetingNumber = Annotated[str, AfterValidator(case_number_of(service.NUMBER_PREFIX))]


@idempotent_post(
    api,
    "",
    status_code=201,
    response_model=MeetingOut,
    summary="Record a joint meeting; each decision becomes a 交办单 handed to its department",
    responses=CREATE_ERRORS,
    dependencies=[allow(STEERING)],
)
async def record_meeting(
    body: MeetingIn, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> MeetingOut:
    meeting = await service.record(session, body, principal)
    response.headers["Location"] = f"{api.prefix}/{meeting.id}"
    return (await service.views(session, [meeting], principal))[0]


@api.get(
    "",
    response_model=MeetingPage,
    summary="Joint meetings, newest first (filters: kind, held between)",
    responses=LIST_ERRORS,
    dependencies=[allow(ANY_STAFF)],
)
async def list_meetings(
    session: SessionDep,
    page: PageParams,
    principal: CurrentPrincipal,
    kind: MeetingKind | None = None,
    held_from: PlausibleDate | None = None,
    held_to: PlausibleDate | None = None,
    number: Annotated[
        MeetingNumber | None,
        Query(
            max_length=NUMBER_MAX_LENGTH, description="the exact 联席会议编号 (LX20261128-00001)"
        ),
    ] = None,
) -> MeetingPage:
    stmt = service.list_query(kind=kind, held_from=held_from, held_to=held_to)
    if number is not None:
        stmt = stmt.where(Meeting.number == number)
    rows, cursor = await paginate(session, stmt, page, sort=Meeting.created_at, id_col=Meeting.id)
    return MeetingPage(items=await service.views(session, rows, principal), next_cursor=cursor)


@api.get(
    "/{meeting_id}",
    response_model=MeetingOut,
    summary="One joint meeting and the 交办单 its decisions became",
    responses=NOT_FOUND,
    dependencies=[allow(ANY_STAFF)],
)
async def read_meeting(
    meeting_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> MeetingOut:
    meeting = await service.get(session, meeting_id)
    return (await service.views(session, [meeting], principal))[0]
