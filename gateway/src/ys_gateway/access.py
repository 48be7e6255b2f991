"""Who may use the gateway's own administration API.

``admin`` is the role of system administration *within a position* (ARCHITECTURE.md, "Auth
and access"): an ``admin`` of one town or department is not an administrator of the county.
The gateway's admin API (people, positions, integration clients and their secrets, webhooks,
signing keys) is county-wide, so it belongs to the administrators at the bureau
(``BUREAU/admin``) only.

The gateway owns the directory, so on its own admin routes it does not rely on the access
token alone (valid for up to 15 minutes): the caller must still be an active user holding
``BUREAU/admin`` in the directory now. A deactivated or demoted administrator is refused at
once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import COUNTY_ADMIN, AccessRule, Principal, county_admin
from yingshang.db import get_session
from yingshang.problems import Forbidden
from ys_gateway.models import Position, User

ADMIN_DEPT, ADMIN_ROLE = COUNTY_ADMIN.dept, COUNTY_ADMIN.role
NOT_CURRENT = "该账号已不是营商局的在用管理员"


async def is_current_admin(session: AsyncSession, principal: Principal) -> bool:
    """``principal`` is a person (not a client) who is, per the directory right now, active
    and holds ``BUREAU/admin``."""
    if principal.is_client:
        return False
    try:
        user_id = uuid.UUID(principal.sub)
    except ValueError:
        return False
    held = await session.scalar(
        select(Position.id)
        .join(User, User.id == Position.user_id)
        .where(
            User.id == user_id,
            User.active.is_(True),
            Position.dept_code == ADMIN_DEPT,
            Position.role == ADMIN_ROLE,
        )
        .limit(1)
    )
    return held is not None


@dataclass(frozen=True)
class BureauAdmin(AccessRule):
    """``county_admin()`` (``BUREAU/admin``) as declared, plus the directory's word now."""

    async def __call__(self, request: Request) -> Principal | None:
        principal = await super().__call__(request)
        if principal is None or not await is_current_admin(get_session(request), principal):
            raise Forbidden(NOT_CURRENT)
        return principal


def bureau_admin() -> BureauAdmin:
    """The access rule of every gateway admin route that is not open to all signed-in staff."""
    declared = county_admin()
    return BureauAdmin(declared.kind, declared.roles, declared.depts)
