"""Request bodies are bounded: an application's 申请表 form and materials, 补正 lists, the
catalog's steps and fees, the code lists of packages and windows, dates within the county's
years, and a statistics period that ends before it starts. Each is a 422 problem naming the
field, never a stored megabyte."""

from __future__ import annotations

from typing import Any

import httpx

from yingshang.testing.apps import ServiceUnderTest

from .builders import BASE, FOOD_LICENCE, AnApplication, People, all_materials, item_named
from .test_applications_clock import act
from .test_appointments import TUESDAY, booking
from .test_catalog_and_disclosure import new_item

# A food-licence 申请表 as a window would send it: sections, a staff table, multiple choices
# five levels deep (form → 经营场所 → 设备 → row → 用途), and a long free-text answer that
# brings it to about 61 KiB of UTF-8 JSON, just under the 64 KiB bound.
FOOD_FORM: dict[str, Any] = {
    "经营者名称": "凤冈县锌硒茶业有限公司",
    "法定代表人": "张三",
    "主体业态": "食品销售经营者",
    "经营项目": ["预包装食品销售", "散装食品销售"],
    "经营场所": {
        "地址": "凤冈县龙泉镇新街1号",
        "面积": 120,
        "设备": [{"名称": "冷藏柜", "数量": 2, "用途": ["冷藏", "展示"]}],
    },
    "食品安全管理人员": [{"姓名": "李四", "培训合格": True}],
    "补充说明": "茶" * 20_000,
}


def named_fields(r: httpx.Response) -> list[str]:
    """The fields a 422 validation problem names."""
    assert r.status_code == 422, r.text[:500]
    assert r.headers["content-type"].startswith("application/problem+json")
    return [e["field"] for e in r.json()["errors"]]


async def submit(hall: ServiceUnderTest, people: People, **kw: Any) -> httpx.Response:
    """A complete food-licence application at the window, with ``kw`` overriding the body."""
    item = await item_named(hall.client, FOOD_LICENCE)
    body = AnApplication(item=item["code"], materials=all_materials(item)).with_(**kw)
    clerk = people.issuer.headers(("HALL", "staff"), staff_no="ZW2009")
    return await hall.client.post(f"{BASE}/applications", json=body.build(), headers=clerk)


async def test_the_application_form_is_bounded(hall: ServiceUnderTest, people: People) -> None:
    taken = await submit(hall, people, form=FOOD_FORM)
    assert taken.status_code == 201, taken.text
    huge = await submit(hall, people, form={"申请说明": "x" * 5_000_000})
    assert named_fields(huge) == ["form"]
    # Counted as stored, UTF-8: 22,000 Chinese characters are 66,000 bytes, over 65,536.
    over = await submit(hall, people, form={"补充说明": "茶" * 22_000})
    assert named_fields(over) == ["form"]
    assert "65536" in over.json()["errors"][0]["message"]
    too_deep = {"经营场所": {"设备": [{"用途": [["冷藏"]]}]}}  # six levels
    long_name = {"字" * 101: "值"}
    for form in (too_deep, long_name, {"": "值"}, {"x": "y", "list": [{"": 1}]}):
        assert named_fields(await submit(hall, people, form=form)) == ["form"], form


async def test_materials_are_names_of_documents(hall: ServiceUnderTest, people: People) -> None:
    item = await item_named(hall.client, FOOD_LICENCE)
    named = all_materials(item)
    extras = [f"{n:03d}" + "附" * 197 for n in range(100 - len(named))]  # 200 characters each
    full = await submit(hall, people, materials=named + extras)
    # within the bounds: refused only as names the item's list does not carry
    assert (full.status_code, full.json()["unknown"]) == (422, extras), full.text
    one_huge = await submit(hall, people, materials=["x" * 100_000])
    assert named_fields(one_huge) == ["materials.0"]
    many = await submit(hall, people, materials=[f"{n:03d}" + "x" * 997 for n in range(200)])
    assert named_fields(many)  # the list is too long, and so is every name in it
    assert all(field.startswith("materials") for field in named_fields(many))
    one_too_many = await submit(hall, people, materials=named + extras + ["另附说明"])
    assert named_fields(one_too_many) == ["materials"]
    assert named_fields(await submit(hall, people, materials=[""])) == ["materials.0"]

    app = (await submit(hall, people, materials=named)).json()
    clerk = people.issuer.headers(("HALL", "staff"), staff_no="ZW2009")
    asked = await act(hall.client, app, "request-supplement", clerk, {"missing": ["x" * 201]})
    assert named_fields(asked) == ["missing.0"]
    brought = await act(hall.client, app, "receive-supplement", clerk, {"materials": ["x" * 201]})
    assert named_fields(brought) == ["materials.0"]


