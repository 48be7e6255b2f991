"""The enterprise registry: register (USCC unique), edit, read masked, unmask with a reason."""

import uuid
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang import audit
from yingshang.auth import Principal
from yingshang.cases.etag import check_if_match
from yingshang.masking import mask_phone
from yingshang.problems import Conflict, Invalid, NotFound
from ys_visits.enterprises.models import KIND, TAG_SEPARATOR, Enterprise
from ys_visits.enterprises.schemas import (
    ContactEdit,
    ContactIn,
    ContactOut,
    EnterpriseIn,
    EnterpriseOut,
    EnterprisePatch,
    Scale,
)


async def by_uscc(session: AsyncSession, uscc: str) -> Enterprise | None:
    rows = await session.execute(select(Enterprise).where(Enterprise.uscc == uscc))
    return rows.scalar_one_or_none()


def _duplicate(uscc: str, existing: uuid.UUID | None) -> Conflict:
    return Conflict(
        f"统一社会信用代码为 {uscc} 的企业已登记",
        code="uscc-registered",
        field="uscc",
        existing_id=str(existing) if existing else None,
    )


def _contacts(contacts: list[ContactIn]) -> list[dict[str, Any]]:
    return [c.model_dump(mode="json") for c in contacts]


def _edited_contacts(row: Enterprise, contacts: list[ContactEdit]) -> list[dict[str, Any]]:
    """The new list; a masked phone (as a read showed it) keeps the number it masks, which
    must be one this enterprise holds (a mask matching two numbers is ambiguous)."""
    held: dict[str, list[str]] = {}
    for stored in row.contacts or []:
        phone = str(stored.get("phone", ""))
        held.setdefault(mask_phone(phone), []).append(phone)
    out = []
    for i, c in enumerate(contacts):
        entry = c.model_dump(mode="json")
        if "*" in c.phone:
            numbers = set(held.get(c.phone, []))
            if len(numbers) != 1:
                raise Invalid(
                    "打码的电话号码只能保留本企业原有的号码；新号码请完整填写",
                    field=f"contacts.{i}.phone",
                )
            entry["phone"] = numbers.pop()
        out.append(entry)
    return out


async def register(session: AsyncSession, body: EnterpriseIn, who: Principal) -> Enterprise:
    """Add an enterprise; a second registration of the same USCC is a 409."""
    existing = await by_uscc(session, body.uscc)
    if existing is not None:
        raise _duplicate(body.uscc, existing.id)
    row = Enterprise(
        name=body.name,
        uscc=body.uscc,
        industry=body.industry,
        park=body.park or None,
        scale=body.scale.value,
        address=body.address,
        contacts=_contacts(body.contacts),
        created_by=who.sub,
    )
    row.tags = body.tags
    session.add(row)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent registration won the unique USCC
        raise _duplicate(body.uscc, None) from exc
    await _audit(session, who, "enterprise.register", row, sorted(body.model_fields_set))
    return row


async def _audit(
    session: AsyncSession, who: Principal, action: str, row: Enterprise, fields: list[str]
) -> None:
    """Registry changes go to the audit log: who changed which fields (never the values:
    contacts hold personal data)."""
    await audit.record(
        session, actor=who, action=action, object_kind=KIND, object_id=row.id,
        detail={"fields": fields, "uscc": row.uscc},
    )  # fmt: skip


async def named(session: AsyncSession, enterprise_id: uuid.UUID, *, field: str) -> Enterprise:
    """The registered enterprise a request names, or a 422 naming ``field``."""
    row = await session.get(Enterprise, enterprise_id)
    if row is None:
        raise Invalid("企业名录中没有该企业", field=field)
    return row


async def get(session: AsyncSession, enterprise_id: uuid.UUID) -> Enterprise:
    row = await session.get(Enterprise, enterprise_id)
    if row is None:
        raise NotFound("没有这家企业", code="enterprise-not-found")
    return row


async def edit(
    session: AsyncSession,
    enterprise_id: uuid.UUID,
    body: EnterprisePatch,
    if_match: str | None,
    who: Principal,
) -> Enterprise:
    row = await get(session, enterprise_id)
    check_if_match(if_match, row, KIND)
    changes = body.model_dump(exclude_unset=True)
    for name in ("name", "industry"):  # required fields: null leaves them as they are
        if changes.get(name) is not None:
            setattr(row, name, changes[name])
    for name in ("park", "address"):  # optional fields: null or "" clears them
        if name in changes:
            setattr(row, name, changes[name] or None)
    if body.scale is not None:
        row.scale = body.scale.value
    if body.tags is not None:
        row.tags = body.tags
    if body.contacts is not None:
        row.contacts = _edited_contacts(row, body.contacts)
    await session.flush()
    await _audit(session, who, "enterprise.update", row, sorted(changes))
    return row


def contacts_of(row: Enterprise, *, reveal: bool) -> list[ContactOut]:
    return [
        ContactOut(
            name=str(c.get("name", "")),
            title=c.get("title"),
            phone=str(c.get("phone", "")) if reveal else mask_phone(str(c.get("phone", ""))),
        )
        for c in row.contacts or []
    ]


def view(row: Enterprise) -> EnterpriseOut:
    """The registry entry with contact phones masked (GB/T 35273 display restriction)."""
    return EnterpriseOut(
        id=row.id,
        name=row.name,
        uscc=row.uscc,
        industry=row.industry,
        park=row.park,
        scale=Scale(row.scale),
        address=row.address,
        tags=row.tags,
        contacts=contacts_of(row, reveal=False),
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
    )


def list_query(
    *,
    park: str | None,
    scale: Scale | None,
    industry: str | None,
    tag: str | None,
    q: str | None,
) -> Select[Enterprise]:
    stmt = select(Enterprise)
    if park:
        stmt = stmt.where(Enterprise.park == park)
    if scale:
        stmt = stmt.where(Enterprise.scale == scale.value)
    if industry:
        stmt = stmt.where(Enterprise.industry == industry)
    if tag:
        stmt = stmt.where(Enterprise.tags_text.contains(f"{TAG_SEPARATOR}{tag}{TAG_SEPARATOR}"))
    if q:
        # part of the name, or the USCC (as typed: upper-cased, trimmed)
        by_code = Enterprise.uscc.startswith(q.strip().upper(), autoescape=True)
        stmt = stmt.where(or_(Enterprise.name.contains(q, autoescape=True), by_code))
    return stmt
