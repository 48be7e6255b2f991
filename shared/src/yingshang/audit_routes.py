"""Reading and verifying the audit log (``ys_audit``, :mod:`yingshang.audit`): one router,
mounted by every service and the gateway.

``GET <prefix>`` lists entries newest first (``limit`` + ``cursor``), filtered by action,
actor (token ``sub`` or 工号), object (kind, id) and time range; ``GET <prefix>/verify`` walks
the whole hash chain and answers whether it holds, the first broken link if not, and the head
(seq + hash) to publish elsewhere. Given a head published earlier (``seq`` + ``hash``), it also
says whether that row still carries that hash: a chain cut back or rewritten from some row on
links again, but no longer matches what was published (deploy/README.md, 等保 2.0).

System administration is the bureau's (``BUREAU/admin``, as for dead letters). Entries are
shown as stored, except phone and ID numbers, masked wherever they appear (an entry should
hold none: it names fields, not their values; a free-text reason might).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang import audit
from yingshang.app import allow, router
from yingshang.audit import AuditEntry
from yingshang.auth import AccessRule
from yingshang.cases.pagination import INT64_MAX, Page, PageParams, paginate
from yingshang.clock import now
from yingshang.db import SessionDep
from yingshang.events.deadletters import ADMIN
from yingshang.masking import mask_numbers
from yingshang.problems import Invalid
from yingshang.validators import PlausibleDateTime

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "no or bad token"},
    403: {"description": "not an administrator at the bureau"},
}


class AuditEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int
    at: datetime
    actor: str = Field(description="token sub, or system:<component>")
    staff_no: str | None = Field(description="工号 of the actor")
    position: str | None = Field(description="<dept>:<role> acted as")
    action: str
    object_kind: str | None
    object_id: str | None
    request_id: str | None
    detail: dict[str, Any] = Field(description="as stored; phone and ID numbers masked")
    prev_hash: str
    hash: str


class ChainOut(BaseModel):
    """The chain walked from its oldest row: ``ok``, or the first broken ``seq`` and why."""

    ok: bool
    checked: int = Field(description="rows that linked and hashed before the first broken one")
    first_broken: int | None
    reason: str | None
    head_seq: int = Field(description="the newest row when the walk began (0: empty log)")
    head_hash: str = Field(description="its hash: publish it with head_seq (deploy/README.md)")
    anchor_ok: bool | None = Field(
        description="the row ``seq`` still carries the published ``hash`` (null: none given)"
    )
    verified_at: datetime


def _entry(row: AuditEntry) -> AuditEntryOut:
    out = AuditEntryOut.model_validate(row)
    return out.model_copy(update={"detail": mask_numbers(row.detail)})


async def _still_there(session: AsyncSession, seq: int, hash_: str | None) -> bool:
    stored = await session.scalar(select(AuditEntry.hash).where(AuditEntry.seq == seq))
    return stored is not None and stored == hash_


def audit_router(service: str, prefix: str | None = None, rule: AccessRule = ADMIN) -> APIRouter:
    """``/api/v1/<service>/admin/audit`` (or ``prefix``) and ``.../verify`` for ``rule``."""
    api = router(prefix or f"/api/v1/{service}/admin/audit", tags=["audit"])

    @api.get(
        "",
        dependencies=[allow(rule)],
        response_model=Page[AuditEntryOut],
        summary="The audit log, newest first (bureau administrators)",
        responses={**ERRORS, 422: {"description": "bad filter or cursor"}},
    )
    async def list_audit(
        session: SessionDep,
        page: PageParams,
        action: Annotated[str | None, Query(max_length=80)] = None,
        actor: Annotated[
            str | None, Query(max_length=120, description="token sub or 工号 (staff_no)")
        ] = None,
        object_kind: Annotated[str | None, Query(max_length=40)] = None,
        object_id: Annotated[str | None, Query(max_length=80)] = None,
        since: Annotated[
            PlausibleDateTime | None, Query(description="at or after (no offset: Asia/Shanghai)")
        ] = None,
        until: Annotated[PlausibleDateTime | None, Query(description="before")] = None,
    ) -> Page[AuditEntryOut]:
        stmt = select(AuditEntry)
        if action is not None:
            stmt = stmt.where(AuditEntry.action == action)
        if actor is not None:
            stmt = stmt.where(or_(AuditEntry.actor == actor, AuditEntry.staff_no == actor))
        if object_kind is not None:
            stmt = stmt.where(AuditEntry.object_kind == object_kind)
        if object_id is not None:
            stmt = stmt.where(AuditEntry.object_id == object_id)
        if since is not None:
            stmt = stmt.where(AuditEntry.at >= since)
        if until is not None:
            stmt = stmt.where(AuditEntry.at < until)
        rows, cursor = await paginate(
            session, stmt, page, sort=AuditEntry.seq, id_col=AuditEntry.seq
        )
        return Page(items=[_entry(r) for r in rows], next_cursor=cursor)

    @api.get(
        "/verify",
        dependencies=[allow(rule)],
        response_model=ChainOut,
        summary="Walk the hash chain: intact, or the first broken link; and the head to publish",
        responses={**ERRORS, 422: {"description": "a seq without its hash, or a bad hash"}},
    )
    async def verify_audit(
        session: SessionDep,
        seq: Annotated[
            int | None, Query(ge=1, le=INT64_MAX, description="a published head's seq")
        ] = None,
        anchor_hash: Annotated[
            str | None, Query(alias="hash", pattern="^[0-9a-f]{64}$", description="its hash")
        ] = None,
    ) -> ChainOut:
        if (seq is None) != (anchor_hash is None):
            raise Invalid("核对公布的链头须同时给出序号（seq）和哈希（hash）", field="hash")
        # The head is read first: rows appended during the walk are checked too, so an ``ok``
        # answer vouches for every row up to the head it names.
        head_seq, head_hash = await audit.head(session)
        report = await audit.verify(session)
        anchor = None if seq is None else await _still_there(session, seq, anchor_hash)
        return ChainOut(
            ok=report.ok,
            checked=report.checked,
            first_broken=report.first_broken,
            reason=report.reason,
            head_seq=head_seq,
            head_hash=head_hash,
            anchor_ok=anchor,
            verified_at=now(),
        )

    return api
