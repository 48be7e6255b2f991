"""Reading ratings: object-level visibility and filtered keyset pages."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.cases.pagination import PageRequest, paginate
from yingshang.problems import NotFound
from ys_ratings.access import Viewer
from ys_ratings.directory.models import User
from ys_ratings.ratings.models import BAD_MAX, Rating
from ys_ratings.rectifications.models import Rectification


@dataclass(frozen=True)
class RatingFilter:
    month: str | None = None
    department: str | None = None
    service: str | None = None
    level: int | None = None
    bad: bool | None = None
    channel: str | None = None
    window: str | None = None
    staff_no: str | None = None
    excluded: bool | None = None


def _scoped(stmt: Select[Any], viewer: Viewer) -> Select[Any]:
    """Clients see what they pushed or created; staff their departments and the hall's
    management its windows' ratings (overseers: all)."""
    principal = viewer.principal
    if principal.is_client:
        return stmt.where(Rating.origin_client == principal.client_id)
    condition = viewer.scope(Rating.department, Rating.hall_department)
    return stmt if condition is None else stmt.where(condition)


def _filtered(stmt: Select[Any], f: RatingFilter) -> Select[Any]:
    if f.department is not None:  # a unit's ratings: of its matters, or of its hall's windows
        stmt = stmt.where(
            or_(Rating.department == f.department, Rating.hall_department == f.department)
        )
    equal = {
        "month": Rating.month,
        "service": Rating.service,
        "level": Rating.level,
        "channel": Rating.channel,
        "window": Rating.window,
        "staff_no": Rating.staff_no,
        "excluded": Rating.excluded,
    }
    for name, column in equal.items():
        value = getattr(f, name)
        if value is not None:
            stmt = stmt.where(column == value)
    if f.bad is not None:
        stmt = stmt.where(Rating.level <= BAD_MAX if f.bad else Rating.level > BAD_MAX)
    return stmt


async def page_of_ratings(
    session: AsyncSession, viewer: Viewer, f: RatingFilter, page: PageRequest
) -> tuple[list[Rating], str | None]:
    stmt = _filtered(_scoped(select(Rating), viewer), f)
    return await paginate(session, stmt, page, sort=Rating.rated_at, id_col=Rating.id)


async def visible_rating(session: AsyncSession, rating_id: uuid.UUID, viewer: Viewer) -> Rating:
    rows = await session.execute(_scoped(select(Rating).where(Rating.id == rating_id), viewer))
    rating: Rating | None = rows.scalar_one_or_none()
    if rating is None:
        raise NotFound("没有这条评价")
    return rating


async def rectification_ids(
    session: AsyncSession, ratings: list[Rating]
) -> dict[uuid.UUID, uuid.UUID]:
    if not ratings:
        return {}
    rows = await session.execute(
        select(Rectification.rating_id, Rectification.id).where(
            Rectification.rating_id.in_([r.id for r in ratings])
        )
    )
    return dict(rows.all())  # Result has keys(): dict() must get the rows themselves


async def staff_names(session: AsyncSession, ratings: list[Rating]) -> dict[str, str]:
    """``{staff_no: name}`` of the clerks the ratings name (the 工号 a list shows by name)."""
    numbers = {r.staff_no for r in ratings if r.staff_no}
    if not numbers:
        return {}
    rows = await session.execute(
        select(User.staff_no, User.name).where(User.staff_no.in_(sorted(numbers)))
    )
    return {str(staff_no): name for staff_no, name in rows}
