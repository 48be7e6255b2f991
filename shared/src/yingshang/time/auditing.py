"""Admin changes of time limits and calendars are audited (等保 2.0: administrative operations
are recorded in the tamper-evident audit log, ``yingshang.audit``), and handed to any hooks a
service registers (e.g. to notify the bureau of a changed time limit)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yingshang import audit
from yingshang.auth import COUNTY_ADMIN, Principal

AdminChangeHook = Callable[
    [AsyncSession, Principal, str, str, str, dict[str, Any]], Awaitable[None]
]
_hooks: list[AdminChangeHook] = []


def on_admin_change(hook: AdminChangeHook) -> None:
    """Register ``hook(session, principal, action, object_kind, object_id, detail)``."""
    if hook not in _hooks:
        _hooks.append(hook)


async def admin_change(
    session: AsyncSession,
    principal: Principal,
    action: str,
    object_kind: str,
    object_id: str,
    detail: dict[str, Any],
) -> None:
    """Audit an admin change in the caller's transaction, then call the registered hooks."""
    # the post acted in: the county's administrator (the routes require it), else any admin
    # post (a service's own seed acts as its center's admin)
    posts = [p for p in principal.positions if p.role == COUNTY_ADMIN.role]
    admin = next((p for p in posts if p == COUNTY_ADMIN), posts[0] if posts else None)
    await audit.record(
        session,
        actor=principal,
        action=action,
        object_kind=object_kind,
        object_id=object_id,
        detail=detail,
        position=admin,
    )
    for hook in list(_hooks):
        await hook(session, principal, action, object_kind, object_id, detail)
