"""Helpers over the foundation's deadline engine shared by the aggregates of svc-visits."""

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.time.models import RUNNING, DeadlineStage

SERVICE = "visits"


async def running(
    session: AsyncSession, case_kind: str, case_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[DeadlineStage]]:
    """The running stages of many cases in one query (list views: due times, escalation)."""
    ids = list(case_ids)
    found: dict[uuid.UUID, list[DeadlineStage]] = {i: [] for i in ids}
    if not ids:
        return found
    rows = await session.execute(
        select(DeadlineStage).where(
            DeadlineStage.case_kind == case_kind,
            DeadlineStage.case_id.in_(ids),
            DeadlineStage.status == RUNNING,
        )
    )
    for row in rows.scalars():
        found.setdefault(row.case_id, []).append(row)
    return found


def escalation_level(stages: Iterable[DeadlineStage]) -> int:
    """The highest 督办 level reached by any of ``stages`` (0: none)."""
    return max((s.level_emitted for s in stages), default=0)


def earliest_due(stages: Iterable[DeadlineStage]) -> datetime | None:
    due = [s.due_at for s in stages if s.status == RUNNING]
    return min(due) if due else None
