"""``GET /api/v1/admin/deadline-notices/unreachable``: who the deadline ladder named but could
not text, for the administrators to give them a 工作手机 (bureau administrators)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy import func, select

from yingshang.app import allow, router
from yingshang.db import SessionDep
from ys_gateway.access import bureau_admin
from ys_gateway.escalations.consumer import NO_MOBILE
from ys_gateway.models import DeadlineNotice, User

api = router("/api/v1/admin/deadline-notices", tags=["directory"])


class UnreachableOut(BaseModel):
    username: str
    name: str
    staff_no: str | None
    active: bool
    missed: int = Field(description="督办 SMS not sent for want of a 工作手机")
    last_missed_at: datetime


@api.get(
    "/unreachable",
    dependencies=[allow(bureau_admin())],
    response_model=list[UnreachableOut],
    summary="People the deadline ladder named who have no 工作手机 (still), with the count",
    responses={403: {"description": "not an (active) administrator at the bureau"}},
)
async def unreachable(session: SessionDep) -> list[UnreachableOut]:
    n = DeadlineNotice
    rows = await session.execute(
        select(User, func.count(n.id), func.max(n.created_at))
        .join(n, n.user_id == User.id)
        .where(n.status == NO_MOBILE, User.mobile_sealed.is_(None))
        .group_by(User.id)
        .order_by(func.count(n.id).desc(), User.username)
    )
    return [
        UnreachableOut(
            username=user.username,
            name=user.name,
            staff_no=user.staff_no,
            active=user.active,
            missed=missed,
            last_missed_at=last,
        )
        for user, missed, last in rows
    ]
