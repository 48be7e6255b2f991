"""Builders for the approvals tests: people with positions, application bodies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yingshang.testing.tokens import TestIssuer


class People:
    """Authorization headers of the county's people, by what they do."""

    def __init__(self, issuer: TestIssuer) -> None:
        self.issuer = issuer

    def clerk(self, staff_no: str = "ZW2001", dept: str = "HALL") -> dict[str, str]:
        return self.issuer.headers((dept, "clerk"), staff_no=staff_no, name="周静")

    def hall_head(self) -> dict[str, str]:
        return self.issuer.headers(("HALL", "head"), staff_no="ZW2000", name="黄海")

    def staff(self, dept: str, staff_no: str = "SC5001") -> dict[str, str]:
        return self.issuer.headers((dept, "staff"), staff_no=staff_no, name="邓芳")

    def head(self, dept: str, staff_no: str = "SC5000") -> dict[str, str]:
        return self.issuer.headers((dept, "head"), staff_no=staff_no, name="冯涛")

    def admin(self) -> dict[str, str]:
        return self.issuer.headers(("BUREAU", "admin"), staff_no="YS0001", name="管理员")

    def bureau(self) -> dict[str, str]:
        return self.issuer.headers(("BUREAU", "staff"), staff_no="YS0003")

    def province(self) -> dict[str, str]:
        return self.issuer.headers(scopes=["approvals:write"], client_id="province")


@dataclass
class AnApplication:
    """An application body with sensible defaults; ``with_(**kw)`` overrides."""

    item: str | None = None
    package: str | None = None
    channel: str = "window"
    hall_code: str | None = "HALL_COUNTY"
    window_code: str | None = "W01"
    materials: list[str] = field(default_factory=list)
    applicant: dict[str, Any] = field(
        default_factory=lambda: {
            "type": "legal_person",
            "name": "张三",
            "phone": "13812345678",
            "id_no": "520327199003070012",
            "enterprise_name": "凤冈县锌硒茶业有限公司",
            "uscc": "91350100M000100Y43",
        }
    )
    delivery_method: str = "pickup"
    postal_address: str | None = None
    form: dict[str, Any] | None = None  # 申请表 as filled in

    def with_(self, **kw: Any) -> AnApplication:
        return AnApplication(**{**self.__dict__, **kw})

    def build(self) -> dict[str, Any]:
        body = {k: v for k, v in self.__dict__.items() if v is not None}
        if self.channel != "window":
            body.pop("hall_code", None)
            body.pop("window_code", None)
        return body


BASE = "/api/v1/approvals"


async def item_named(client: Any, name: str) -> dict[str, Any]:
    """A catalog item by its exact name (public read)."""
    items = (await client.get(f"{BASE}/items", params={"q": name})).json()["items"]
    [item] = [i for i in items if i["name"] == name]
    return dict(item)


def all_materials(item: dict[str, Any]) -> list[str]:
    return [m["name"] for m in item["materials"]]


FOOD_LICENCE = "食品经营许可"  # a 承诺件 of SCJGJ


async def food_licence_at_the_window(
    client: Any, issuer: TestIssuer
) -> tuple[dict[str, str], dict[str, Any]]:
    """A hall clerk (工号 ZW2009) and the complete food-licence application they submitted."""
    item = await item_named(client, FOOD_LICENCE)
    clerk = issuer.headers(("HALL", "staff"), staff_no="ZW2009")
    body = AnApplication(item=item["code"], materials=all_materials(item)).build()
    app = (await client.post(f"{BASE}/applications", json=body, headers=clerk)).json()
    return clerk, dict(app)


async def outbox_events(sut: Any, case_id: str, suffix: str | None = None) -> list[dict[str, Any]]:
    """Events written to the service's outbox for one application (type ends with ``suffix``),
    in the order they will be published."""
    from sqlalchemy import select

    from yingshang.events.outbox import OutboxEvent

    async with sut.app.state.db.read() as session:
        rows = await session.execute(select(OutboxEvent.payload).order_by(OutboxEvent.seq))
        events = [dict(p) for p in rows.scalars()]
    mine = [e for e in events if e["data"].get("case_id") == case_id]
    return [e for e in mine if suffix is None or e["type"].endswith(f".{suffix}")]


def window_clerk(people: People) -> dict[str, str]:
    """A hall staff member (工号 ZW2009) taking applications at the county hall's windows."""
    return people.issuer.headers(("HALL", "staff"), staff_no="ZW2009")


async def submit_item(
    sut: Any, people: People, name: str, materials: list[str] | None = None
) -> dict[str, Any]:
    """An application for the item called ``name`` at window W01, with ``materials`` (all
    the item lists, by default), submitted by :func:`window_clerk`."""
    item = await item_named(sut.client, name)
    handed_in = all_materials(item) if materials is None else materials
    body = AnApplication(item=item["code"], materials=handed_in).build()
    r = await sut.client.post(f"{BASE}/applications", json=body, headers=window_clerk(people))
    assert r.status_code == 201, r.text
    return dict(r.json())
