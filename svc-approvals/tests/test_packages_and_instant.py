"""一件事一次办 (integrated package) and 即办件: one application dispatched in parallel to
several departments with one limit, one delivery and one rating; finishing on the spot."""

from __future__ import annotations

from datetime import date
from typing import Any

from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest

from .builders import (
    BASE,
    AnApplication,
    People,
    all_materials,
    food_licence_at_the_window,
    item_named,
    outbox_events,
)
from .test_applications_clock import act, end_of
from .test_catalog_and_disclosure import revise

DEPARTMENTS = ["GAJ", "RSJ", "SCJGJ", "TAX"]
POSTAL = {"method": "postal", "tracking_number": "EMS1234567890", "postal_address": "龙泉镇1号"}


async def submit_package(hall: ServiceUnderTest, clerk: dict[str, str]) -> dict[str, Any]:
    package = (await hall.client.get(f"{BASE}/packages/KBQY")).json()
    body = AnApplication(package="KBQY", materials=[m["name"] for m in package["materials"]])
    r = await hall.client.post(f"{BASE}/applications", json=body.build(), headers=clerk)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def test_package_is_one_application_decided_in_parallel(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    c = hall.client
    package = (await c.get(f"{BASE}/packages/KBQY")).json()
    assert package["departments"] == DEPARTMENTS
    assert package["committed_limit"] == 1
    clerk = people.issuer.headers(("HALL", "staff"), staff_no="ZW2009")
    app = await submit_package(hall, clerk)
    assert app["package"] is True
    assert sorted(p["department"] for p in app["parts"]) == DEPARTMENTS
    # One limit for the whole: complete on Monday 2 March, 1 working day -> Tuesday 3rd.
    assert app["due_at"] is not None
    assert app["due_at"].startswith(end_of(date(2026, 3, 3)).strftime("%Y-%m-%dT%H:%M"))
    seal = next(p for p in app["parts"] if p["department"] == "GAJ")
    assert "5枚" in seal["fee_waiver"]
    assert [p["fee_waiver"] for p in app["parts"] if p["department"] != "GAJ"] == [None] * 3
    assert (await act(c, app, "accept", clerk)).status_code == 200

    # Dispatched in parallel: every department sees it in its own list at once.
    for dept in DEPARTMENTS:
        listed = (await c.get(f"{BASE}/applications", headers=people.staff(dept))).json()
        assert [a["id"] for a in listed["items"]] == [app["id"]], dept
    stranger = await c.get(f"{BASE}/applications/{app['id']}", headers=people.staff("ZJJ"))
    assert stranger.status_code == 404

    for n, dept in enumerate(DEPARTMENTS):
        r = await act(c, app, "approve", people.staff(dept))
        assert r.status_code == 200, r.text
        decided = sorted(p["department"] for p in r.json()["parts"] if p["status"] == "approved")
        assert decided == DEPARTMENTS[: n + 1]
        assert r.json()["status"] == ("approved" if n == 3 else "in_review")
    twice = await act(c, app, "approve", people.staff("GAJ"))
    assert twice.status_code in (403, 409)

    # One delivery and one 办结 for the whole package.
    assert (await act(c, app, "deliver", clerk, POSTAL)).status_code == 200
    done = await act(c, app, "finish", clerk)
    assert done.status_code == 200, done.text
    assert done.json()["on_time"] is True
    completed = await outbox_events(hall, app["id"], "completed")
    assert [e["data"]["node"] for e in completed] == ["accept", "finish"]  # one rating each
    assert {e["data"]["item_code"] for e in completed} == {"KBQY"}
    assert len(await outbox_events(hall, app["id"], "created")) == 1
    assert len(await outbox_events(hall, app["id"], "closed")) == 1


async def test_one_department_rejecting_rejects_the_package(
    hall: ServiceUnderTest, people: People
) -> None:
    c = hall.client
    clerk = people.issuer.headers(("HALL", "staff"), staff_no="ZW2009")
    app = await submit_package(hall, clerk)
    await act(c, app, "accept", clerk)
    assert (await act(c, app, "approve", people.staff("SCJGJ"))).status_code == 200
    no_reason = await act(c, app, "reject", people.staff("TAX"), {})
    assert no_reason.status_code == 422
    r = await act(c, app, "reject", people.staff("TAX"), {"reason": "经营范围涉及前置审批"})
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["outcome"]) == ("rejected", "rejected")
    assert r.json()["decision_reason"] == "经营范围涉及前置审批"
    rejected = await outbox_events(hall, app["id"], "rejected")
    assert [e["data"]["department"] for e in rejected] == ["SCJGJ"]
    # the written 不予许可 decision is delivered like an approval, then 办结
    assert (await act(c, app, "finish", clerk)).status_code == 409
    assert (await act(c, app, "deliver", clerk, POSTAL)).json()["status"] == "delivered"
    assert (await act(c, app, "finish", clerk)).json()["status"] == "finished"


