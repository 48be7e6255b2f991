"""一件事一次办: one application, one set of materials, one limit, dispatched in parallel."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from yingshang.auth import Principal
from yingshang.clock import now
from yingshang.problems import Conflict, Invalid, NotFound
from ys_approvals import history
from ys_approvals.catalog.models import ServiceItem
from ys_approvals.catalog.service import check_limits, committed_after, default_committed
from ys_approvals.directory.service import DEPARTMENTS
from ys_approvals.packages.models import ItemPackage, PackageItem
from ys_approvals.packages.schemas import FeeWaiver, PackageIn, PackageOut, PackageUpdate

PACKAGE_KIND = "package"  # in the history and in the ETag


async def find_package(session: AsyncSession, code: str) -> ItemPackage:
    """A package by its code, offered or retired."""
    row = await session.execute(select(ItemPackage).where(ItemPackage.code == code))
    package = row.scalar_one_or_none()
    if package is None:
        raise NotFound(f"没有“一件事”套餐 {code}")
    return package


async def get_package(session: AsyncSession, code: str) -> ItemPackage:
    """A package an application may be for: one still offered."""
    package = await find_package(session, code)
    if not package.active:
        raise Invalid("该一件事（集成套餐）已停止办理", field="package")
    return package


async def package_items(session: AsyncSession, package: ItemPackage) -> list[ServiceItem]:
    rows = await session.execute(
        select(ServiceItem)
        .join(PackageItem, PackageItem.item_id == ServiceItem.id)
        .where(PackageItem.package_id == package.id)
        .order_by(PackageItem.position)
    )
    return list(rows.scalars())


def combined_materials(package: ItemPackage, items: list[ServiceItem]) -> list[dict[str, Any]]:
    """The one set of materials asked at intake (一次告知, 一表申请), each name once.

    The set the package lists, where it lists one: its own form and what replaces the items'
    papers (开办企业: the licence the package issues stands for 营业执照副本). Otherwise every
    material its items list, in the items' order; a material several items list is asked
    once — required if one of them requires it, as many copies as the most asks, the
    original if one asks for it. Each entry names the items whose lists carry it."""
    users: dict[str, list[str]] = {}
    for item in items:
        for material in item.materials:
            users.setdefault(str(material["name"]), []).append(item.code)
    if package.materials:
        return [{**m, "item_codes": users.get(str(m["name"]), [])} for m in package.materials]
    merged: dict[str, dict[str, Any]] = {}
    for material in (m for item in items for m in item.materials):
        name = str(material["name"])
        seen = merged.setdefault(name, {**material, "item_codes": users[name]})
        seen["required"] = seen.get("required", True) or material.get("required", True)
        seen["copies"] = max(seen.get("copies", 1), material.get("copies", 1))
        seen["original"] = seen.get("original", False) or material.get("original", False)
        seen["note"] = seen.get("note") or material.get("note")
    return list(merged.values())


async def package_out(session: AsyncSession, package: ItemPackage) -> PackageOut:
    items = await package_items(session, package)
    return PackageOut.model_validate(
        {
            **{c.key: getattr(package, c.key) for c in ItemPackage.__table__.columns},
            "departments": sorted({i.department for i in items}),
            "item_codes": [i.code for i in items],
            "items": [{"code": i.code, "name": i.name, "department": i.department} for i in items],
            "materials": combined_materials(package, items),
            "own_materials": bool(package.materials),
        }
    )


async def create_package(session: AsyncSession, body: PackageIn, actor: Principal) -> ItemPackage:
    items = await _items(session, body.item_codes)
    _check_waivers(body.fee_waivers, items)
    await _check_departments(session, body.lead_department, items)
    existing = await session.execute(select(ItemPackage.id).where(ItemPackage.code == body.code))
    if existing.first() is not None:
        raise Conflict(f"套餐代码 {body.code} 已被使用", code="package-exists", field="code")
    # The whole is held to the slowest item's statutory limit; one committed limit.
    statutory = max(i.statutory_limit for i in items)
    committed = body.committed_limit or default_committed(statutory)
    check_limits("promised", statutory, committed)
    package = ItemPackage(
        code=body.code,
        name=body.name,
        description=body.description,
        lead_department=body.lead_department,
        statutory_limit=statutory,
        committed_limit=committed,
        materials=[m.model_dump() for m in body.materials],
        fee_waivers=[w.model_dump() for w in body.fee_waivers],
    )
    session.add(package)
    await session.flush()
    await _place_items(session, package, items)
    await _remember(session, package, "created", actor)
    return package


async def update_package(
    session: AsyncSession, package: ItemPackage, body: PackageUpdate, actor: Principal
) -> ItemPackage:
    """Change what was sent, checked as a new package is; the items, when sent, replace the
    package's (in the order sent). Applications already made keep their parts."""
    changes = body.model_dump(mode="json", exclude_unset=True)
    items = await _items(session, changes.pop("item_codes")) if body.item_codes else None
    current = items if items is not None else await package_items(session, package)
    kept = [FeeWaiver.model_validate(w) for w in package.fee_waivers]
    _check_waivers(body.fee_waivers if body.fee_waivers is not None else kept, current)
    if items is not None or "lead_department" in changes:
        lead = changes.get("lead_department", package.lead_department)
        await _check_departments(session, lead, current)
    statutory = max(i.statutory_limit for i in current)
    changes["committed_limit"] = committed_after(
        changes, statutory, package.statutory_limit, package.committed_limit
    )
    check_limits("promised", statutory, changes["committed_limit"])
    for key, value in {**changes, "statutory_limit": statutory}.items():
        setattr(package, key, value)
    package.updated_at = now()
    flag_modified(package, "updated_at")  # a new version even when only the items changed
    await session.flush()
    if items is not None:
        await session.execute(delete(PackageItem).where(PackageItem.package_id == package.id))
        await _place_items(session, package, items)
    await _remember(
        session, package, "retired" if changes.get("active") is False else "updated", actor
    )
    return package


