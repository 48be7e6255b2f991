"""Builders: who is calling (tokens per position) and tickets walked to a given state."""

from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import select, update

from yingshang.events.outbox import OutboxEvent
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.tokens import TestIssuer
from yingshang.time.models import Policy

BASE = "/api/v1/hotline"


@dataclass
class People:
    issuer: TestIssuer

    def at(self, dept: str, role: str, staff_no: str | None = None) -> dict[str, str]:
        return self.issuer.headers((dept, role), staff_no=staff_no or f"{dept[:2]}{role[:2]}01")

    @property
    def operator(self) -> dict[str, str]:  # 话务员
        return self.at("HOTLINE_CENTER", "clerk", "RX1001")

    @property
    def center_head(self) -> dict[str, str]:
        return self.at("HOTLINE_CENTER", "head", "RX1000")

    @property
    def bureau(self) -> dict[str, str]:
        return self.at("BUREAU", "staff", "YS0003")

    def head(self, dept: str) -> dict[str, str]:
        return self.at(dept, "head")

    def staff(self, dept: str) -> dict[str, str]:
        return self.at(dept, "staff")

    def clerk(self, dept: str) -> dict[str, str]:
        return self.at(dept, "clerk")

    def province(self) -> dict[str, str]:
        return self.issuer.headers(client_id="province", scopes=["hotline:write"])


async def with_etag(
    client: httpx.AsyncClient, path: str, headers: dict[str, str]
) -> dict[str, str]:
    """``headers`` plus ``If-Match`` with the ETag a read of ``path`` answers now."""
    read = await client.get(path, headers=headers)
    assert read.status_code == 200, read.text
    return {**headers, "If-Match": read.headers["ETag"]}


def ticket_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "complaint",
        "category_code": "SCJG_FOOD",
        "title": "餐馆卫生问题",
        "content": "某餐馆后厨卫生条件差，存在食品安全隐患，请相关部门核查处理。",
        "location": "龙泉镇新街12号",
        "requester": {"name": "张三", "phone": "13812345678"},
    }
    body.update(overrides)
    return body


async def create(
    client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any
) -> dict[str, Any]:
    response = await client.post(f"{BASE}/tickets", json=ticket_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def step(
    client: httpx.AsyncClient,
    ticket: dict[str, Any],
    action: str,
    headers: dict[str, str],
    body: dict[str, Any] | None = None,
    *,
    expect: int = 200,
) -> dict[str, Any]:
    """POST an action with the ticket's current ETag; returns the new ticket view."""
    etag = f'"ticket-{ticket["id"]}-{ticket["version"]}"'
    response = await client.post(
        f"{BASE}/tickets/{ticket['id']}/{action}",
        json=body or {},
        headers={**headers, "If-Match": etag},
    )
    assert response.status_code == expect, response.text
    return dict(response.json()) if expect == 200 else ticket


async def in_seconds(hotline: ServiceUnderTest, stage: str, **values: Any) -> None:
    """The hotline's ``stage`` limit shortened to 10 natural seconds (and ``values``: ladder,
    warning fraction), so a test sweeps past it by moving the frozen clock."""
    async with hotline.app.state.db.write() as session:
        await session.execute(
            update(Policy)
            .where(Policy.service == "hotline", Policy.stage == stage)
            .values(amount=10, unit="natural_seconds", **values)
        )


async def outbox_events(hotline: ServiceUnderTest, ticket_id: str) -> list[dict[str, Any]]:
    """The events written to the outbox about one ticket, in the order they go out."""
    async with hotline.app.state.db.read() as session:
        rows = await session.scalars(
            select(OutboxEvent.payload)
            .where(OutboxEvent.case_key == f"ticket/{ticket_id}")
            .order_by(OutboxEvent.seq)
        )
        return [dict(r) for r in rows]
