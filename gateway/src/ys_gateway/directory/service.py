"""Directory operations (the routes stay thin). Services flush, never commit."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.clock import now
from yingshang.problems import Conflict, Invalid, NotFound
from ys_gateway.crypto import Passwords, SecretBox
from ys_gateway.directory import schemas as s
from ys_gateway.directory.changes import changed
from ys_gateway.directory.mobiles import set_mobile
from ys_gateway.models import Client, Department, Hall, Position, RefreshToken, User, Window
from ys_gateway.pagination import page_rows


# --- departments -----------------------------------------------------------------------------
async def department_out(session: AsyncSession, dept: Department) -> s.DepartmentOut:
    head = await session.get(User, dept.head_user_id) if dept.head_user_id else None
    return s.DepartmentOut(
        code=dept.code,
        name=dept.name,
        kind=dept.kind,
        parent=dept.parent_code,
        head_username=head.username if head else None,
        active=dept.active,
        updated_at=dept.updated_at,
    )


async def list_departments(
    session: AsyncSession, limit: int, cursor: str | None, kind: str | None, active: bool | None
) -> tuple[list[s.DepartmentOut], str | None]:
    stmt = select(Department)
    if kind:
        stmt = stmt.where(Department.kind == kind)
    if active is not None:
        stmt = stmt.where(Department.active.is_(active))
    rows, after = await page_rows(session, stmt, Department.code, limit, cursor)
    return [await department_out(session, d) for d in rows], after


async def get_department(session: AsyncSession, code: str) -> Department:
    dept = await session.get(Department, code)
    if dept is None:
        raise NotFound(f"组织机构目录中没有单位代码 {code}")
    return dept


async def create_department(
    session: AsyncSession, body: s.DepartmentIn, actor: Principal
) -> Department:
    if await session.get(Department, body.code) is not None:
        raise Conflict(f"部门代码 {body.code} 已存在", code="duplicate")
    if body.parent:
        await _existing_dept(session, body.parent, "parent")
    dept = Department(code=body.code, name=body.name, kind=body.kind, parent_code=body.parent)
    session.add(dept)
    await session.flush()
    await changed(
        session, actor, kind="department", key=dept.code, action="created", data=_dept_event(dept)
    )
    return dept


async def update_department(
    session: AsyncSession, code: str, patch: s.DepartmentPatch, actor: Principal
) -> Department:
    dept = await get_department(session, code)
    fields = patch.model_dump(exclude_unset=True)
    if "parent" in fields:
        dept.parent_code = await _parent(session, dept, fields["parent"])
    if "head_username" in fields:
        dept.head_user_id = await _head(session, fields["head_username"])
    dept.name = fields.get("name") or dept.name
    was_active = dept.active
    if fields.get("active") is not None:
        dept.active = fields["active"]
    await session.flush()
    action = "deactivated" if was_active and not dept.active else "updated"
    await changed(
        session, actor, kind="department", key=code, action=action, data=_dept_event(dept)
    )
    return dept


async def _parent(session: AsyncSession, dept: Department, parent: str | None) -> str | None:
    if parent is None:
        return None
    if parent == dept.code:
        raise Invalid("上级单位不能是本单位", field="parent")
    await _existing_dept(session, parent, "parent")
    return parent


async def _head(session: AsyncSession, username: str | None) -> Any:
    if username is None:
        return None
    user = await session.scalar(select(User).where(User.username == username))
    if user is None:
        raise Invalid(f"没有用户名为 {username} 的用户", field="head_username")
    return user.id


async def _existing_dept(session: AsyncSession, code: str, field: str) -> Department:
    dept = await session.get(Department, code)
    if dept is None:
        raise Invalid(f"组织机构目录中没有单位代码 {code}", field=field)
    return dept


def _dept_event(dept: Department) -> dict[str, Any]:
    return {
        "code": dept.code,
        "name": dept.name,
        "kind": dept.kind,
        "parent": dept.parent_code,
        "active": dept.active,
    }


# --- users -----------------------------------------------------------------------------------
async def user_out(session: AsyncSession, user: User) -> s.UserOut:
    rows = await session.execute(
        select(Position, Department.name)
        .join(Department, Department.code == Position.dept_code)
        .where(Position.user_id == user.id)
        .order_by(Position.dept_code, Position.role)
    )
    positions = [
        s.PositionOut(dept=p.dept_code, role=p.role, title=p.title, dept_name=name)
        for p, name in rows
    ]
    return s.UserOut(
        id=user.id,
        username=user.username,
        name=user.name,
        staff_no=user.staff_no,
        mobile=user.mobile_masked,
        active=user.active,
        password_change_required=user.password_change_required,
        positions=positions,
    )


async def list_users(
    session: AsyncSession,
    limit: int,
    cursor: str | None,
    dept: str | None,
    active: bool | None,
    q: str | None = None,
) -> tuple[list[s.UserOut], str | None]:
    stmt = select(User)
    if q:
        found = [c.icontains(q, autoescape=True) for c in (User.username, User.name, User.staff_no)]
        stmt = stmt.where(or_(*found))
    if dept:
        stmt = stmt.where(User.id.in_(select(Position.user_id).where(Position.dept_code == dept)))
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    rows, after = await page_rows(session, stmt, User.username, limit, cursor)
    return [await user_out(session, u) for u in rows], after


async def get_user(session: AsyncSession, username: str) -> User:
    user = await session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"没有用户 {username}")
    return user


async def create_user(
    session: AsyncSession,
    body: s.UserIn,
    actor: Principal,
    passwords: Passwords,
    box: SecretBox,
    *,
    audit_extra: dict[str, Any] | None = None,
) -> User:
    if await session.scalar(select(User.id).where(User.username == body.username)):
        raise Conflict(f"用户名 {body.username} 已存在", code="duplicate")
    await _staff_no_free(session, body.staff_no, None)
    user = User(
        username=body.username,
        name=body.name,
        staff_no=body.staff_no,
        password_hash=await passwords.ahash(body.password),
        password_change_required=True,  # an administrator chose it: the person changes it
    )
    set_mobile(user, body.mobile, box)
    session.add(user)
    await session.flush()
    await set_positions(session, user, body.positions)
    extra = {**(audit_extra or {}), **_mobile_audit(user, body.mobile is not None)}
    await _user_changed(session, actor, user, "created", extra)
    return user


async def update_user(
    session: AsyncSession,
    username: str,
    patch: s.UserPatch,
    actor: Principal,
    passwords: Passwords,
    box: SecretBox,
) -> User:
    user = await get_user(session, username)
    fields = patch.model_dump(exclude_unset=True)
    if "staff_no" in fields:
        await _staff_no_free(session, patch.staff_no, user)
        user.staff_no = patch.staff_no
    if "mobile" in fields:
        set_mobile(user, patch.mobile, box)
    user.name = patch.name or user.name
    if patch.password:
        user.password_hash = await passwords.ahash(patch.password)
        # Someone else knows a password an administrator set: changed at the next sign-in.
        user.password_change_required = True
    was_active = user.active
    if patch.active is not None:
        user.active = patch.active
    if patch.positions is not None:
        await set_positions(session, user, patch.positions)
    if patch.password or (was_active and not user.active):
        # A new password (perhaps the old one leaked) or a deactivation ends every session:
        # refresh tokens issued before do not outlive it (nor come back on reactivation).
        await revoke_user_sessions(session, user)
    await session.flush()
    action = "deactivated" if was_active and not user.active else "updated"
    await _user_changed(session, actor, user, action, _mobile_audit(user, "mobile" in fields))
    if patch.password:
        # The audit says a password was set, by whom, and that the person must change it
        # (the ``updated`` entry above lists only what the services keep).
        data = {"username": user.username, "self_service": False, "change_required": True}
        await changed(
            session,
            actor,
            kind="user",
            key=user.username,
            action="password_changed",
            data=data,
            publish=False,
        )
    return user


async def revoke_user_sessions(session: AsyncSession, user: User) -> None:
    """Revoke every live refresh token of ``user`` (all families: every device)."""
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now())
    )


async def set_positions(
    session: AsyncSession, user: User, positions: Sequence[s.PositionIn]
) -> None:
    """Replace the user's positions (a person may hold several: 交叉挂职)."""
    unique = {(p.dept, p.role): p for p in positions}
    for p in unique.values():
        await _existing_dept(session, p.dept, "positions")
    await session.execute(delete(Position).where(Position.user_id == user.id))
    session.add_all(
        Position(user_id=user.id, dept_code=p.dept, role=p.role, title=p.title)
        for p in unique.values()
    )
    await session.flush()


