"""Integrated package routes (集成套餐): public read, county administrators (BUREAU/admin)
write (every change versioned)."""

from __future__ import annotations

from fastapi import Response

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal, county_admin, public
from yingshang.cases.etag import IfMatch, check_if_match, set_etag
from yingshang.db import SessionDep
from yingshang.idempotency import idempotent_post
from ys_approvals import history
from ys_approvals.catalog.schemas import RevisionOut
from ys_approvals.packages import service
from ys_approvals.packages.schemas import PackageIn, PackageOut, PackageUpdate

api = router("/api/v1/approvals/packages", tags=["packages"])


@api.get(
    "",
    response_model=list[PackageOut],
    summary="Integrated packages (一件事一次办)",
    dependencies=[allow(public())],
)
async def list_packages(session: SessionDep, include_retired: bool = False) -> list[PackageOut]:
    packages = await service.list_packages(session, include_retired)
    return [await service.package_out(session, p) for p in packages]


@api.get(
    "/{code}",
    response_model=PackageOut,
    summary="One package (offered or retired)",
    dependencies=[allow(public())],
    responses={404: {"description": "no such package"}},
)
async def read_package(code: str, session: SessionDep, response: Response) -> PackageOut:
    package = await service.find_package(session, code)
    set_etag(response, package, service.PACKAGE_KIND)
    return await service.package_out(session, package)


@api.get(
    "/{code}/history",
    response_model=list[RevisionOut],
    summary="Every version of a package",
    dependencies=[allow(public())],
    responses={404: {"description": "no such package"}},
)
async def package_history(code: str, session: SessionDep) -> list[RevisionOut]:
    package = await service.find_package(session, code)
    rows = await history.revisions(session, service.PACKAGE_KIND, package.id)
    return [RevisionOut.model_validate(r) for r in rows]


@idempotent_post(
    api,
    "",
    response_model=PackageOut,
    status_code=201,
    summary="Bundle items (BUREAU/admin)",
    dependencies=[allow(county_admin())],
    responses={409: {"description": "code exists"}, 422: {"description": "invalid"}},
)
async def create_package(
    body: PackageIn, session: SessionDep, principal: CurrentPrincipal
) -> PackageOut:
    package = await service.create_package(session, body, principal)
    return await service.package_out(session, package)


@api.patch(
    "/{code}",
    response_model=PackageOut,
    summary="Change or retire a package (BUREAU/admin; versioned)",
    dependencies=[allow(county_admin())],
    responses={
        404: {"description": "no such package"},
        412: {"description": "stale"},
        422: {"description": "invalid"},
        428: {"description": "If-Match"},
    },
)
async def update_package(
    code: str,
    body: PackageUpdate,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> PackageOut:
    package = await service.find_package(session, code)
    check_if_match(if_match, package, service.PACKAGE_KIND)
    await service.update_package(session, package, body, principal)
    set_etag(response, package, service.PACKAGE_KIND)
    return await service.package_out(session, package)
