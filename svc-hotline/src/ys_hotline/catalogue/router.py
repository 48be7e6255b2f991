"""``/api/v1/hotline/categories`` (派单目录) and ``/departments``.

A category's read carries its ETag; an edit sends it back in ``If-Match`` (428 without it,
412 when someone changed the category meanwhile); a creation sends none.
"""

from typing import Annotated

from fastapi import Path, Query, Response

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal, staff
from yingshang.cases.etag import IfMatch, set_etag
from yingshang.db import SessionDep
from ys_hotline.access import CENTER
from ys_hotline.catalogue import service
from ys_hotline.catalogue.models import DispatchCategory
from ys_hotline.catalogue.schemas import CategoryIn, CategoryOut, DepartmentOut, RevisionOut
from ys_hotline.directory.service import DEPARTMENTS

api = router("/api/v1/hotline", tags=["dispatch catalogue"])
Code = Annotated[str, Path(min_length=2, max_length=60, pattern=r"^[A-Z][A-Z0-9_]*$")]
EDITORS = staff("head", "admin", depts=[CENTER])
ERRORS: dict[int | str, dict[str, str]] = {
    404: {"description": "no such category"},
    422: {"description": "invalid routing (unknown department, county matter to a town)"},
}


def _tagged(response: Response, category: DispatchCategory) -> CategoryOut:
    """The category's view, its ETag on ``response``."""
    set_etag(response, service.tagged(category), service.CATEGORY_KIND)
    return CategoryOut.model_validate(category)


@api.get(
    "/categories",
    response_model=list[CategoryOut],
    summary="The dispatch catalogue",
    dependencies=[allow(staff())],
)
async def list_categories(
    session: SessionDep, include_inactive: Annotated[bool, Query()] = False
) -> list[CategoryOut]:
    rows = await service.listing(session, include_inactive)
    return [CategoryOut.model_validate(r) for r in rows]


@api.get(
    "/categories/{code}",
    response_model=CategoryOut,
    summary="One catalogue entry (with its ETag)",
    responses=ERRORS,
    dependencies=[allow(staff())],
)
async def get_category(code: Code, session: SessionDep, response: Response) -> CategoryOut:
    return _tagged(response, await service.get(session, code))


@api.get(
    "/categories/{code}/revisions",
    response_model=list[RevisionOut],
    summary="Every kept version of a catalogue entry",
    responses=ERRORS,
    dependencies=[allow(staff())],
)
async def category_revisions(code: Code, session: SessionDep) -> list[RevisionOut]:
    return [RevisionOut.model_validate(r) for r in await service.revisions(session, code)]


@api.put(
    "/categories/{code}",
    response_model=CategoryOut,
    summary="Create or edit a catalogue entry (the previous version is kept; an edit: If-Match)",
    responses={
        **ERRORS,
        412: {"description": "the category changed since it was read (or does not exist)"},
        428: {"description": "an edit without If-Match"},
    },
    dependencies=[allow(EDITORS)],
)
async def put_category(
    code: Code,
    body: CategoryIn,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> CategoryOut:
    category = await service.upsert(session, code, body, principal, if_match=if_match)
    return _tagged(response, category)


@api.get(
    "/departments",
    response_model=list[DepartmentOut],
    summary="Departments and towns known to the hotline (``active`` false: deactivated)",
    dependencies=[allow(staff())],
)
async def list_departments(session: SessionDep) -> list[DepartmentOut]:
    return [DepartmentOut.model_validate(d) for d in await DEPARTMENTS.listing(session)]
