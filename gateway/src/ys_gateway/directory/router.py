"""``/api/v1/admin/{departments,users,clients,halls}``: the org directory (writes: bureau
administrators only, see ``ys_gateway.access``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request, Response

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal, authenticated
from yingshang.db import Database, SessionDep
from yingshang.idempotency import idempotent_post
from ys_gateway.access import bureau_admin
from ys_gateway.crypto import Passwords, SecretBox
from ys_gateway.directory import mobiles, service
from ys_gateway.directory import schemas as s
from ys_gateway.pagination import Cursor, Limit, Page
from ys_gateway.proxy.clients import ClientCache

admin = router("/api/v1/admin", tags=["directory"])
ADMIN = [allow(bureau_admin())]
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "no or bad token"},
    403: {"description": "not an (active) administrator at the bureau"},
    404: {"description": "not found"},
    409: {"description": "duplicate"},
    422: {"description": "invalid input"},
}


def _passwords(request: Request) -> Passwords:
    passwords: Passwords = request.app.state.passwords
    return passwords


def _box(request: Request) -> SecretBox:
    box: SecretBox = request.app.state.secrets
    return box


def _cache(request: Request, client: object) -> None:
    cache: ClientCache = request.app.state.clients
    cache.put(client)  # type: ignore[arg-type]


@admin.get(
    "/departments",
    dependencies=[allow(authenticated())],
    response_model=Page[s.DepartmentOut],
    summary="Departments, towns, coordinating bodies (any signed-in caller)",
    responses=ERRORS,
)
async def list_departments(
    session: SessionDep,
    limit: Limit = 100,
    cursor: Cursor = None,
    kind: s.DeptKind | None = None,
    active: bool | None = None,
) -> Page[s.DepartmentOut]:
    items, after = await service.list_departments(session, limit, cursor, kind, active)
    return Page(items=items, next_cursor=after)


@admin.get(
    "/departments/{code}",
    dependencies=[allow(authenticated())],
    response_model=s.DepartmentOut,
    responses=ERRORS,
)
async def get_department(code: str, session: SessionDep) -> s.DepartmentOut:
    return await service.department_out(session, await service.get_department(session, code))


@idempotent_post(
    admin,
    "/departments",
    dependencies=ADMIN,
    status_code=201,
    response_model=s.DepartmentOut,
    responses=ERRORS,
)
async def create_department(
    body: s.DepartmentIn, session: SessionDep, principal: CurrentPrincipal
) -> s.DepartmentOut:
    dept = await service.create_department(session, body, principal)
    return await service.department_out(session, dept)


@admin.patch(
    "/departments/{code}", dependencies=ADMIN, response_model=s.DepartmentOut, responses=ERRORS
)
async def update_department(
    code: str, body: s.DepartmentPatch, session: SessionDep, principal: CurrentPrincipal
) -> s.DepartmentOut:
    dept = await service.update_department(session, code, body, principal)
    return await service.department_out(session, dept)


@admin.get("/halls", dependencies=[allow(authenticated())], response_model=list[s.HallOut])
async def list_halls(session: SessionDep) -> list[s.HallOut]:
    return await service.list_halls(session)


@admin.get("/users", dependencies=ADMIN, response_model=Page[s.UserOut], responses=ERRORS)
async def list_users(
    session: SessionDep,
    limit: Limit = 100,
    cursor: Cursor = None,
    dept: str | None = None,
    active: bool | None = None,
    q: Annotated[
        str | None, Query(max_length=64, description="part of a username, name or 工号")
    ] = None,
) -> Page[s.UserOut]:
    items, after = await service.list_users(session, limit, cursor, dept, active, q)
    return Page(items=items, next_cursor=after)


@admin.get("/users/{username}", dependencies=ADMIN, response_model=s.UserOut, responses=ERRORS)
async def get_user(username: str, session: SessionDep) -> s.UserOut:
    return await service.user_out(session, await service.get_user(session, username))


@idempotent_post(
    admin, "/users", dependencies=ADMIN, status_code=201, response_model=s.UserOut, responses=ERRORS
)
async def create_user(
    body: s.UserIn, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> s.UserOut:
    user = await service.create_user(session, body, principal, _passwords(request), _box(request))
    return await service.user_out(session, user)


@admin.patch("/users/{username}", dependencies=ADMIN, response_model=s.UserOut, responses=ERRORS)
async def update_user(
    username: str,
    body: s.UserPatch,
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> s.UserOut:
    user = await service.update_user(
        session, username, body, principal, _passwords(request), _box(request)
    )
    return await service.user_out(session, user)


@admin.get(
    "/users/{username}/mobile",
    dependencies=ADMIN,
    response_model=s.MobileOut,
    summary="A person's 工作手机 in full, for a stated reason (audited)",
    responses=ERRORS,
)
async def user_mobile(
    username: str,
    reason: Annotated[str, Query(min_length=4, max_length=500, description="why (audited)")],
    request: Request,
    response: Response,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> s.MobileOut:
    user = await service.get_user(session, username)
    db: Database = request.app.state.db
    mobile = await mobiles.reveal(db, principal, user, _box(request), reason)
    response.headers["Cache-Control"] = "no-store"
    return s.MobileOut(username=user.username, mobile=mobile)


@admin.get("/clients", dependencies=ADMIN, response_model=Page[s.ClientOut], responses=ERRORS)
async def list_clients(
    session: SessionDep, limit: Limit = 100, cursor: Cursor = None
) -> Page[s.ClientOut]:
    rows, after = await service.list_clients(session, limit, cursor)
    return Page(items=[s.ClientOut.model_validate(c) for c in rows], next_cursor=after)


@admin.get("/clients/{client_id}", dependencies=ADMIN, response_model=s.ClientOut, responses=ERRORS)
async def get_client(client_id: str, session: SessionDep) -> s.ClientOut:
    return s.ClientOut.model_validate(await service.get_client(session, client_id))


@idempotent_post(
    admin,
    "/clients",
    dependencies=ADMIN,
    status_code=201,
    response_model=s.ClientCreated,
    responses=ERRORS,
)
async def create_client(
    body: s.ClientIn, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> s.ClientCreated:
    client, secret = await service.create_client(session, body, principal, _passwords(request))
    _cache(request, client)
    out = s.ClientOut.model_validate(client).model_dump()
    return s.ClientCreated(**out, client_secret=secret)


@admin.patch(
    "/clients/{client_id}", dependencies=ADMIN, response_model=s.ClientOut, responses=ERRORS
)
async def update_client(
    client_id: str,
    body: s.ClientPatch,
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> s.ClientOut:
    client = await service.update_client(session, client_id, body, principal)
    _cache(request, client)
    return s.ClientOut.model_validate(client)


@admin.post(
    "/clients/{client_id}/secret",
    dependencies=ADMIN,
    response_model=s.ClientCreated,
    summary="Issue a new client secret (the old one stops working)",
    responses=ERRORS,
)
async def rotate_client_secret(
    client_id: str, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> s.ClientCreated:
    client, secret = await service.rotate_client_secret(
        session, client_id, principal, _passwords(request)
    )
    out = s.ClientOut.model_validate(client).model_dump()
    return s.ClientCreated(**out, client_secret=secret)
