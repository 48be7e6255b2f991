"""一件事一次办: one application, one set of materials, one limit, dispatched in parallel."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.problems import Conflict, Invalid, NotFound
from ys_approvals import history
from ys_approvals.catalog.models import ServiceItem
from ys_approvals.catalog.service import check_limits, default_committed
from ys_approvals.directory.service import DEPARTMENTS
from ys_approvals.packages.models import ItemPackage, PackageItem
from ys_approvals.packages.schemas import PackageIn, PackageOut


async def get_package(session: AsyncSession, code: str) -> ItemPackage:
    row = await session.execute(select(ItemPackage).where(ItemPackage.code == code))
    package = row.scalar_one_or_none()
    if package is None:
        raise NotFound(f"no package {code}")
    if not package.active:
        raise Invalid("the package is no longer offered", field="package")
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
        }
    )


async def create_package(session: AsyncSession, body: PackageIn, actor: Principal) -> ItemPackage:
    rows = await session.execute(select(ServiceItem).where(ServiceItem.code.in_(body.item_codes)))
    by_code = {i.code: i for i in rows.scalars()}
    unknown = [c for c in body.item_codes if c not in by_code]
    if unknown:
        raise Invalid(f"unknown items: {', '.join(unknown)}", field="item_codes")
    stray = [w.item_code for w in body.fee_waivers if w.item_code not in by_code]
    if stray:
        raise Invalid(f"waivers for items outside the package: {stray}", field="fee_waivers")
    await _check_departments(session, body.lead_department, list(by_code.values()))
    existing = await session.execute(select(ItemPackage.id).where(ItemPackage.code == body.code))
    if existing.first() is not None:
        raise Conflict(f"package {body.code} already exists", field="code")
    # The whole is held to the slowest item's statutory limit; one committed limit.
    statutory = max(i.statutory_limit for i in by_code.values())
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
    session.add_all(
        PackageItem(package_id=package.id, item_id=by_code[c].id, position=n)
        for n, c in enumerate(body.item_codes)
    )
    await session.flush()
    out = await package_out(session, package)
    await history.remember(
        session,
        entity="package",
        entity_id=package.id,
        version=package.version,
        change="created",
        snapshot=out.model_dump(mode="json"),
        actor=actor,
    )
    return package


async def _check_departments(session: AsyncSession, lead: str, items: list[ServiceItem]) -> None:
    """The lead department (牵头部门) and every part's department are active departments of
    the directory: a package dispatches its parts to them in parallel."""
    await DEPARTMENTS.require(session, lead, field="lead_department")
    for department in sorted({i.department for i in items}):
        await DEPARTMENTS.require(session, department, field="item_codes")


async def list_packages(session: AsyncSession) -> list[ItemPackage]:
    rows = await session.execute(
        select(ItemPackage).where(ItemPackage.active.is_(True)).order_by(ItemPackage.code)
    )
    return list(rows.scalars())
