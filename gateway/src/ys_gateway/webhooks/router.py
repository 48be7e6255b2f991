"""``/api/v1/admin/webhooks``: subscriptions of integration clients and their deliveries."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Path, Request, Response
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import select

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal
from yingshang.db import SessionDep
from yingshang.idempotency import idempotent_post
from yingshang.problems import Invalid, NotFound
from ys_gateway.access import bureau_admin
from ys_gateway.crypto import SecretBox
from ys_gateway.directory.changes import changed
from ys_gateway.models import Client, Webhook, WebhookAttempt, WebhookDelivery
from ys_gateway.pagination import Cursor, Limit, Page, page_rows
from ys_gateway.webhooks.rules import PATTERN, SUBSCRIBE_SCOPE
from ys_gateway.webhooks.signing import new_secret
from ys_gateway.webhooks.targets import TargetPolicy, TargetRefused

hooks = router("/api/v1/admin/webhooks", tags=["webhooks"])
ADMIN = [allow(bureau_admin())]
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "no or bad token"},
    403: {"description": "not an (active) administrator at the bureau"},
    404: {"description": "not found"},
    422: {"description": "invalid input"},
}
Seq = Annotated[int, Path(ge=1, le=2**63 - 1)]
Patterns = Annotated[list[str], Field(min_length=1, max_length=50)]


def _patterns(values: list[str]) -> list[str]:
    bad = [v for v in values if not PATTERN.match(v)]
    if bad:
        raise ValueError(f"不是有效的事件类型模式（ys.<服务>.<对象>.<事件>，可用 * 或 >）：{bad}")
    return values


class WebhookIn(BaseModel):
    client_id: str
    url: AnyHttpUrl
    event_types: Patterns = Field(examples=[["ys.hotline.ticket.*", "ys.approvals.>"]])
    description: Annotated[str, Field(max_length=200)] | None = None

    @field_validator("event_types")
    @classmethod
    def _check(cls, values: list[str]) -> list[str]:
        return _patterns(values)


class WebhookPatch(BaseModel):
    url: AnyHttpUrl | None = None
    event_types: Patterns | None = None
    description: Annotated[str, Field(max_length=200)] | None = None
    active: bool | None = None

    @field_validator("event_types")
    @classmethod
    def _check(cls, values: list[str] | None) -> list[str] | None:
        return None if values is None else _patterns(values)


class WebhookOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    client_id: str
    url: str
    event_types: list[str]
    description: str | None
    active: bool
    created_at: datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(description="whsec_ signing secret, shown once")


class DeliveryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int
    event_id: str
    event_type: str
    subject: str
    status: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    delivered_at: datetime | None
    last_error: str | None


class AttemptOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int


async def _permitted(request: Request, url: AnyHttpUrl) -> str:
    """``url`` if a webhook may be sent there (``webhooks.targets``), else 422."""
    policy: TargetPolicy = request.app.state.webhook_targets
    try:
        await policy.check(str(url))
    except TargetRefused as exc:
        raise Invalid(f"不能向该地址推送：{exc}", field="url") from exc
    return str(url)


async def _hook(session: SessionDep, hook_id: uuid.UUID) -> Webhook:
    hook = await session.get(Webhook, hook_id)
    if hook is None:
        raise NotFound(f"没有推送订阅 {hook_id}")
    return hook


@idempotent_post(
    hooks, "", dependencies=ADMIN, status_code=201, response_model=WebhookCreated, responses=ERRORS
)
async def create_webhook(
    body: WebhookIn, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> WebhookCreated:
    client = await session.get(Client, body.client_id)
    if client is None:
        raise Invalid(f"没有接口客户端 {body.client_id}", field="client_id")
    if SUBSCRIBE_SCOPE not in client.scopes:
        raise Invalid(f"该接口客户端没有 {SUBSCRIBE_SCOPE} 权限", field="client_id")
    url = await _permitted(request, body.url)
    secret, box = new_secret(), request.app.state.secrets
    assert isinstance(box, SecretBox)
    hook = Webhook(
        client_id=client.client_id,
        url=url,
        event_types=body.event_types,
        description=body.description,
        secret_enc=box.seal(secret),
    )
    session.add(hook)
    await session.flush()
    await changed(
        session,
        principal,
        kind="webhook",
        key=str(hook.id),
        action="created",
        data={"client_id": hook.client_id, "url": hook.url},
        publish=False,
    )
    return WebhookCreated(**WebhookOut.model_validate(hook).model_dump(), secret=secret)


@hooks.get("", dependencies=ADMIN, response_model=Page[WebhookOut], responses=ERRORS)
async def list_webhooks(
    session: SessionDep, limit: Limit = 100, cursor: Cursor = None, client_id: str | None = None
) -> Page[WebhookOut]:
    stmt = select(Webhook)
    if client_id:
        stmt = stmt.where(Webhook.client_id == client_id)
    rows, after = await page_rows(session, stmt, Webhook.id, limit, cursor)
    return Page(items=[WebhookOut.model_validate(r) for r in rows], next_cursor=after)


@hooks.get("/{hook_id}", dependencies=ADMIN, response_model=WebhookOut, responses=ERRORS)
async def get_webhook(hook_id: uuid.UUID, session: SessionDep) -> WebhookOut:
    return WebhookOut.model_validate(await _hook(session, hook_id))


@hooks.patch("/{hook_id}", dependencies=ADMIN, response_model=WebhookOut, responses=ERRORS)
async def update_webhook(
    hook_id: uuid.UUID,
    body: WebhookPatch,
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> WebhookOut:
    hook = await _hook(session, hook_id)
    if body.url is not None:
        await _permitted(request, body.url)
    fields = body.model_dump(exclude_unset=True, exclude_none=True, mode="json")
    for name, value in fields.items():
        setattr(hook, name, value)
    await session.flush()
    await changed(
        session,
        principal,
        kind="webhook",
        key=str(hook.id),
        action="updated",
        data=fields,
        publish=False,
    )
    return WebhookOut.model_validate(hook)


@hooks.delete("/{hook_id}", dependencies=ADMIN, status_code=204, responses=ERRORS)
async def delete_webhook(
    hook_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    hook = await _hook(session, hook_id)
    await session.delete(hook)
    await changed(
        session,
        principal,
        kind="webhook",
        key=str(hook_id),
        action="deleted",
        data={"client_id": hook.client_id},
        publish=False,
    )
    return Response(status_code=204)


@hooks.get(
    "/{hook_id}/deliveries", dependencies=ADMIN, response_model=Page[DeliveryOut], responses=ERRORS
)
async def list_deliveries(
    hook_id: uuid.UUID,
    session: SessionDep,
    limit: Limit = 100,
    cursor: Cursor = None,
    status: Literal["pending", "delivered", "failed"] | None = None,
) -> Page[DeliveryOut]:
    await _hook(session, hook_id)
    stmt = select(WebhookDelivery).where(WebhookDelivery.webhook_id == hook_id)
    if status:
        stmt = stmt.where(WebhookDelivery.status == status)
    rows, after = await page_rows(session, stmt, WebhookDelivery.seq, limit, cursor)
    return Page(items=[DeliveryOut.model_validate(r) for r in rows], next_cursor=after)


@hooks.get(
    "/{hook_id}/deliveries/{seq}/attempts",
    dependencies=ADMIN,
    response_model=list[AttemptOut],
    responses=ERRORS,
)
async def list_attempts(hook_id: uuid.UUID, seq: Seq, session: SessionDep) -> list[AttemptOut]:
    delivery = await session.get(WebhookDelivery, seq)
    if delivery is None or delivery.webhook_id != hook_id:
        raise NotFound(f"推送订阅 {hook_id} 没有第 {seq} 次推送")
    rows = await session.scalars(
        select(WebhookAttempt).where(WebhookAttempt.delivery_seq == seq).order_by(WebhookAttempt.at)
    )
    return [AttemptOut.model_validate(r) for r in rows]
