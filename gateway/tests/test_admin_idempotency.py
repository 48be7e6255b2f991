"""``Idempotency-Key`` on the gateway's creating POSTs (ARCHITECTURE.md, HTTP conventions): a
retried webhook, client, user or department is made once and the retry replays the first
answer; the same key with another body is a 422 problem. Answers that carry a secret shown
once (a webhook's signing secret, a client secret) are kept sealed while they wait for a
retry: the idempotency table never holds the secret in clear."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from yingshang.idempotency import IdempotencyRecord
from ys_gateway.models import Client, Department, User, Webhook

from .kit import Gateway

HOOKS = "/api/v1/admin/webhooks"
HOOK = {"client_id": "province", "url": "http://127.0.0.1:9/hook", "event_types": ["ys.hotline.>"]}
CLIENT = {"client_id": "agency-a", "name": "某委办局系统", "scopes": ["hotline:write"]}
USER = {
    "username": "li.si",
    "name": "李四",
    "password": "temporary-pass-1",
    "positions": [{"dept": "HALL", "role": "staff"}],
}
DEPARTMENT = {"code": "NEW_OFFICE", "name": "新设机构", "kind": "department"}


async def rows(gateway: Gateway, model: Any) -> int:
    async with gateway.app.state.db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def stored_bodies(gateway: Gateway) -> list[bytes]:
    async with gateway.app.state.db.read() as session:
        return [b or b"" for b in await session.scalars(select(IdempotencyRecord.body))]


@pytest.mark.parametrize(
    ("path", "body", "other", "model", "secret"),
    [
        (HOOKS, HOOK, {**HOOK, "url": "http://127.0.0.1:9/other"}, Webhook, "secret"),
        ("/api/v1/admin/clients", CLIENT, {**CLIENT, "name": "另一个"}, Client, "client_secret"),
        ("/api/v1/admin/users", USER, {**USER, "name": "李五"}, User, None),
        ("/api/v1/admin/departments", DEPARTMENT, {**DEPARTMENT, "name": "别的"}, Department, None),
    ],
)
async def test_a_retried_creation_makes_one_object(
    gateway: Gateway,
    path: str,
    body: dict[str, Any],
    other: dict[str, Any],
    model: Any,
    secret: str | None,
) -> None:
    admin = {**(await gateway.headers("admin")), "Idempotency-Key": "create-0001"}
    before = await rows(gateway, model)
    first = await gateway.client.post(path, json=body, headers=admin)
    again = await gateway.client.post(path, json=body, headers=admin)
    reused = await gateway.client.post(path, json=other, headers=admin)
    made = await rows(gateway, model) - before
    stored = await stored_bodies(gateway)
    assert first.status_code == 201, first.text
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()  # the secret too: the caller who lost it gets it
    assert reused.status_code == 422
    assert reused.headers["content-type"].startswith("application/problem+json")
    assert reused.json()["field"] == "Idempotency-Key"
    assert made == 1
    assert len(stored) == 1
    if secret is not None:
        shown = first.json()[secret].encode()
        assert shown not in stored[0]  # sealed at rest (Fernet, from YS_KEY_SECRET)
        assert b"province" not in stored[0]
        assert b"agency-a" not in stored[0]
