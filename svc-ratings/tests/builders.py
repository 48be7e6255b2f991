"""Builders of the ratings suite: who calls, and the events other services would send."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from yingshang.clock import now
from yingshang.events.catalogue import ParsedEvent
from yingshang.events.consumer import ConsumerSpec
from yingshang.events.envelope import CloudEvent, make_event
from yingshang.events.inbox import apply_once
from yingshang.events.outbox import OutboxEvent
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.tokens import TestIssuer

CENTER = "RATINGS_CENTER"
DEPT = "SCJGJ"  # 市场监督管理局, the rated department of most tests
OTHER_DEPT = "ZJJ"


@dataclass
class People:
    issuer: TestIssuer

    def as_(self, *positions: tuple[str, str], staff_no: str | None = None) -> dict[str, str]:
        return self.issuer.headers(*positions, staff_no=staff_no or f"T{uuid.uuid4().hex[:6]}")

    def center(self, role: str = "staff") -> dict[str, str]:
        return self.as_((CENTER, role))

    def bureau(self, role: str = "staff") -> dict[str, str]:
        return self.as_(("BUREAU", role))

    def committee(self) -> dict[str, str]:
        return self.as_(("COMMITTEE", "head"))

    def department(self, dept: str = DEPT, role: str = "staff") -> dict[str, str]:
        return self.as_((dept, role))

    def province(self, *scopes: str) -> dict[str, str]:
        return self.issuer.headers(
            scopes=scopes or ("ratings:write", "ratings:read"), client_id="province"
        )


def case_fields(**overrides: Any) -> dict[str, Any]:
    case_id = overrides.pop("case_id", None) or str(uuid.uuid4())
    return {
        "case_id": str(case_id),
        "case_number": f"BJ{uuid.uuid4().hex[:10].upper()}",
        "department": DEPT,
        "origin_client": None,
        **overrides,
    }


def completed(node: str = "finish", **overrides: Any) -> dict[str, Any]:
    return {
        **case_fields(**overrides),
        "node": node,
        "item_code": "11520327MB1D40000X4000000000001",
        "item_name": "食品经营许可",
        "window": "HALL_COUNTY/W05",
        "staff_no": "ZW2001",
        "channel": "window",
        "rater_type": "person",
        "service": "approvals",
        "case_kind": "application",
    } | {k: v for k, v in overrides.items() if k not in ("case_id",)}


def stage_event(
    case: dict[str, Any], stage_id: str, level: int, due_at: datetime, **extra: Any
) -> dict[str, Any]:
    return {
        **{k: case[k] for k in ("case_id", "case_number", "department", "origin_client")},
        "case_kind": "application",
        "stage": "review",
        "level": level,
        "stage_id": stage_id,
        "due_at": due_at.isoformat(),
        **extra,
    }


@dataclass
class Events:
    """Applies events the way the consumers do (inbox + handler in one transaction)."""

    sut: ServiceUnderTest
    specs: list[ConsumerSpec] = field(init=False)

    def __post_init__(self) -> None:
        self.specs = list(self.sut.app.state.ratings_consumers)  # the app's own (its settings)

    def spec_for(self, type_: str) -> ConsumerSpec:
        return next(s for s in self.specs if type_ in s.handlers)

    async def send(
        self,
        type_: str,
        data: dict[str, Any],
        *,
        event_id: str | None = None,
        at: datetime | None = None,
    ) -> CloudEvent:
        service = type_.split(".")[1]
        event = make_event(service, type_, data, subject=f"x/{data.get('case_id')}")
        event = event.model_copy(update={"id": event_id or event.id, "time": at or now()})
        spec = self.spec_for(type_)
        parsed = spec.catalogue.validate(event)
        async with self.sut.app.state.db.write() as session:
            await apply_once(session, spec.durable, parsed, spec.handlers[type_])
        return event

    async def validate(self, type_: str, data: dict[str, Any]) -> ParsedEvent:
        service = type_.split(".")[1]
        return self.spec_for(type_).catalogue.validate(make_event(service, type_, data))

    async def outbox(self, type_: str) -> list[dict[str, Any]]:
        """Events written to the outbox, in commit order (``type_`` may end with ``*``)."""
        match = (
            OutboxEvent.subject.startswith(type_[:-1])
            if type_.endswith("*")
            else OutboxEvent.subject == type_
        )
        async with self.sut.app.state.db.read() as session:
            rows = await session.scalars(select(OutboxEvent).where(match).order_by(OutboxEvent.seq))
            return [dict(r.payload) for r in rows]

    async def invitation_token(self, node: str = "finish", **overrides: Any) -> str:
        """A completed node → its invitation; the token as the SMS link would carry it."""
        data = completed(node, **overrides)
        await self.send("ys.approvals.application.completed", data)
        created = await self.outbox("ys.ratings.invitation.created")
        url = next(
            e["data"]["token_url"]
            for e in reversed(created)
            if e["data"]["case_id"] == data["case_id"] and e["data"]["node"] == node
        )
        return str(url).rsplit("/", 1)[1]


async def rate_link(sut: ServiceUnderTest, token: str, level: int, **body: Any) -> dict[str, Any]:
    response = await sut.client.post(
        f"/api/v1/ratings/invitations/{token}/rating", json={"level": level, **body}
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def rated(sut: ServiceUnderTest, events: Events, level: int, **overrides: Any) -> str:
    """One 办件 completed and rated ``level`` through its link; returns the rating id."""
    token = await events.invitation_token(**overrides)
    return str((await rate_link(sut, token, level))["rating_id"])
