"""The hall's intake of a package (一件事一次办) and of the delivery choice: a package asks one
set of materials, each name once, whichever items need it; what was not handed in becomes
the one 补正 notice (一次性告知); the postal address is taken only for a postal delivery and
shown masked unless the front office or a deciding department unmasks it (audited)."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import select

from yingshang.audit import AuditEntry
from yingshang.testing.apps import ServiceUnderTest

from .builders import BASE, AnApplication, People, all_materials, item_named, outbox_events
from .test_applications_clock import act

SEAL, TAX = "公章刻制备案", "税务登记及发票申领"  # both ask 营业执照副本 and 法定代表人身份证明
ADDRESS = "贵州省遵义市凤冈县龙泉镇新街12号"


async def _seal_and_tax(hall: ServiceUnderTest, people: People) -> dict[str, Any]:
    """A package the admin bundles without a list of its own: its items' materials apply."""
    c = hall.client
    codes = [(await item_named(c, name))["code"] for name in (SEAL, TAX)]
    body = {"code": "SEAL_TAX", "name": "刻章办税一件事", "lead_department": "GAJ"}
    made = await c.post(
        f"{BASE}/packages", json={**body, "item_codes": codes}, headers=people.admin()
    )
    assert made.status_code == 201, made.text
    return dict(made.json())


async def test_a_package_asks_a_material_its_items_share_once(
    hall: ServiceUnderTest, people: People
) -> None:
    package = await _seal_and_tax(hall, people)
    seal, tax = [await item_named(hall.client, name) for name in (SEAL, TAX)]
    assert [(i["name"], i["department"]) for i in package["items"]] == [(SEAL, "GAJ"), (TAX, "TAX")]
    asked = {m["name"]: m["item_codes"] for m in package["materials"]}
    assert asked == {
        "营业执照副本": [seal["code"], tax["code"]],
        "法定代表人身份证明": [seal["code"], tax["code"]],
        "印章刻制申请表": [seal["code"]],
        "纳税人首次办税补充信息表": [tax["code"]],
    }
    assert all(m["required"] for m in package["materials"])
    assert (await hall.client.get(f"{BASE}/packages/SEAL_TAX")).json() == package

    # ZW2001 sits at W01: one material not handed in → one application, its 补正 notice
    handed_in = [name for name in asked if name != "印章刻制申请表"]
    body = AnApplication(package="SEAL_TAX", materials=handed_in).build()
    r = await hall.client.post(f"{BASE}/applications", json=body, headers=people.clerk())
    assert r.status_code == 201, r.text
    app = r.json()
    assert (app["status"], app["package"]) == ("awaiting_materials", True)
    assert app["missing_materials"] == ["印章刻制申请表"]
    assert app["materials_received"] == sorted(handed_in)
    assert sorted(p["department"] for p in app["parts"]) == ["GAJ", "TAX"]
    assert app["due_at"] is None  # the limit runs from the day after complete materials
    [notice] = await outbox_events(hall, app["id"], "supplement_requested")
    assert notice["data"]["missing"] == ["印章刻制申请表"]


async def test_a_package_list_of_its_own_names_the_items_using_each_material(
    hall: ServiceUnderTest,
) -> None:
    """开办企业 lists its own set (一表申请; the licence it issues stands for 营业执照副本)."""
    package = (await hall.client.get(f"{BASE}/packages/KBQY")).json()
    registration = await item_named(hall.client, "企业设立登记（营业执照）")
    asked = {m["name"]: m["item_codes"] for m in package["materials"]}
    assert asked == {
        "开办企业一件事申请表": [],
        "公司章程": [registration["code"]],
        "股东主体资格证明": [registration["code"]],
        "住所使用证明": [registration["code"]],
    }
    assert [i["code"] for i in package["items"]] == package["item_codes"]
    assert len(package["items"]) == 4


async def test_the_postal_address_is_masked_unless_unmasked_by_those_who_post(
    hall: ServiceUnderTest, people: People
) -> None:
    c = hall.client
    item = await item_named(c, "食品经营许可")
    body = AnApplication(
        item=item["code"],
        materials=all_materials(item),
        delivery_method="postal",
        postal_address=ADDRESS,
    ).build()
    r = await c.post(f"{BASE}/applications", json=body, headers=people.clerk())
    assert r.status_code == 201, r.text
    app = r.json()
    masked = "贵州省遵义市" + "*" * 11
    assert (app["delivery_method"], app["postal_address"]) == ("postal", masked)
    listed = (await c.get(f"{BASE}/applications", headers=people.clerk())).json()["items"]
    assert [a["postal_address"] for a in listed] == [masked]

    url = f"{BASE}/applications/{app['id']}"
    bureau = await c.get(url, params={"unmask": "true"}, headers=people.bureau())
    assert bureau.json()["postal_address"] == masked
    front = await c.get(url, params={"unmask": "true"}, headers=people.clerk())
    assert (front.json()["postal_address"], front.json()["masked"]) == (ADDRESS, False)
    async with hall.app.state.db.read() as session:
        rows = await session.execute(
            select(AuditEntry.staff_no, AuditEntry.detail).where(
                AuditEntry.action.contains("unmasked")
            )
        )
        audited = list(rows)
    assert [(s, d["fields"]) for s, d in audited] == [
        ("ZW2001", ["applicant_id_no", "applicant_phone", "postal_address"])
    ]
    # the licence follows the choice: posted, not made ready at the window
    assert "notify_pickup" not in (await act(c, app, "accept", people.clerk())).json()["actions"]


