"""Integrated package routes (集成套餐): public read, admin write."""

from __future__ import annotations

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal, county_admin, public
from yingshang.db import SessionDep
from yingshang.idempotency import idempotent_post
from ys_approvals.packages import service
from ys_approvals.packages.schemas import PackageIn, PackageOut

api = router("/api/v1/approvals/packages", tags=["packages"])


@api.get(
    "",
    response_model=list[PackageOut],
    summary="Integrated packages (一件事一次办)",
    dependencies=[allow(public())],
)
async def list_packages(session: SessionDep) -> list[PackageOut]:
    return [await service.package_out(session, p) for p in await service.list_packages(session)]


@api.get(
    "/{code}",
    response_model=PackageOut,
    summary="One package",
    dependencies=[allow(public())],
    responses={404: {"description": "no such package"}},
)
async def read_package(code: str, session: SessionDep) -> PackageOut:
    return await service.package_out(session, await service.get_package(session, code))


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
