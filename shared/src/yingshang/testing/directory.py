"""The gateway's directory events, applied to a service the way its consumer applies them
(validated against the consumer's catalogue, inbox row and handler in one write transaction).

    event = directory_event("department.deactivated", {"code": "ZJJ", ...})
    assert await deliver(sut.app.state.db, consumers.directory, event)
"""

from __future__ import annotations

from typing import Any

from yingshang.db import Database
from yingshang.events.consumer import ConsumerSpec
from yingshang.events.envelope import CloudEvent, make_event
from yingshang.events.inbox import apply_once


def directory_event(change: str, data: dict[str, Any]) -> CloudEvent:
    """``ys.gateway.<change>`` (``department.updated``, ``user.deactivated``...) as the
    gateway's outbox writes it."""
    key = data.get("code") or data.get("username")
    kind = change.split(".")[0]
    return make_event("gateway", f"ys.gateway.{change}", data, subject=f"{kind}:{key}")


async def deliver(db: Database, spec: ConsumerSpec, event: CloudEvent) -> bool:
    """Apply ``event`` through ``spec`` once; False when the inbox had it already."""
    parsed = spec.catalogue.validate(event)
    async with db.write() as session:
        return await apply_once(session, spec.durable, parsed, spec.handlers[event.type])
