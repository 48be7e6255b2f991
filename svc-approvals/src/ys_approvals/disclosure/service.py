"""四公开: departments publish their own documents and 权责清单; every change is kept."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal, county_admin
from yingshang.cases.etag import check_if_match
from yingshang.problems import Forbidden, NotFound
from ys_approvals import history
from ys_approvals.disclosure.models import DisclosureDocument, PowerEntry
from ys_approvals.disclosure.schemas import (
    DocumentIn,
    DocumentOut,
    DocumentPatch,
    PowerIn,
    PowerOut,
    PowerPatch,
)

Record = TypeVar("Record", DisclosureDocument, PowerEntry)


def check_publisher(principal: Principal, department: str) -> None:
    """A department publishes its own lists (its head or its admin); the county's
    administrators (BUREAU/admin) maintain any. Another unit's admin publishes nothing here."""
    if not (county_admin().allows(principal) or principal.has(("head", "admin"), department)):
        raise Forbidden(f"只有 {department} 的负责人或管理员、或县级系统管理员可以为其发布")


def _snapshot(record: DisclosureDocument | PowerEntry) -> dict[str, Any]:
    out: type[BaseModel] = DocumentOut if isinstance(record, DisclosureDocument) else PowerOut
    return out.model_validate(record).model_dump(mode="json")


def entity(record: DisclosureDocument | PowerEntry) -> str:
    """The record's kind, in its history and its ETag."""
    return "document" if isinstance(record, DisclosureDocument) else "power"


async def _remember(
    session: AsyncSession, record: DisclosureDocument | PowerEntry, change: str, actor: Principal
) -> None:
    await history.remember(
        session,
        entity=entity(record),
        entity_id=record.id,
        version=record.version,
        change=change,
        snapshot=_snapshot(record),
        actor=actor,
    )


async def publish_document(
    session: AsyncSession, body: DocumentIn, actor: Principal
) -> DisclosureDocument:
    check_publisher(actor, body.department)
    doc = DisclosureDocument(**body.model_dump(mode="python"))
    session.add(doc)
    await session.flush()
    await _remember(session, doc, "created", actor)
    return doc


async def publish_power(session: AsyncSession, body: PowerIn, actor: Principal) -> PowerEntry:
    check_publisher(actor, body.department)
    entry = PowerEntry(**body.model_dump(mode="json"))
    session.add(entry)
    await session.flush()
    await _remember(session, entry, "created", actor)
    return entry


async def revise(
    session: AsyncSession,
    record: Record,
    body: DocumentPatch | PowerPatch,
    actor: Principal,
    if_match: str | None,
) -> Record:
    """Revise (or retire) the version read: the publisher's own (403), then If-Match (428
    without it, 412 when someone else revised it since)."""
    check_publisher(actor, record.department)
    check_if_match(if_match, record, entity(record))
    changes = body.model_dump(mode="json", exclude_unset=True)
    if "effective_on" in changes:
        changes["effective_on"] = getattr(body, "effective_on", None)
    for key, value in changes.items():
        setattr(record, key, value)
    await session.flush()
    await _remember(
        session, record, "retired" if changes.get("active") is False else "updated", actor
    )
    return record


async def get_record(session: AsyncSession, model: type[Record], record_id: uuid.UUID) -> Record:
    record = await session.get(model, record_id)
    if record is None:
        raise NotFound("没有这条记录")
    return record


def documents_query(
    kind: str | None, department: str | None, include_retired: bool
) -> Select[DisclosureDocument]:
    query = select(DisclosureDocument)
    if kind:
        query = query.where(DisclosureDocument.kind == kind)
    if department:
        query = query.where(DisclosureDocument.department == department)
    if not include_retired:
        query = query.where(DisclosureDocument.active.is_(True))
    return query


def powers_query(
    department: str | None, power_type: str | None, include_retired: bool
) -> Select[PowerEntry]:
    query = select(PowerEntry)
    if department:
        query = query.where(PowerEntry.department == department)
    if power_type:
        query = query.where(PowerEntry.power_type == power_type)
    if not include_retired:
        query = query.where(PowerEntry.active.is_(True))
    return query
