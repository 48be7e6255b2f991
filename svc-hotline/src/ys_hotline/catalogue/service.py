"""Dispatch catalogue: look up where a category goes; edit it keeping every revision."""

from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.cases.etag import check_if_match
from yingshang.prepared import Prepared
from yingshang.problems import Invalid, NotFound, PreconditionFailed
from ys_hotline.catalogue.models import TOWN, DispatchCategory, DispatchCategoryRevision
from ys_hotline.catalogue.schemas import CategoryIn
from ys_hotline.directory.models import Department
from ys_hotline.directory.service import DEPARTMENTS


async def get(session: AsyncSession, code: str) -> DispatchCategory:
    category = await session.get(DispatchCategory, code)
    if category is None:
        raise NotFound(f"没有派单类别 {code}")
    return category


CATEGORY_KIND = "category"  # ETag: "category-<code>-<revision>"


class Tagged(NamedTuple):
    """A category as its ETag names it (``yingshang.cases.etag.Versioned``): the code and
    the revision, which every edit bumps."""

    id: str
    version: int


def tagged(category: DispatchCategory) -> Tagged:
    return Tagged(category.code, category.revision)


def _check_version(category: DispatchCategory | None, code: str, if_match: str | None) -> None:
    """An edit needs the ETag of the revision it was made from (428 without, 412 when stale);
    a creation needs none, and an If-Match naming a category that does not exist fails
    (412: RFC 9110 §13.1.1, no current representation matches)."""
    if category is not None:
        check_if_match(if_match, tagged(category), CATEGORY_KIND)
    elif if_match is not None:
        raise PreconditionFailed(f"没有可比对的派单类别 {code}")


class Routing(NamedTuple):
    """Where an active category's tickets go (what intake needs of the catalogue)."""

    lead_department: str | None
    co_departments: list[str]


_C = DispatchCategory.__table__
_ROUTING = Prepared(
    select(_C.c.lead_department, _C.c.co_departments).where(
        _C.c.code == bindparam("code"), _C.c.active.is_(True)
    )
)


async def routing(session: AsyncSession, code: str) -> Routing:
    """The lead and co-handling departments of an active category (one prepared read)."""
    row = await _ROUTING.first(session, code=code)
    if row is None:
        raise Invalid(f"未知的派单类别 {code}", field="category_code")
    return Routing(row[0], list(row[1] or []))


async def find_active(session: AsyncSession, code: str) -> DispatchCategory:
    """The category a ticket names; an unknown or retired one is the caller's mistake."""
    category = await session.get(DispatchCategory, code)
    if category is None or not category.active:
        raise Invalid(f"未知的派单类别 {code}", field="category_code")
    return category


async def listing(session: AsyncSession, include_inactive: bool) -> list[DispatchCategory]:
    stmt = select(DispatchCategory).order_by(DispatchCategory.code)
    if not include_inactive:
        stmt = stmt.where(DispatchCategory.active.is_(True))
    return list((await session.execute(stmt)).scalars())


async def revisions(session: AsyncSession, code: str) -> list[DispatchCategoryRevision]:
    await get(session, code)
    stmt = (
        select(DispatchCategoryRevision)
        .where(DispatchCategoryRevision.code == code)
        .order_by(DispatchCategoryRevision.revision)
    )
    return list((await session.execute(stmt)).scalars())


async def department(session: AsyncSession, code: str, field: str) -> Department:
    """A department of the directory still active: a deactivated one (撤销, merged) takes no
    new tickets and heads no category (422 ``inactive-department``)."""
    return await DEPARTMENTS.require(session, code, field=field)


async def check_routing(session: AsyncSession, body: CategoryIn) -> None:
    """Departments exist and handle tickets; a county-level matter never names a town."""
    named = [("lead_department", body.lead_department)] if body.lead_department else []
    named += [("co_departments", code) for code in body.co_departments]
    for field, code in named:
        check_handler(await department(session, code, field), body.level, field)


def check_handler(dept: Department, level: str, field: str) -> None:
    """``dept`` may handle a matter of ``level``: not a coordinating body, and not a town for a
    county department's matter (国办函〔2025〕66号)."""
    if not dept.handles_tickets:
        raise Invalid(
            f"{dept.name}是统筹协调机构，不承办工单",
            field=field,
            code="not-a-handling-unit",
        )
    if level != TOWN and dept.is_town:
        raise Invalid(
            f"{dept.name}是乡镇：县级部门的事项不得下派乡镇（国办函〔2025〕66号）",
            field=field,
            code="county-matter-to-town",
        )


async def upsert(
    session: AsyncSession,
    code: str,
    body: CategoryIn,
    actor: Principal | str,
    *,
    if_match: str | None,
) -> DispatchCategory:
    """Create or edit a category (an edit under ``If-Match``: :func:`_check_version`); every
    version is kept as a revision row."""
    category = await session.get(DispatchCategory, code)
    _check_version(category, code, if_match)
    await check_routing(session, body)
    actor_id = actor if isinstance(actor, str) else actor.sub
    if category is None:
        category = DispatchCategory(code=code, revision=1, **body.model_dump())
        session.add(category)
    else:
        for key, value in body.model_dump().items():
            setattr(category, key, value)  # the flush bumps ``revision`` (version_id_col)
    category.updated_by = actor_id
    await session.flush()
    session.add(
        DispatchCategoryRevision(
            code=code,
            revision=category.revision,
            snapshot=category.snapshot(),
            changed_by=actor_id,
        )
    )
    await session.flush()
    return category