async def test_package_limits_and_waivers_are_checked(
    hall: ServiceUnderTest, people: People
) -> None:
    c = hall.client
    codes = [(await item_named(c, n))["code"] for n in ("公章刻制备案", "税务登记及发票申领")]
    body = {
        "code": "TEST_PKG",
        "name": "测试套餐",
        "lead_department": "GAJ",
        "item_codes": codes,
        "committed_limit": 11,  # the slowest item's statutory limit is 10
    }
    too_long = await c.post(f"{BASE}/packages", json=body, headers=people.admin())
    assert too_long.status_code == 422
    assert too_long.json()["field"] == "committed_limit"
    stray = {
        **body,
        "committed_limit": None,
        "fee_waivers": [{"item_code": "X" * 31, "waiver": "免"}],
    }
    r = await c.post(f"{BASE}/packages", json=stray, headers=people.admin())
    assert (r.status_code, r.json()["field"]) == (422, "fee_waivers")
    ok = await c.post(
        f"{BASE}/packages", json={**body, "committed_limit": None}, headers=people.admin()
    )
    assert ok.status_code == 201, ok.text
    assert (ok.json()["statutory_limit"], ok.json()["committed_limit"]) == (10, 4)
    history = await c.get(f"{BASE}/items/{codes[0]}/history")
    assert history.status_code == 200
    denied = await c.post(
        f"{BASE}/packages", json={**body, "code": "OTHER"}, headers=people.clerk()
    )
    assert denied.status_code == 403


