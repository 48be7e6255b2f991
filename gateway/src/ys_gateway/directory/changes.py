"""What every directory change leaves behind: an audit record and an outbox event.

Events ``ys.gateway.department.*`` / ``ys.gateway.user.*`` keep the services' copies of names
current (ARCHITECTURE.md, event contract); they go through the outbox, never straight to NATS.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.cases.timeline import record
from yingshang.events.envelope import make_event
from yingshang.events.outbox import enqueue

AUDIT_NAMESPACE = uuid.UUID("7d0c6f52-5a8e-4a57-9d1c-2a6c1f3e9b10")


async def changed(
    session: AsyncSession,
    actor: Principal,
    *,
    kind: str,
    key: str,
    action: str,
    data: dict[str, Any],
    publish: bool = True,
) -> None:
    """Audit ``action`` on ``kind``/``key`` and, for departments and users, publish it."""
    event_id = None
    if publish:
        event = make_event("gateway", f"ys.gateway.{kind}.{action}", data, subject=f"{kind}:{key}")
        await enqueue(session, event)
        event_id = event.id
    await record(
        session,
        case_kind=f"gateway.{kind}",
        case_id=uuid.uuid5(AUDIT_NAMESPACE, f"{kind}:{key}"),
        action=action,
        actor=actor,
        data=_without_secrets(data),
        event_id=event_id,
    )


def _without_secrets(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if "secret" not in k and "password" not in k}
