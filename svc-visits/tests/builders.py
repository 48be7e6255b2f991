"""Builders of the visits suite: who is calling, request bodies, objects walked to a state."""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from yingshang.testing.builders import Builder
from yingshang.testing.tokens import TestIssuer

BASE = "/api/v1/visits"
CENTER = "ENTERPRISE_CENTER"
DEPT = "GXJ"  # 工业和信息化局, the department problems are handed to by default
START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 10:00 Asia/Shanghai
TODAY = "2026-03-02"
USCC = "91520327MA6DM8Q41N"  # valid GB 32100 check character
OTHER_USCC = "91520327MA6E0T1X23"
# The directory's people the suite names by 工号 beyond the county file's demo people: the
# county leader 王志明 (副县长), who leads pairings and sits on duty, and a cadre of 发改局.
TEST_PEOPLE = [
    {"username": "county_leader", "name": "王志明", "staff_no": "LD0001"},
    {"username": "fgj_cadre", "name": "李娜", "staff_no": "FG5201"},
]


@dataclass
class People:
    issuer: TestIssuer

    def at(self, dept: str, role: str, staff_no: str | None = None) -> dict[str, str]:
        return self.issuer.headers(
            (dept, role), staff_no=staff_no or f"{dept[:2]}{role[:2]}01", name=f"{dept}{role}"
        )

    @property
    def center(self) -> dict[str, str]:  # 非公经济服务中心 staff
        return self.at(CENTER, "staff", "FG4001")

    @property
    def center_clerk(self) -> dict[str, str]:
        return self.at(CENTER, "clerk", "FG4002")

    @property
    def bureau(self) -> dict[str, str]:
        return self.at("BUREAU", "staff", "YS0003")

    @property
    def committee(self) -> dict[str, str]:
        return self.at("COMMITTEE", "head", "YS0005")

    def head(self, dept: str = DEPT) -> dict[str, str]:
        return self.at(dept, "head")

    def staff(self, dept: str = DEPT) -> dict[str, str]:
        return self.at(dept, "staff")

    def leader(self, staff_no: str = "LD0001", dept: str = "FGJ") -> dict[str, str]:
        """A leader who logs in (工号 on the pairing / sitting), posted to ``dept``."""
        return self.at(dept, "head", staff_no)

    def admin(self) -> dict[str, str]:
        return self.at("BUREAU", "admin", "YS0001")


@dataclass(frozen=True)
class AnEnterprise(Builder[dict[str, Any]]):
    name: str = "凤冈县绿源茶业有限公司"
    uscc: str = USCC
    industry: str = "茶叶加工"
    park: str | None = "彰教工业园区"
    scale: str = "above_scale"
    tags: tuple[str, ...] = ("龙头企业",)
    contacts: tuple[dict[str, str], ...] = (
        {"name": "王五", "title": "总经理", "phone": "13512345678"},
    )

    def build(self) -> dict[str, Any]:
        return {
            "name": self.name, "uscc": self.uscc, "industry": self.industry, "park": self.park,
            "scale": self.scale, "tags": list(self.tags), "contacts": list(self.contacts),
        }  # fmt: skip


def a_problem(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "用电增容审批进度慢",
        "description": "企业新上生产线需增容至 800kVA，申请已提交两个月仍未批复，影响投产。",
        "category": "infrastructure",
        "contact_name": "王五",
        "contact_phone": "13512345678",
    }
    return {**body, **overrides}


def an_indicator(**overrides: Any) -> dict[str, Any]:
    """开办企业, led by 市场监督管理局 (its head 冯涛, 工号 SC5000, is the owner: 指标长)."""
    body: dict[str, Any] = {
        "code": "STARTING_BUSINESS", "name": "开办企业", "lead_department": "SCJGJ",
        "co_departments": ["XZSPJ", "TAX"], "owner_name": "冯涛", "owner_staff_no": "SC5000",
        "owner_title": "市场监督管理局局长", "target": "企业开办 1 个工作日内办结",
        "target_value": 1, "target_unit": "工作日",
    }  # fmt: skip
    return {**body, **overrides}


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def etag(kind: str, obj: dict[str, Any]) -> str:
    return f'"{kind}-{obj["id"]}-{obj["version"]}"'


@dataclass
class Walk:
    """Objects created and moved on through the API by the right people."""

    client: httpx.AsyncClient
    people: People
    enterprises: dict[str, dict[str, Any]] = field(default_factory=dict)

    async def enterprise(self, builder: AnEnterprise | None = None) -> dict[str, Any]:
        body = (builder or AnEnterprise()).build()
        if body["uscc"] not in self.enterprises:
            response = await self.client.post(
                f"{BASE}/enterprises", json=body, headers=self.people.center
            )
            self.enterprises[body["uscc"]] = await ok(response, 201)
        return self.enterprises[body["uscc"]]

    async def pairing(self, **overrides: Any) -> dict[str, Any]:
        enterprise = await self.enterprise()
        body = {
            "enterprise_id": enterprise["id"], "leader_name": "王志明", "leader_title": "副县长",
            "leader_staff_no": "LD0001", "leader_rank": "county_leader", "department": "FGJ",
            **overrides,
        }  # fmt: skip
        response = await self.client.post(
            f"{BASE}/assignments", json=body, headers=self.people.center
        )
        return await ok(response, 201)

    async def indicator(self, **overrides: Any) -> dict[str, Any]:
        response = await self.client.post(
            f"{BASE}/indicators", json=an_indicator(**overrides), headers=self.people.bureau
        )
        return await ok(response, 201)

    async def problem(self, **overrides: Any) -> dict[str, Any]:
        enterprise = await self.enterprise()
        body = {"enterprise_id": enterprise["id"], **a_problem(**overrides)}
        response = await self.client.post(f"{BASE}/problems", json=body, headers=self.people.center)
        return await ok(response, 201)

    async def step(
        self,
        problem: dict[str, Any],
        name: str,
        headers: dict[str, str],
        body: dict[str, Any] | None = None,
        *,
        expect: int = 200,
    ) -> dict[str, Any]:
        """POST step ``name`` with the problem's current ETag; returns the new view."""
        response = await self.client.post(
            f"{BASE}/problems/{problem['id']}/{name.replace('_', '-')}",
            json=body or {},
            headers={**headers, "If-Match": etag("problem", problem)},
        )
        assert response.status_code == expect, response.text
        return dict(response.json()) if expect == 200 else problem

    async def assigned(self, dept: str = "GXJ") -> dict[str, Any]:
        return await self.step(await self.problem(), "assign", self.people.center,
                               {"department": dept})  # fmt: skip

    async def signed(self, dept: str = "GXJ") -> dict[str, Any]:
        """交办, then 签收 by the department's head (一把手亲自接单)."""
        return await self.step(await self.assigned(dept), "sign", self.people.head(dept))

    async def contacted(self, dept: str = "GXJ") -> dict[str, Any]:
        body = {"channel": "phone"}
        return await self.step(await self.signed(dept), "contact", self.people.staff(dept), body)

    async def in_progress(self, dept: str = "GXJ") -> dict[str, Any]:
        body = {"proposal": "协调供电局开通绿色通道，两周内完成现场勘查。"}
        return await self.step(await self.contacted(dept), "propose", self.people.staff(dept), body)

    async def solved(self, dept: str = "GXJ") -> dict[str, Any]:
        body = {"resolution": "供电局已完成增容施工并送电。"}
        return await self.step(await self.in_progress(dept), "solve", self.people.head(dept), body)


def new_key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}