async def test_catalog_packages_and_windows_are_bounded(
    hall: ServiceUnderTest, people: People
) -> None:
    c, admin = hall.client, people.admin()
    seeded = await item_named(c, FOOD_LICENCE)
    code = seeded["code"][:18] + "0109998000000"
    long_step = await c.post(
        f"{BASE}/items", json=new_item(code, steps=["受" * 501]), headers=admin
    )
    assert named_fields(long_step) == ["steps.0"]
    fee = await c.post(f"{BASE}/items", json=new_item(code, fee_cents=10**19), headers=admin)
    assert named_fields(fee) == ["fee_cents"]
    ok = await c.post(f"{BASE}/items", json=new_item(code, steps=["受" * 500]), headers=admin)
    assert ok.status_code == 201, ok.text

    package = {
        "code": "TEST_PKG",
        "name": "测试套餐",
        "lead_department": "GAJ",
        "item_codes": [seeded["code"], "X" * 10_000],
    }
    bundled = await c.post(f"{BASE}/packages", json=package, headers=admin)
    assert named_fields(bundled) == ["item_codes.1"]
    w01, head = f"{BASE}/halls/HALL_COUNTY/windows/W01", people.hall_head()
    items = await c.put(f"{w01}/items", json={"item_codes": ["X" * 10_000]}, headers=head)
    assert named_fields(items) == ["item_codes.0"]
    clerks = await c.put(f"{w01}/clerks", json={"staff_nos": ["Z" * 10_000]}, headers=head)
    assert named_fields(clerks) == ["staff_nos.0"]


async def test_dates_are_within_the_countys_years(hall: ServiceUnderTest, people: People) -> None:
    c = hall.client
    far = await c.post(
        f"{BASE}/appointments",
        json={**booking(TUESDAY), "day": "9999-12-31"},
        headers=people.clerk(),
    )
    assert named_fields(far) == ["day"]
    visit = {
        "applicant_name": "王奶奶",
        "applicant_phone": "13712345678",
        "address": "凤冈县龙泉镇新街1号",
        "wanted_day": "9999-12-31",
    }
    asked = await c.post(f"{BASE}/door-to-door", json=visit, headers=people.clerk())
    assert named_fields(asked) == ["wanted_day"]
    doc = {
        "kind": "policy",
        "title": "优化营商环境条例",
        "department": "SCJGJ",
        "body": "全文",
        "effective_on": "0001-01-01",
    }
    published = await c.post(f"{BASE}/disclosure/documents", json=doc, headers=people.admin())
    assert named_fields(published) == ["effective_on"]


async def test_a_statistics_period_that_ends_before_it_starts_is_refused(
    hall: ServiceUnderTest, people: People
) -> None:
    c, bureau = hall.client, people.bureau()
    inverted = {"since": "2026-01-01T00:00:00", "until": "2025-01-01T00:00:00"}
    r = await c.get(f"{BASE}/statistics", params=inverted, headers=bureau)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    inverted_words = "所选期间的结束时间不晚于开始时间，请重新选择日期范围"
    assert (r.json()["field"], r.json()["detail"]) == ("until", inverted_words)
    # Compared as instants: 08:00 Shanghai is midnight UTC, the same moment: [since, until)
    # holds nothing, refused like an inverted period; a second after it is ordered.
    same = {"since": "2026-01-01T08:00:00", "until": "2026-01-01T00:00:00Z"}
    r = await c.get(f"{BASE}/statistics", params=same, headers=bureau)
    assert (r.status_code, r.json()["detail"]) == (422, inverted_words)
    later = {"since": "2026-01-01T08:00:00", "until": "2026-01-01T00:00:01Z"}
    assert (await c.get(f"{BASE}/statistics", params=later, headers=bureau)).status_code == 200
    ordered = {"since": "2025-01-01T00:00:00", "until": "2026-01-01T00:00:00"}
    assert (await c.get(f"{BASE}/statistics", params=ordered, headers=bureau)).status_code == 200


async def test_an_unknown_thing_the_body_names_is_a_422_on_its_field(
    hall: ServiceUnderTest, people: People
) -> None:
    """The URL names nothing missing: an unknown item, package or window in the body is the
    body's error (422 on the field), as an unknown category is on a ticket."""
    clerk = people.issuer.headers(("HALL", "staff"), staff_no="ZW2009")
    item = await item_named(hall.client, FOOD_LICENCE)
    base = AnApplication(item=item["code"], materials=all_materials(item))
    for body, field in (
        (base.with_(item="NO-SUCH-ITEM"), "item"),
        (base.with_(item=None, package="NO-SUCH-PACKAGE"), "package"),
        (base.with_(window_code="W99"), "window_code"),
    ):
        refused = await hall.client.post(f"{BASE}/applications", json=body.build(), headers=clerk)
        assert refused.status_code == 422, refused.text
        assert (refused.json()["type"].rsplit("/", 1)[1], refused.json()["field"]) == (
            "invalid", field)  # fmt: skip
    unknown_window = booking(TUESDAY, window_code="W99")
    booked = await hall.client.post(
        f"{BASE}/appointments", json=unknown_window, headers=people.clerk()
    )
    assert (booked.status_code, booked.json()["field"]) == (422, "window_code")
