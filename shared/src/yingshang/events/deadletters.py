"""Admin endpoints for dead letters, mounted by every service that consumes events.

``GET  /api/v1/<service>/admin/dead-letters`` lists them (newest first, ``limit`` + ``cursor``);
``POST /api/v1/<service>/admin/dead-letters/{id}/replay`` runs one through the consumer's
handler and inbox inside the request's transaction: it applies at most once, and a failure
rolls everything back and leaves the letter as it was. The gateway mounts the same router at
``/api/v1/admin/dead-letters`` for its own consumers (webhook intake, deadline SMS), which are
built per source stream from its settings: a letter's consumer is looked up in the specs given
and then in those the running app has built (``running_specs``).

System administration is the bureau's (``BUREAU/admin``). A dead letter holds an event as it
came, and some events carry personal data on purpose (a 12345 transfer carries the
complainant to the complaints center): the listing shows the envelope, ids, codes, times and
numbers, and every other text masked (``redacted``). Replay reads the stored event itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import orjson
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.app import allow, router
from yingshang.auth import AccessRule, county_admin
from yingshang.clock import now
from yingshang.db import SessionDep
from yingshang.events.catalogue import EventRejected
from yingshang.events.consumer import ConsumerSpec, running_specs
from yingshang.events.inbox import DeadLetter, apply_once
from yingshang.masking import mask
from yingshang.problems import Conflict, DomainError, Invalid, NotFound

ERRORS = {
    404: {"description": "no such dead letter"},
    409: {"description": "already replayed, consumer unknown, or the handler failed"},
    422: {"description": "the stored event is still invalid"},
}


class DeadLetterOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    consumer: str
    event_id: str | None
    subject: str
    payload: str
    reason: str
    attempts: int
    stream_seq: int | None
    at: datetime
    replayed_at: datetime | None


class DeadLetterPage(BaseModel):
    items: list[DeadLetterOut]
    next_cursor: str | None


class ReplayOut(BaseModel):
    id: int
    applied: bool  # False: the inbox shows the event had been applied already
    replayed_at: datetime


# Fields shown as they are: what identifies the event and the case, never a person.
SHOWN_KEYS = frozenset(
    {"id", "type", "source", "subject", "time", "specversion", "datacontenttype",
     "traceparent", "department", "stage", "level", "state", "status", "outcome", "node",
     "service", "urgency", "category", "channel", "respondent"}
)  # fmt: skip
SHOWN_SUFFIXES = ("_id", "_at", "_number", "_kind", "_code", "_on", "_count", "_level")


def redacted(payload: str) -> str:
    """The stored event with every text that could name a person masked (see the module)."""
    try:
        document = orjson.loads(payload)
    except orjson.JSONDecodeError:
        return f"[not JSON: {len(payload)} bytes]"
    return orjson.dumps(_redact(document, shown=False)).decode()


def _redact(value: object, *, shown: bool) -> object:
    if isinstance(value, dict):
        return {k: _redact(v, shown=_shown(str(k))) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v, shown=shown) for v in value]
    if isinstance(value, str) and not shown:
        return mask(value, 1, 0) if len(value) > 1 else "*"
    return value


def _shown(key: str) -> bool:
    return key in SHOWN_KEYS or key.endswith(SHOWN_SUFFIXES)


ADMIN = county_admin()


def dead_letter_router(
    service: str,
    consumers: Sequence[ConsumerSpec] = (),
    *,
    prefix: str | None = None,
    rule: AccessRule = ADMIN,
) -> APIRouter:
    """The admin router of ``service`` for the dead letters of ``consumers`` and of the
    consumers the running app has built; at ``/api/v1/<service>/admin/dead-letters`` (or
    ``prefix``), for ``rule``."""
    specs = {spec.durable: spec for spec in consumers}
    api = router(prefix or f"/api/v1/{service}/admin/dead-letters", tags=["events"])

    @api.get(
        "",
        dependencies=[allow(rule)],
        response_model=DeadLetterPage,
        summary="List dead letters (events no handler could apply)",
        responses={422: {"description": "bad cursor"}},
    )
    async def list_dead_letters(
        session: SessionDep,
        limit: int = Query(50, ge=1, le=200),
        cursor: str | None = None,
        pending: bool | None = Query(None, description="true: not yet replayed"),
    ) -> DeadLetterPage:
        query = select(DeadLetter).order_by(DeadLetter.id.desc()).limit(limit)
        if cursor is not None:
            query = query.where(DeadLetter.id < _cursor(cursor))
        if pending is not None:
            query = query.where(
                DeadLetter.replayed_at.is_(None) if pending else DeadLetter.replayed_at.isnot(None)
            )
        rows = list((await session.execute(query)).scalars())
        items = [
            DeadLetterOut.model_validate(r).model_copy(update={"payload": redacted(r.payload)})
            for r in rows
        ]
        return DeadLetterPage(
            items=items, next_cursor=str(rows[-1].id) if len(rows) == limit else None
        )

    @api.post(
        "/{letter_id}/replay",
        dependencies=[allow(rule)],
        response_model=ReplayOut,
        summary="Replay a dead letter through its consumer (applies at most once)",
        responses=ERRORS,  # type: ignore[arg-type]
    )
    async def replay_dead_letter(
        letter_id: int, session: SessionDep, request: Request
    ) -> ReplayOut:
        letter = await session.get(DeadLetter, letter_id, with_for_update=True)
        if letter is None:
            raise NotFound(f"没有死信 {letter_id}")
        if letter.replayed_at is not None:
            raise Conflict("该死信已重放过", code="already-replayed")
        spec = specs.get(letter.consumer) or running_specs(request.app).get(letter.consumer)
        if spec is None:
            raise Conflict(f"本服务没有消费者 {letter.consumer}", code="no-consumer")
        applied = await _replay(session, spec, letter)
        assert letter.replayed_at is not None
        return ReplayOut(id=letter.id, applied=applied, replayed_at=letter.replayed_at)

    return api


async def _replay(session: SessionDep, spec: ConsumerSpec, letter: DeadLetter) -> bool:
    try:
        return await replay(session, spec, letter)
    except EventRejected as exc:
        raise Invalid(exc.reason, code="still-invalid", field="payload") from exc
    except DomainError:
        raise
    except Exception as exc:  # the handler failed: the request's transaction rolls back
        raise Conflict(f"处理失败：{type(exc).__name__}: {exc}", code="handler-failed") from exc


def _cursor(value: str) -> int:
    if not value.isdigit():
        raise Invalid("翻页游标无效：不是本接口给出的", field="cursor")
    return int(value)


async def replay(session: AsyncSession, spec: ConsumerSpec, letter: DeadLetter) -> bool:
    """Run a dead letter through the same inbox path; False if it had been applied already.

    Raises :class:`EventRejected` while the stored event is still invalid for the catalogue.
    """
    parsed = spec.catalogue.parse(letter.payload.encode(), subject=letter.subject)
    handler = spec.handler_for(parsed.event.type)
    if handler is None:
        raise EventRejected(f"no handler for {parsed.event.type}", kind="unknown")
    applied = await apply_once(session, spec.durable, parsed, handler)
    letter.replayed_at = now()
    return applied
