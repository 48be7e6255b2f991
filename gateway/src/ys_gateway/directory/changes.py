"""What every directory change leaves behind: an audit record and an outbox event.

Events ``ys.gateway.department.*`` / ``ys.gateway.user.*`` keep the services' copies of names
current (ARCHITECTURE.md, event contract); they go through the outbox, never straight to NATS.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yingshang import audit
from yingshang.auth import Principal
from yingshang.events.envelope import make_event
from yingshang.events.outbox import enqueue


async def changed(
    session: AsyncSession,
    actor: Principal,
    *,
    kind: str,
    key: str,
    action: str,
    data: dict[str, Any],
    publish: bool = True,
    audit_extra: dict[str, Any] | None = None,
) -> None:
    """Audit ``action`` on ``kind``/``key`` and, for departments and users, publish it;
    ``audit_extra``: what only the audit says (e.g. ``bootstrap``), not the event."""
    detail = _without_secrets({**data, **(audit_extra or {})})
    if publish:
        event = make_event("gateway", f"ys.gateway.{kind}.{action}", data, subject=f"{kind}:{key}")
        await enqueue(session, event)
        detail["event_id"] = event.id
    await audit.record(
        session,
        actor=actor,
        action=f"gateway.{kind}.{action}",
        object_kind=kind,
        object_id=key,
        detail=detail,
    )


def _without_secrets(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if "secret" not in k and "password" not in k}
