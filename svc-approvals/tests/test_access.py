"""Access: hall clerks act for their windows; departments see and decide their own items'
applications; personal data masked unless the caller must contact the applicant (audited);
the public lookup is rate-limited."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from yingshang.audit import AuditEntry
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.sealed import assert_sealed, stored

from .builders import (
    BASE,
    AnApplication,
    People,
    all_materials,
    food_licence_at_the_window,
    item_named,
)
from .test_applications_clock import act


async def test_clerks_take_in_at_their_own_window(hall: ServiceUnderTest, people: People) -> None:
    c = hall.client
    item = await item_named(c, "食品经营许可")
    body = AnApplication(item=item["code"], materials=all_materials(item)).build()
    unseated = await c.post(f"{BASE}/applications", json=body, headers=people.clerk("ZW2002"))
    assert unseated.status_code == 403
    assert unseated.json()["type"].endswith("/not-at-window")
    # the demo county seats its clerks (county.yaml): 周静 ZW2001 sits at W01
    demo = await c.post(f"{BASE}/applications", json=body, headers=people.clerk("ZW2001"))
    assert demo.status_code == 201, demo.text
    seat = {"staff_nos": ["ZW2002"]}
    r = await c.put(
        f"{BASE}/halls/HALL_COUNTY/windows/W01/clerks", json=seat, headers=people.hall_head()
    )
    assert r.status_code == 200, r.text
    seated = await c.post(f"{BASE}/applications", json=body, headers=people.clerk("ZW2002"))
    assert seated.status_code == 201, seated.text
    town_clerk = people.clerk("LQ1001", dept="LONGQUAN")
    assert (await c.post(f"{BASE}/applications", json=body, headers=town_clerk)).status_code == 403
    # A dedicated window takes only its items (W07: 不动产登记).
    elsewhere = {**body, "window_code": "W07"}
    wrong = await c.post(f"{BASE}/applications", json=elsewhere, headers=people.hall_head())
    assert (wrong.status_code, wrong.json()["field"]) == (422, "window_code")
    # The town hall takes in at its own windows (镇乡政务服务中心): its staff are the front office.
    town = {**body, "hall_code": "HALL_LONGQUAN"}
    taken = await c.post(
        f"{BASE}/applications", json=town, headers=people.staff("LONGQUAN", "LQ1002")
    )
    assert taken.status_code == 201, taken.text
    mine = await c.get(f"{BASE}/applications", headers=people.staff("LONGQUAN", "LQ1002"))
    assert [a["id"] for a in mine.json()["items"]] == [taken.json()["id"]]


async def test_departments_decide_only_their_own(hall: ServiceUnderTest, people: People) -> None:
    c = hall.client
    clerk, app = await food_licence_at_the_window(c, people.issuer)
    await act(c, app, "accept", clerk)
    # The hall's clerk takes in and delivers but does not decide the department's item.
    assert (await act(c, app, "approve", clerk)).status_code == 403
    assert (
        await c.get(f"{BASE}/applications/{app['id']}", headers=people.staff("TAX"))
    ).status_code == 404
    mine = await c.get(f"{BASE}/applications/{app['id']}", headers=people.staff("SCJGJ"))
    assert "approve" in mine.json()["actions"]
    assert "accept" not in mine.json()["actions"]


async def test_personal_data_is_masked_and_unmasking_audited(
    hall: ServiceUnderTest, people: People
) -> None:
    c = hall.client
    _clerk, app = await food_licence_at_the_window(c, people.issuer)
    assert (app["applicant_phone"], app["masked"]) == ("138****5678", True)
    assert app["applicant_id_no"] == "5203**********0012"
    held = await stored(hall.database_url, "applications", "applicant_phone", "applicant_id_no")
    assert_sealed(held, "13812345678", "520327199003070012")
    url = f"{BASE}/applications/{app['id']}"
    bureau = await c.get(url, params={"unmask": "true"}, headers=people.bureau())
    assert (bureau.json()["applicant_phone"], bureau.json()["masked"]) == ("138****5678", True)
    handler = await c.get(url, params={"unmask": "true"}, headers=people.staff("SCJGJ"))
    assert handler.json()["applicant_phone"] == "13812345678"
    assert handler.json()["applicant_id_no"] == "520327199003070012"
    async with hall.app.state.db.read() as session:
        rows = await session.execute(
            select(AuditEntry.staff_no, AuditEntry.object_id).where(
                AuditEntry.action.contains("unmasked")
            )
        )
        audited = list(rows)
    assert audited == [("SC5001", app["id"])]


async def test_public_lookup_is_rate_limited(hall: ServiceUnderTest, people: People) -> None:
    item = await item_named(hall.client, "食品经营许可")
    body = AnApplication(item=item["code"], materials=all_materials(item)).build()
    clerk = people.issuer.headers(("HALL", "staff"), staff_no="ZW2009")
    made = (await hall.client.post(f"{BASE}/applications", json=body, headers=clerk)).json()
    url = f"{BASE}/public/applications/{made['number']}"
    answers = [
        (await hall.client.get(url, params={"query_code": made["query_code"]})).status_code
        for _ in range(12)
    ]
    assert answers[:10] == [200] * 10  # the burst
    assert answers[-1] == 429
    limited = await hall.client.get(url, params={"query_code": made["query_code"]})
    assert limited.headers["content-type"].startswith("application/problem+json")
    assert int(limited.headers["Retry-After"]) >= 1


async def test_channels_follow_the_catalog(hall: ServiceUnderTest, people: People) -> None:
    c = hall.client
    province = {**people.province(), "Idempotency-Key": "channel-0001"}
    medical = await item_named(c, "医疗机构执业登记")  # window only
    body = AnApplication(item=medical["code"], channel="online").build()
    r = await c.post(f"{BASE}/applications", json=body, headers=province)
    assert (r.status_code, r.json()["field"]) == (422, "channel")
    sole = await item_named(c, "个体工商户登记")  # 跨省通办
    across = AnApplication(item=sole["code"], channel="cross_province").build()
    r = await c.post(f"{BASE}/applications", json=across, headers=province)
    assert r.status_code == 201, r.text
    assert (r.json()["channel"], r.json()["hall_code"]) == ("cross_province", None)
    food = await item_named(c, "食品经营许可")  # no 跨省通办
    wrong = AnApplication(item=food["code"], channel="cross_province").build()
    r = await c.post(
        f"{BASE}/applications", json=wrong, headers={**province, "Idempotency-Key": "channel-0002"}
    )
    assert (r.status_code, r.json()["field"]) == (422, "channel")
    # By mail, taken in by the hall's staff, for any item.
    mailed = AnApplication(item=medical["code"], channel="mail").build()
    r = await c.post(f"{BASE}/applications", json=mailed, headers=people.clerk())
    assert (r.status_code, r.json()["channel"], r.json()["window_code"]) == (201, "mail", None)
    staff_online = await c.post(f"{BASE}/applications", json=body, headers=people.clerk())
    assert (staff_online.status_code, staff_online.json()["field"]) == (422, "channel")


async def test_an_admin_posted_at_another_department_sees_no_application(
    hall: ServiceUnderTest, people: People
) -> None:
    """System administration is no oversight: an admin at 住建局 is neither the hall, a deciding
    department, the bureau nor the committee — the food licence and its appointments do not
    exist for them. The bureau's own admin (oversight by its post) still sees both."""
    _, app = await food_licence_at_the_window(hall.client, people.issuer)
    booked = await hall.client.post(
        f"{BASE}/appointments",
        json={
            "hall_code": "HALL_COUNTY",
            "window_code": "W01",
            "day": "2026-03-03",
            "start": "09:00",
            "applicant_name": "李四",
            "applicant_phone": "13912345678",
        },
        headers=people.clerk(),
    )
    assert booked.status_code == 201, booked.text
    day_list = f"{BASE}/appointments?hall_code=HALL_COUNTY&day=2026-03-03"
    zjj_admin = people.issuer.headers(("ZJJ", "admin"), staff_no="ZJ0009")
    c = hall.client
    assert (await c.get(f"{BASE}/applications/{app['id']}", headers=zjj_admin)).status_code == 404
    assert (await c.get(f"{BASE}/applications", headers=zjj_admin)).json()["items"] == []
    cancel = f"{BASE}/appointments/{booked.json()['id']}/cancel"
    assert (await c.post(cancel, headers=zjj_admin)).status_code == 404
    assert (await c.get(day_list, headers=zjj_admin)).status_code == 404
    bureau_admin = people.admin()
    assert (
        await c.get(f"{BASE}/applications/{app['id']}", headers=bureau_admin)
    ).status_code == 200
    assert len((await c.get(day_list, headers=bureau_admin)).json()) == 1


