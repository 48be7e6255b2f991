"""Who administers what: the catalogue (事项目录), its packages and the time limits are the
county's, changed by BUREAU/admin only (``yingshang.auth.county_admin``) — an admin post in a
town or in the item's own department administers none of them. A hall's windows and a
department's 四公开 lists are that unit's own: its head or admin arranges them (and the county's
administrators), another unit's admin does not."""

from __future__ import annotations

import pytest

from yingshang.testing.apps import ServiceUnderTest

from .builders import BASE, People, item_named
from .test_catalog_and_disclosure import new_item, patch

TOWN_ADMIN = ("LONGQUAN", "admin")


@pytest.mark.parametrize(
    ("position", "allowed"),
    [
        (TOWN_ADMIN, False),
        (("SCJGJ", "admin"), False),  # the item's own department: the catalogue is the county's
        (("HALL", "admin"), False),
        (("BUREAU", "admin"), True),
    ],
)
async def test_the_catalogue_packages_and_time_limits_are_the_county_administrators(
    hall: ServiceUnderTest, people: People, position: tuple[str, str], allowed: bool
) -> None:
    c = hall.client
    who = people.issuer.headers(position, staff_no="AD0001")
    seeded = await item_named(c, "食品经营许可")
    code = seeded["code"][:18] + "0109997000000"
    codes = [(await item_named(c, n))["code"] for n in ("公章刻制备案", "税务登记及发票申领")]
    package = {
        "code": "ADMIN_PKG",
        "name": "测试套餐",
        "lead_department": "GAJ",
        "item_codes": codes,
    }
    policy = (await c.get(f"{BASE}/policies", headers=people.admin())).json()[0]
    policy_url = f"{BASE}/policies/{policy['id']}"
    policy_tag = (await c.get(policy_url, headers=people.admin())).headers["etag"]
    answers = {
        "item": await c.post(f"{BASE}/items", json=new_item(code), headers=who),
        "item change": await patch(c, seeded["code"], {"name": "食品经营许可（新）"}, who),
        "package": await c.post(f"{BASE}/packages", json=package, headers=who),
        "policy": await c.patch(
            policy_url, json={"amount": 99}, headers={**who, "If-Match": policy_tag}
        ),
    }
    expected = {"item": 201, "item change": 200, "package": 201, "policy": 200}
    if not allowed:
        expected = dict.fromkeys(expected, 403)
    assert {k: r.status_code for k, r in answers.items()} == expected, {
        k: r.text for k, r in answers.items()
    }
    names = {
        i["name"] for i in (await c.get(f"{BASE}/items", params={"q": "食品经营"})).json()["items"]
    }
    package_there = (await c.get(f"{BASE}/packages/ADMIN_PKG")).status_code == 200
    amount = (await c.get(policy_url, headers=people.admin())).json()["amount"]
    assert ("食品经营许可（新）" in names) is allowed
    assert package_there is allowed
    assert (amount == 99) is allowed


async def test_a_hall_is_arranged_by_its_own_unit(hall: ServiceUnderTest, people: People) -> None:
    """A town's admin arranges the town's hall, not the county hall; the county hall's own
    admin (HALL) and the county's administrators do."""
    c = hall.client
    seats = {"staff_nos": ["ZW2009"]}
    county_w01 = f"{BASE}/halls/HALL_COUNTY/windows/W01/clerks"
    town_w01 = f"{BASE}/halls/HALL_LONGQUAN/windows/W01/clerks"
    town_admin = people.issuer.headers(TOWN_ADMIN, staff_no="LQ0001")
    hall_admin = people.issuer.headers(("HALL", "admin"), staff_no="ZW2099")
    refused = await c.put(county_w01, json=seats, headers=town_admin)
    own = await c.put(town_w01, json=seats, headers=town_admin)
    hall_own = await c.put(county_w01, json=seats, headers=hall_admin)
    county = await c.put(town_w01, json={"staff_nos": []}, headers=people.admin())
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert (own.status_code, hall_own.status_code, county.status_code) == (200, 200, 200)
    assert hall_own.json()["code"] == "W01"


async def test_a_department_publishes_its_own_lists(hall: ServiceUnderTest, people: People) -> None:
    """四公开: the department's head or admin publishes for it; another unit's admin does not."""
    c = hall.client
    doc = {
        "kind": "fee_standard",
        "title": "公章刻制收费标准",
        "department": "SCJGJ",
        "body": "公章刻制不收费。",
        "legal_basis": "《印章管理办法》",
    }
    other = await c.post(
        f"{BASE}/disclosure/documents",
        json=doc,
        headers=people.issuer.headers(TOWN_ADMIN, staff_no="LQ0001"),
    )
    own = await c.post(
        f"{BASE}/disclosure/documents",
        json=doc,
        headers=people.issuer.headers(("SCJGJ", "admin"), staff_no="SC5099"),
    )
    assert other.status_code == 403
    assert own.status_code == 201, own.text
