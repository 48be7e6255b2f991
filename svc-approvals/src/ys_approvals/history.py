"""Change history of published records (事项, 四公开 documents, 权责清单, 套餐).

Public disclosure must show what changed and when, so every create/update/retire of such a
record appends a full snapshot here in the same transaction; rows are never updated.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Uuid, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.auth import Principal
from yingshang.clock import now
from yingshang.db import IdMixin, UTCDateTime
from ys_approvals.models import Base


class Revision(IdMixin, Base):
    __tablename__ = "revisions"
    __table_args__ = (Index("ix_revisions_entity", "entity", "entity_id", "version"),)

    entity: Mapped[str] = mapped_column(String(20))  # item | package | document | power
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid())
    version: Mapped[int] = mapped_column(Integer)
    change: Mapped[str] = mapped_column(String(20))  # created | updated | retired
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    changed_by: Mapped[str] = mapped_column(String(120))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)


async def remember(
    session: AsyncSession,
    *,
    entity: str,
    entity_id: uuid.UUID,
    version: int,
    change: str,
    snapshot: dict[str, Any],
    actor: Principal | str,
) -> Revision:
    """Append one snapshot in the caller's transaction."""
    who = actor.name or actor.sub if isinstance(actor, Principal) else actor
    row = Revision(
        entity=entity,
        entity_id=entity_id,
        version=version,
        change=change,
        snapshot=snapshot,
        changed_by=who,
    )
    session.add(row)
    await session.flush()
    return row


async def revisions(session: AsyncSession, entity: str, entity_id: uuid.UUID) -> list[Revision]:
    rows = await session.execute(
        select(Revision)
        .where(Revision.entity == entity, Revision.entity_id == entity_id)
        .order_by(Revision.version, Revision.changed_at)
    )
    return list(rows.scalars())