async def test_statistics_from_before_the_countys_range_is_a_422_problem(
    hall: ServiceUnderTest, people: People
) -> None:
    transport = httpx.ASGITransport(app=hall.app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://approvals") as client:
        r = await client.get(
            f"{BASE}/statistics", params={"since": "0001-01-01T00:00:00"}, headers=people.bureau()
        )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "query.since"


async def test_a_clerk_reads_the_windows_she_is_seated_at(
    hall: ServiceUnderTest, people: People
) -> None:
    """The intake form starts from the clerk's own seat (GET …/windows/mine): the windows her
    工号 is seated at, none when she sits nowhere; the public may not ask."""
    c, mine = hall.client, f"{BASE}/halls/HALL_COUNTY/windows/mine"
    # the demo county seats its clerks (county.yaml): 周静 ZW2001 sits at W01
    assert (await c.get(mine, headers=people.clerk("ZW2001"))).json() == ["W01"]
    assert (await c.get(mine, headers=people.clerk("ZW2099"))).json() == []
    seat = {"staff_nos": ["ZW2099"]}
    w03 = f"{BASE}/halls/HALL_COUNTY/windows/W03/clerks"
    assert (await c.put(w03, json=seat, headers=people.hall_head())).status_code == 200
    assert (await c.get(mine, headers=people.clerk("ZW2099"))).json() == ["W03"]
    assert (await c.get(mine)).status_code == 401
    nowhere = await c.get(f"{BASE}/halls/NOPE/windows/mine", headers=people.clerk())
    assert nowhere.status_code == 404