async def test_an_address_is_taken_only_for_a_postal_delivery(
    hall: ServiceUnderTest, people: People
) -> None:
    c = hall.client
    item = await item_named(c, "食品经营许可")
    base = AnApplication(item=item["code"], materials=all_materials(item))
    for delivery, address in (("pickup", ADDRESS), ("postal", "   "), ("postal", None)):
        body = base.with_(delivery_method=delivery, postal_address=address).build()
        r = await c.post(f"{BASE}/applications", json=body, headers=people.clerk())
        assert r.status_code == 422, (delivery, address, r.text)
        assert "postal_address" in r.text
    listed = (await c.get(f"{BASE}/applications", headers=people.clerk())).json()
    assert listed["items"] == []  # nothing half-written


def test_an_address_keeps_its_divisions_and_masks_at_least_half() -> None:
    from ys_approvals.people import mask_address

    assert mask_address("凤冈县龙泉镇新街12号") == "凤冈县********"
    assert mask_address(ADDRESS) == "贵州省遵义市" + "*" * 11
    assert mask_address("和平路12号") == "和*****"
    assert mask_address("镇") == "*"


async def test_materials_handed_in_are_names_on_the_list(
    hall: ServiceUnderTest, people: People
) -> None:
    """The 补正 notice and the review read the list's names: a name the item's (or the
    package's) list does not carry is refused, all such names named at once."""
    c = hall.client
    item = await item_named(c, "食品经营许可")
    odd = ["食品经营许可申请表", "身份证复印件"]  # a near-miss of 申请书, and an unlisted one
    body = AnApplication(item=item["code"], materials=[*all_materials(item)[1:], *odd])
    r = await c.post(f"{BASE}/applications", json=body.build(), headers=people.clerk())
    assert r.status_code == 422, r.text
    problem = r.json()
    assert (problem["field"], problem["unknown"]) == ("materials", odd)
    assert all(name in problem["detail"] for name in odd)
    listed = (await c.get(f"{BASE}/applications", headers=people.clerk())).json()
    assert listed["items"] == []  # nothing half-written

    # a package: its own list (开办企业), not its items' papers it stands for
    own = AnApplication(package="KBQY", materials=["开办企业一件事申请表", "营业执照副本"])
    r = await c.post(f"{BASE}/applications", json=own.build(), headers=people.clerk())
    assert (r.status_code, r.json()["unknown"]) == (422, ["营业执照副本"])
    await _seal_and_tax(hall, people)  # no list of its own: every item's materials count
    shared = AnApplication(package="SEAL_TAX", materials=["营业执照副本", "印章刻制申请表"])
    r = await c.post(f"{BASE}/applications", json=shared.build(), headers=people.clerk())
    assert r.status_code == 201, r.text


async def test_a_legal_person_without_a_credit_code_is_told_which_field_and_why(
    hall: ServiceUnderTest, people: People
) -> None:
    """法人 without 统一社会信用代码 (or without its name): 422 naming the field, with the reason
    in Chinese for the form to show on it; nothing is taken in. (An item forming the
    enterprise takes one without the code: test_enterprise_formation.)"""
    c = hall.client
    item = await item_named(c, "食品经营许可")
    base = AnApplication(item=item["code"], materials=all_materials(item))

    async def without(missing: str) -> dict[str, Any]:
        applicant = {k: v for k, v in base.applicant.items() if k != missing}
        r = await c.post(
            f"{BASE}/applications",
            json=base.with_(applicant=applicant).build(),
            headers=people.clerk(),
        )
        assert r.status_code == 422, r.text
        return dict(r.json())

    unnamed = (await without("enterprise_name"))["errors"]
    assert [(e["field"], e["message"]) for e in unnamed] == [
        ("applicant.enterprise_name", "法人申请须填写企业名称")
    ]
    # a check of the body itself names its field the same way: the field, the reason alone
    postal = base.with_(delivery_method="postal").build()
    r = await c.post(f"{BASE}/applications", json=postal, headers=people.clerk())
    assert [(e["field"], e["message"]) for e in r.json()["errors"]] == [
        ("postal_address", "邮寄送达须填写邮寄地址")
    ]
    coded = await without("uscc")
    assert coded["field"] == "applicant.uscc"
    assert coded["detail"].startswith("法人申请须填写统一社会信用代码"), coded
    # the complete body, as JSON labelled text/plain: the content type is named, not a field
    plain = await c.post(
        f"{BASE}/applications",
        content=orjson.dumps(base.build()),
        headers={**people.clerk(), "Content-Type": "text/plain"},
    )
    assert plain.status_code == 415, plain.text
    assert plain.json()["type"] == "https://yingshang.gov.cn/problems/unsupported-media-type"
    assert "application/json" in plain.json()["detail"]
    listed = (await c.get(f"{BASE}/applications", headers=people.clerk())).json()
    assert listed["items"] == []