async def _staff_no_free(session: AsyncSession, staff_no: str | None, user: User | None) -> None:
    if staff_no is None:
        return
    holder = await session.scalar(select(User).where(User.staff_no == staff_no))
    if holder is not None and holder is not user:
        raise Conflict(f"工号 {staff_no} 已被占用", code="duplicate", field="staff_no")


def _mobile_audit(user: User, changed: bool) -> dict[str, Any]:
    """What the audit says of a new or removed 工作手机: the masked number, never the full
    one (nor does the event to the services, which have no use for it)."""
    return {"mobile": user.mobile_masked} if changed else {}


async def _user_changed(
    session: AsyncSession,
    actor: Principal,
    user: User,
    action: str,
    audit_extra: dict[str, Any] | None = None,
) -> None:
    out = await user_out(session, user)
    data = {
        "username": user.username,
        "name": user.name,
        "staff_no": user.staff_no,
        "active": user.active,
        "positions": [{"dept": p.dept, "role": p.role} for p in out.positions],
    }
    await changed(
        session,
        actor,
        kind="user",
        key=user.username,
        action=action,
        data=data,
        audit_extra=audit_extra,
    )


# --- integration clients ---------------------------------------------------------------------
async def list_clients(
    session: AsyncSession, limit: int, cursor: str | None
) -> tuple[Sequence[Client], str | None]:
    return await page_rows(session, select(Client), Client.client_id, limit, cursor)