async def _items(session: AsyncSession, codes: list[str]) -> list[ServiceItem]:
    """The catalogue's items of these codes, in the order given: each known, and once."""
    if len(set(codes)) != len(codes):
        twice = sorted({c for c in codes if codes.count(c) > 1})
        raise Invalid(
            f"同一事项在套餐中只能选一次：{'、'.join(twice)}",
            code="duplicate-items",
            field="item_codes",
        )
    rows = await session.execute(select(ServiceItem).where(ServiceItem.code.in_(codes)))
    by_code = {i.code: i for i in rows.scalars()}
    unknown = [c for c in codes if c not in by_code]
    if unknown:
        raise Invalid(f"事项目录中没有这些事项：{'、'.join(unknown)}", field="item_codes")
    return [by_code[c] for c in codes]


def _check_waivers(waivers: list[FeeWaiver], items: list[ServiceItem]) -> None:
    codes = {i.code for i in items}
    stray = [w.item_code for w in waivers if w.item_code not in codes]
    if stray:
        raise Invalid(f"收费减免所指的事项不在套餐中：{'、'.join(stray)}", field="fee_waivers")


async def _place_items(
    session: AsyncSession, package: ItemPackage, items: list[ServiceItem]
) -> None:
    session.add_all(
        PackageItem(package_id=package.id, item_id=item.id, position=n)
        for n, item in enumerate(items)
    )
    await session.flush()


async def _remember(
    session: AsyncSession, package: ItemPackage, change: str, actor: Principal
) -> None:
    out = await package_out(session, package)
    await history.remember(
        session,
        entity=PACKAGE_KIND,
        entity_id=package.id,
        version=package.version,
        change=change,
        snapshot=out.model_dump(mode="json"),
        actor=actor,
    )


async def _check_departments(session: AsyncSession, lead: str, items: list[ServiceItem]) -> None:
    """The lead department (牵头部门) and every part's department are active departments of
    the directory: a package dispatches its parts to them in parallel."""
    await DEPARTMENTS.require(session, lead, field="lead_department")
    for department in sorted({i.department for i in items}):
        await DEPARTMENTS.require(session, department, field="item_codes")


async def list_packages(session: AsyncSession, include_retired: bool = False) -> list[ItemPackage]:
    query = select(ItemPackage).order_by(ItemPackage.code)
    if not include_retired:
        query = query.where(ItemPackage.active.is_(True))
    rows = await session.execute(query)
    return list(rows.scalars())
