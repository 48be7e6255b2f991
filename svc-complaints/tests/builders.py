"""Builders of the complaints suite: who is calling, complaint bodies, cases walked to a state."""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from yingshang.events.envelope import CloudEvent, make_event
from yingshang.events.sealed import Passage
from yingshang.testing.builders import Builder
from yingshang.testing.tokens import TestIssuer

BASE = "/api/v1/complaints"
CENTER = "COMPLAINTS_CENTER"
RESPONDENT = "SCJGJ"  # 市场监督管理局, the body complained about
# A fictional enterprise: its identity must never reach the respondent.
ENTERPRISE = {
    "name": "凤冈县绿源茶业有限公司",
    "uscc": "91520327MA6DM8Q41N",
    "contact_name": "王五",
    "contact_phone": "13512345678",
}
START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 10:00 Asia/Shanghai, no holidays


@dataclass
class People:
    issuer: TestIssuer

    def at(self, dept: str, role: str, staff_no: str | None = None) -> dict[str, str]:
        return self.issuer.headers(
            (dept, role), staff_no=staff_no or f"{dept[:2]}{role[:2]}01", name=f"{dept}{role}"
        )

    @property
    def clerk(self) -> dict[str, str]:  # 投诉中心 front line
        return self.at(CENTER, "clerk", "TS3002")

    @property
    def officer(self) -> dict[str, str]:  # 投诉中心 staff: decides, reviews
        return self.at(CENTER, "staff", "TS3001")

    @property
    def center_head(self) -> dict[str, str]:
        return self.at(CENTER, "head", "TS3000")

    @property
    def bureau(self) -> dict[str, str]:
        return self.at("BUREAU", "staff", "YS0003")

    @property
    def committee(self) -> dict[str, str]:
        return self.at("COMMITTEE", "head", "YS0005")

    def head(self, dept: str = RESPONDENT) -> dict[str, str]:
        return self.at(dept, "head")

    def staff(self, dept: str = RESPONDENT) -> dict[str, str]:
        return self.at(dept, "staff")

    def admin(self) -> dict[str, str]:
        return self.at("BUREAU", "admin", "YS0001")

    def province(self) -> dict[str, str]:
        return self.issuer.headers(client_id="province", scopes=["complaints:write"])


@dataclass(frozen=True)
class AComplaint(Builder[dict[str, Any]]):
    """A real-name complaint against 市场监督管理局 (by default)."""

    real_name: bool = True
    enterprise: dict[str, str] | None = field(default_factory=lambda: dict(ENTERPRISE))
    respondent: str | None = RESPONDENT
    category: str = "arbitrary_charges"
    title: str = "检查中要求购买指定检测设备"
    facts: str = (
        "凤冈县绿源茶业有限公司反映：市场监管执法人员多次到厂检查，要求本企业向指定供应商"
        "购买检测设备，否则不予通过检查。联系人王五，电话13512345678。"
    )
    extra: dict[str, Any] = field(default_factory=dict)

    def anonymous(self) -> "AComplaint":
        return self.with_(real_name=False, enterprise=None)

    def build(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "real_name": self.real_name,
            "enterprise": self.enterprise,
            "respondent": self.respondent,
            "category": self.category,
            "title": self.title,
            "facts": self.facts,
            "evidence": [
                {"title": "检测设备购买合同(含企业名称)", "kind": "contract", "identifying": True},
                {
                    "title": "执法检查现场照片",
                    "kind": "photo",
                    "identifying": False,
                    "description": "检查人员在车间内的照片",
                },
            ],
        }
        return {**body, **self.extra}


async def register(
    client: httpx.AsyncClient, headers: dict[str, str], complaint: AComplaint | None = None
) -> dict[str, Any]:
    body = (complaint or AComplaint()).build()
    response = await client.post(f"{BASE}/cases", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def inspect(
    client: httpx.AsyncClient, headers: dict[str, str], findings: list[dict[str, Any]]
) -> dict[str, Any]:
    """An 暗访 recorded with ``findings`` (each: department, finding_class, description…)."""
    body = {
        "conducted_on": "2026-03-01",
        "team": ["暗访组甲"],
        "scope": "窗口办事体验",
        "findings": findings,
    }
    response = await client.post(f"{BASE}/inspections", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def etag(case: dict[str, Any]) -> str:
    return f'"case-{case["id"]}-{case["version"]}"'


async def step(
    client: httpx.AsyncClient,
    case: dict[str, Any],
    name: str,
    headers: dict[str, str],
    body: dict[str, Any] | None = None,
    *,
    expect: int = 200,
) -> dict[str, Any]:
    """POST step ``name`` with the case's current ETag; returns the new case view."""
    response = await client.post(
        f"{BASE}/cases/{case['id']}/{name.replace('_', '-')}",
        json=body or {},
        headers={**headers, "If-Match": etag(case)},
    )
    assert response.status_code == expect, response.text
    return dict(response.json()) if expect == 200 else case


@dataclass
class Walk:
    """Takes a case through the flow with the right people."""

    client: httpx.AsyncClient
    people: People
    complaint: AComplaint | None = None  # the default complaint unless given

    async def accepted(self) -> dict[str, Any]:
        case = await register(self.client, self.people.clerk, self.complaint)
        return await step(self.client, case, "accept", self.people.officer, {"note": "属受理范围"})

    async def assigned(self) -> dict[str, Any]:
        return await step(self.client, await self.accepted(), "assign", self.people.officer)

    async def replied(self) -> dict[str, Any]:
        p, c = self.people, self.client
        case = await step(
            c,
            await self.assigned(),
            "investigate",
            p.staff(),
            {"note": "已调取检查记录，绿源茶业反映情况基本属实。"},
        )
        return await step(
            c, case, "reply", p.head(), {"reply": "已责令执法人员纠正，不再指定供应商。"}
        )

    async def resolved(self) -> dict[str, Any]:
        return await step(
            self.client,
            await self.replied(),
            "resolve",
            self.people.officer,
            {"result": "经核查，贵公司反映属实，执法人员已被责令纠正。"},
        )


def transferred_ticket(
    number: str, content: str, received_at: str, *, sealed: bool = True
) -> CloudEvent:
    """``ys.hotline.ticket.transferred`` as the hotline publishes it: the enterprise's identity
    in full (center to center), against SCJGJ, it and the content sealed for us (``sealed``
    false: in clear, as the hotline published it before it sealed them)."""
    seal = Passage("hotline", "complaints").seal if sealed else (lambda _field, value: value)
    ticket = str(uuid.uuid4())
    data = {
        "case_id": ticket,
        "case_number": number,
        "ticket_id": ticket,
        "category": "YS_INFRINGE",
        "enterprise": {
            "name": seal("enterprise.name", ENTERPRISE["name"]),
            "uscc": seal("enterprise.uscc", ENTERPRISE["uscc"]),
            "contact_name": seal("enterprise.contact_name", ENTERPRISE["contact_name"]),
            "phone": seal("enterprise.phone", ENTERPRISE["contact_phone"]),
        },
        "content": seal("content", content),
        "respondent_department": "SCJGJ",
        "received_at": received_at,
    }
    return make_event("hotline", "ys.hotline.ticket.transferred", data, subject=f"ticket/{ticket}")