async def get_client(session: AsyncSession, client_id: str) -> Client:
    client = await session.get(Client, client_id)
    if client is None:
        raise NotFound(f"没有接口客户端 {client_id}")
    return client


async def create_client(
    session: AsyncSession, body: s.ClientIn, actor: Principal, passwords: Passwords
) -> tuple[Client, str]:
    if await session.get(Client, body.client_id) is not None:
        raise Conflict(f"接口客户端 {body.client_id} 已存在", code="duplicate")
    if body.owner_dept:
        await _existing_dept(session, body.owner_dept, "owner_dept")
    secret = secrets.token_urlsafe(32)
    client = Client(**body.model_dump(), secret_hash=await passwords.ahash(secret))
    session.add(client)
    await session.flush()
    await changed(
        session,
        actor,
        kind="client",
        key=client.client_id,
        action="created",
        data=body.model_dump(),
        publish=False,
    )
    return client, secret


async def update_client(
    session: AsyncSession, client_id: str, patch: s.ClientPatch, actor: Principal
) -> Client:
    client = await get_client(session, client_id)
    fields = patch.model_dump(exclude_unset=True)
    if fields.get("owner_dept"):
        await _existing_dept(session, fields["owner_dept"], "owner_dept")
    for name, value in fields.items():
        if value is not None or name == "owner_dept":
            setattr(client, name, value)
    await session.flush()
    await changed(
        session, actor, kind="client", key=client_id, action="updated", data=fields, publish=False
    )
    return client


async def rotate_client_secret(
    session: AsyncSession, client_id: str, actor: Principal, passwords: Passwords
) -> tuple[Client, str]:
    client = await get_client(session, client_id)
    secret = secrets.token_urlsafe(32)
    client.secret_hash = await passwords.ahash(secret)
    await session.flush()
    await changed(
        session,
        actor,
        kind="client",
        key=client_id,
        action="secret_rotated",
        data={},
        publish=False,
    )
    return client, secret


# --- halls -----------------------------------------------------------------------------------
async def list_halls(session: AsyncSession) -> list[s.HallOut]:
    halls = await session.scalars(select(Hall).order_by(Hall.code))
    windows = await session.scalars(select(Window).order_by(Window.hall_code, Window.code))
    by_hall: dict[str, list[s.WindowOut]] = {}
    for w in windows:
        by_hall.setdefault(w.hall_code, []).append(s.WindowOut.model_validate(w))
    return [
        s.HallOut(code=h.code, name=h.name, dept=h.dept_code, windows=by_hall.get(h.code, []))
        for h in halls
    ]
