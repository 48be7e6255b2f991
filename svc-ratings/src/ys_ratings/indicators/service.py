"""Indicator sets: the active version per kind, publishing a new version."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.problems import Conflict, Invalid
from ys_ratings.indicators.data import NATIONAL_SETS, kind_for
from ys_ratings.indicators.models import IndicatorSet
from ys_ratings.indicators.schemas import IndicatorSetIn


async def active_set(session: AsyncSession, kind: str) -> IndicatorSet | None:
    rows = await session.execute(
        select(IndicatorSet)
        .where(IndicatorSet.kind == kind, IndicatorSet.active.is_(True))
        .order_by(IndicatorSet.version.desc())
        .limit(1)
    )
    return rows.scalar_one_or_none()


async def set_for_channel(
    session: AsyncSession, service_channel: str | None
) -> IndicatorSet | None:
    return await active_set(session, kind_for(service_channel))


async def list_sets(session: AsyncSession) -> list[IndicatorSet]:
    rows = await session.execute(
        select(IndicatorSet).order_by(IndicatorSet.kind, IndicatorSet.version)
    )
    return list(rows.scalars())


async def publish(session: AsyncSession, body: IndicatorSetIn, actor: str) -> IndicatorSet:
    """A new version becomes the active one; earlier versions stay for the ratings they scored."""
    codes = [i.code for i in body.indicators]
    if len(set(codes)) != len(codes):
        raise Invalid("指标代码不能重复", field="indicators")
    latest = await session.scalar(
        select(func.max(IndicatorSet.version)).where(IndicatorSet.kind == body.kind)
    )
    await session.execute(
        update(IndicatorSet).where(IndicatorSet.kind == body.kind).values(active=False)
    )
    row = IndicatorSet(
        kind=body.kind,
        version=(latest or 0) + 1,
        name=body.name,
        basis=body.basis,
        indicators=[i.model_dump() for i in body.indicators],
        active=True,
        created_by=actor,
    )
    session.add(row)
    await session.flush()
    return row


async def seed_national(session: AsyncSession) -> int:
    """Version 1 of the national template, once (idempotent)."""
    added = 0
    for spec in NATIONAL_SETS:
        if await active_set(session, spec["kind"]) is None:
            session.add(IndicatorSet(version=1, active=True, created_by="seed", **spec))
            added += 1
    await session.flush()
    return added


def check_scores(indicator_set: IndicatorSet | None, scores: dict[str, Any]) -> None:
    """Scores must name indicators of the set, each 1–5."""
    if not scores:
        return
    if indicator_set is None:
        raise Conflict("该渠道没有在用的评价指标", code="no-indicator-set")
    unknown = sorted(set(scores) - indicator_set.codes())
    if unknown:
        raise Invalid(f"指标体系中没有这些指标：{'、'.join(unknown)}", field="scores")
