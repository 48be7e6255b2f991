"""Catalog rules: implementation codes, committed limits, versioned changes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.problems import Conflict, Invalid, NotFound
from ys_approvals import history
from ys_approvals.catalog.codes import check_implementation_code
from ys_approvals.catalog.models import HandlingKind, ServiceItem
from ys_approvals.catalog.schemas import ItemCreate, ItemOut, ItemUpdate
from ys_approvals.directory.service import DEPARTMENTS

# DOMAIN.md (county commitment): statutory limit compressed 50%, then a further 20%
# -> 40% of the statutory limit, rounded down to whole working days, minimum 1.
COMMITTED_PERCENT = 40


def default_committed(statutory: int) -> int:
    if statutory <= 0:
        return 0
    return max(1, statutory * COMMITTED_PERCENT // 100)


def check_limits(handling_kind: str, statutory: int, committed: int) -> None:
    """A committed limit is a promise to do better than the law, never worse. The details are
    read by the administrator who typed the limits (the console shows them under the form)."""
    if committed > statutory:
        raise Invalid(
            f"承诺时限 {committed} 个工作日超过了法定时限 {statutory} 个工作日："
            "承诺时限只能等于或短于法定时限",
            code="committed-above-statutory",
            field="committed_limit",
        )
    if handling_kind == HandlingKind.promised and committed < 1:
        raise Invalid(
            "承诺件的承诺时限至少为 1 个工作日（当场办结的请设为即办件）",
            code="committed-too-short",
            field="committed_limit",
        )


def item_out(item: ServiceItem) -> ItemOut:
    statutory = item.statutory_limit
    compression = 1 - item.committed_limit / statutory if statutory else 0.0
    data = {c.key: getattr(item, c.key) for c in ServiceItem.__table__.columns}
    return ItemOut.model_validate({**data, "compression": round(compression, 4)})


def snapshot(item: ServiceItem) -> dict[str, Any]:
    return item_out(item).model_dump(mode="json")


async def create_item(session: AsyncSession, body: ItemCreate, actor: Principal) -> ServiceItem:
    check_implementation_code(body.code)
    committed = body.committed_limit
    if committed is None:
        committed = default_committed(body.statutory_limit)
    check_limits(body.handling_kind, body.statutory_limit, committed)
    await DEPARTMENTS.require(session, body.department, field="department")
    if await find_by_code(session, body.code) is not None:
        raise Conflict(f"事项编码 {body.code} 已存在", code="item-exists", field="code")
    fields = body.model_dump(mode="json", exclude={"committed_limit"})
    item = ServiceItem(**fields, committed_limit=committed)
    session.add(item)
    await session.flush()
    await _remember(session, item, "created", actor)
    return item


async def update_item(
    session: AsyncSession, item: ServiceItem, body: ItemUpdate, actor: Principal
) -> ServiceItem:
    changes = body.model_dump(mode="json", exclude_unset=True)
    statutory = changes.get("statutory_limit", item.statutory_limit)
    committed = committed_after(changes, statutory, item.statutory_limit, item.committed_limit)
    check_limits(changes.get("handling_kind", item.handling_kind), statutory, committed)
    changes["committed_limit"] = committed
    for key, value in changes.items():
        setattr(item, key, value)
    await session.flush()
    change = "retired" if changes.get("active") is False else "updated"
    await _remember(session, item, change, actor)
    return item


def committed_after(
    changes: dict[str, Any], statutory: int, statutory_before: int, committed_before: int
) -> int:
    """The committed limit after a change (of an item or a package) to ``statutory``.

    The one sent; sent as null: back to the default. Committed = 40% of statutory "unless an
    item sets its own" (DOMAIN.md): one on the default (an own commitment equal to the default
    counts as the default) follows a new statutory limit; an own commitment stays, and is
    checked against the new statutory limit by the caller."""
    if "committed_limit" in changes:
        sent = changes["committed_limit"]
        return default_committed(statutory) if sent is None else int(sent)
    if committed_before == default_committed(statutory_before):
        return default_committed(statutory)
    return committed_before


async def _remember(
    session: AsyncSession, item: ServiceItem, change: str, actor: Principal
) -> None:
    await history.remember(
        session,
        entity="item",
        entity_id=item.id,
        version=item.version,
        change=change,
        snapshot=snapshot(item),
        actor=actor,
    )


async def find_by_code(session: AsyncSession, code: str) -> ServiceItem | None:
    rows = await session.execute(select(ServiceItem).where(ServiceItem.code == code))
    return rows.scalar_one_or_none()


async def get_item(session: AsyncSession, item_id: uuid.UUID) -> ServiceItem:
    item = await session.get(ServiceItem, item_id)
    if item is None:
        raise NotFound("没有这个事项")
    return item


async def get_by_ref(session: AsyncSession, ref: str) -> ServiceItem:
    """An item by its uuid or its implementation code."""
    try:
        return await get_item(session, uuid.UUID(ref))
    except ValueError:
        item = await find_by_code(session, ref)
    if item is None:
        raise NotFound("没有这个事项")
    return item


async def items_by_ids(
    session: AsyncSession, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, ServiceItem]:
    rows = await session.execute(select(ServiceItem).where(ServiceItem.id.in_(ids)))
    return {i.id: i for i in rows.scalars()}