async def test_a_package_changes_against_the_version_read_and_retires(
    hall: ServiceUnderTest, people: People
) -> None:
    """Changed by BUREAU/admin with If-Match, checked as a new package is, every change a new
    version; retired, it is still read (as retired) but no longer offered."""
    c = hall.client
    seal, tax, food = [
        (await item_named(c, n))["code"]
        for n in ("公章刻制备案", "税务登记及发票申领", "食品经营许可")
    ]
    body = {
        "code": "CHANGE_PKG",
        "name": "变更测试套餐",
        "lead_department": "GAJ",
        "item_codes": [seal, tax],
        "fee_waivers": [{"item_code": seal, "waiver": "免费刻章"}],
    }
    assert (await c.post(f"{BASE}/packages", json=body, headers=people.admin())).status_code == 201
    url = f"{BASE}/packages/CHANGE_PKG"
    first = await c.get(url)
    assert (first.json()["committed_limit"], first.json()["own_materials"]) == (4, False)
    tag = first.headers["ETag"]
    unread = await c.patch(url, json={"name": "未读"}, headers=people.admin())
    assert unread.status_code == 428
    other = people.issuer.headers(("GAJ", "admin"), staff_no="GA0001")
    assert (
        await c.patch(url, json={"name": "x"}, headers={**other, "If-Match": tag})
    ).status_code == 403
    refusals = {
        "item_codes": {"item_codes": [tax, tax]},  # an item twice
        "fee_waivers": {"item_codes": [tax, food]},  # the waived item left the package
        "committed_limit": {"committed_limit": 11},  # beyond the slowest item's 10 days
        "name": {"name": None},  # left out it stays; a package has a name
    }
    for field, change in refusals.items():
        problem = (await revise(c, url, change, people.admin())).json()
        named = problem.get("field") or problem["errors"][0]["field"]
        assert (problem["status"], field in named) == (422, True), problem

    # The slowest item now takes 20 days: a package on the default follows it (40% → 8).
    own = [{"name": "变更测试套餐申请表"}, {"name": "营业执照副本", "copies": 2}]
    changed = await revise(c, url, {"item_codes": [food, seal], "materials": own}, people.admin())
    assert changed.status_code == 200, changed.text
    got = changed.json()
    assert [i["code"] for i in got["items"]] == [food, seal]
    assert (got["statutory_limit"], got["committed_limit"], got["version"]) == (20, 8, 2)
    assert (got["departments"], got["own_materials"]) == (["GAJ", "SCJGJ"], True)
    assert [m["name"] for m in got["materials"]] == ["变更测试套餐申请表", "营业执照副本"]
    assert changed.headers["ETag"] != tag
    assert (
        await c.patch(url, json={"name": "旧版"}, headers={**people.admin(), "If-Match": tag})
    ).status_code == 412
    mine = await revise(c, url, {"committed_limit": 5}, people.admin())
    back = await revise(c, url, {"committed_limit": None}, people.admin())
    assert (mine.json()["committed_limit"], back.json()["committed_limit"]) == (5, 8)

    retired = await revise(c, url, {"active": False}, people.admin())
    assert (retired.json()["active"], retired.json()["version"]) == (False, 5)
    offered = [p["code"] for p in (await c.get(f"{BASE}/packages")).json()]
    every = [
        p["code"]
        for p in (await c.get(f"{BASE}/packages", params={"include_retired": True})).json()
    ]
    assert ("CHANGE_PKG" in offered, "CHANGE_PKG" in every) == (False, True)
    assert (await c.get(url)).json()["active"] is False
    kept = (await c.get(f"{url}/history")).json()
    assert [(v["version"], v["change"]) for v in kept] == [
        (1, "created"),
        (2, "updated"),
        (3, "updated"),
        (4, "updated"),
        (5, "retired"),
    ]
    assert [v["snapshot"]["committed_limit"] for v in kept] == [4, 8, 5, 8, 8]
    clerk = people.issuer.headers(("HALL", "staff"), staff_no="ZW2009")
    application = AnApplication(package="CHANGE_PKG", materials=["变更测试套餐申请表"]).build()
    refused = await c.post(f"{BASE}/applications", json=application, headers=clerk)
    assert (refused.status_code, refused.json()["field"]) == (422, "package")


async def test_instant_item_finishes_on_the_spot(hall: ServiceUnderTest, people: People) -> None:
    c = hall.client
    item = await item_named(c, "单位社会保险参保登记")
    assert item["handling_kind"] == "instant"
    clerk = people.issuer.headers(("HALL", "staff"), staff_no="ZW2009")
    body = AnApplication(item=item["code"], materials=all_materials(item)).build()
    app = (await c.post(f"{BASE}/applications", json=body, headers=clerk)).json()
    assert app["status"] == "received"
    assert app["due_at"] is None  # no clock: decided while the applicant waits
    assert "finish_on_the_spot" in app["actions"]
    r = await act(c, app, "finish-on-the-spot", clerk)
    assert r.status_code == 200, r.text
    done = r.json()
    assert (done["status"], done["outcome"]) == ("finished", "approved")
    assert (done["working_days_used"], done["on_time"]) == (0, True)
    assert done["accepted_at"] == done["finished_at"]
    nodes = [e["data"]["node"] for e in await outbox_events(hall, app["id"], "completed")]
    assert nodes == ["accept", "finish"]
    stats = (await c.get(f"{BASE}/statistics", headers=people.bureau())).json()["overall"]
    assert (stats["finished"], stats["at_most_one_trip_share"]) == (1, 1.0)


async def test_a_committed_item_is_not_finished_on_the_spot(
    hall: ServiceUnderTest, people: People
) -> None:
    c = hall.client
    clerk, app = await food_licence_at_the_window(c, people.issuer)
    assert "finish_on_the_spot" not in app["actions"]
    r = await act(c, app, "finish-on-the-spot", clerk)
    assert r.status_code == 409
    assert r.json()["type"].endswith("/not-instant")
