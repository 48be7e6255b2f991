"""Statistics per department and item: 网办率, 零跑腿 and 最多跑一次 shares from each
application's channel and delivery; departments see their own figures only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from yingshang.clock import SHANGHAI, FrozenClock
from yingshang.testing.apps import ServiceUnderTest

from .builders import BASE, AnApplication, People, all_materials, item_named, window_clerk
from .test_applications_clock import act

ADDRESS = "凤冈县龙泉镇新街1号"


async def make(
    hall: ServiceUnderTest, headers: dict[str, str], body: AnApplication
) -> dict[str, Any]:
    r = await hall.client.post(f"{BASE}/applications", json=body.build(), headers=headers)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def test_shares_per_department_and_item(hall: ServiceUnderTest, people: People) -> None:
    c = hall.client
    food = await item_named(c, "食品经营许可")
    social = await item_named(c, "单位社会保险参保登记")
    clerk = people.issuer.headers(("HALL", "staff"), staff_no="ZW2009")
    province = {**people.province(), "Idempotency-Key": "stats-0001"}
    # Online, result by free post: zero trips.
    await make(
        hall,
        province,
        AnApplication(
            item=food["code"],
            channel="online",
            materials=all_materials(food),
            delivery_method="postal",
            postal_address=ADDRESS,
        ),
    )
    # At the window, collected at the window later: two trips.
    await make(hall, clerk, AnApplication(item=food["code"], materials=all_materials(food)))
    # 即办件 at the window, handed over in the same visit: one trip.
    instant = await make(
        hall, clerk, AnApplication(item=social["code"], materials=all_materials(social))
    )
    assert (await act(c, instant, "finish-on-the-spot", clerk)).status_code == 200

    r = await c.get(f"{BASE}/statistics", headers=people.clerk())  # the hall sees everything
    assert r.status_code == 200, r.text
    stats = r.json()
    overall = stats["overall"]
    assert overall["applications"] == 3
    assert overall["online_rate"] == round(1 / 3, 4)
    assert overall["zero_trip_share"] == round(1 / 3, 4)
    assert overall["at_most_one_trip_share"] == round(2 / 3, 4)
    assert (overall["in_progress"], overall["finished"]) == (2, 1)
    departments = {g["key"]: g for g in stats["by_department"]}
    assert {k: g["applications"] for k, g in departments.items()} == {"RSJ": 1, "SCJGJ": 2}
    assert departments["SCJGJ"]["online_rate"] == 0.5
    items = {g["key"]: g for g in stats["by_item"]}
    assert items[food["code"]]["name"] == "食品经营许可"
    assert items[social["code"]]["on_time_rate"] == 1.0

    own = await c.get(f"{BASE}/statistics", headers=people.staff("SCJGJ"))
    assert own.json()["overall"]["applications"] == 2
    assert [g["key"] for g in own.json()["by_department"]] == ["SCJGJ"]
    other = await c.get(
        f"{BASE}/statistics", params={"department": "RSJ"}, headers=people.staff("SCJGJ")
    )
    assert other.status_code == 404
    by_item = await c.get(
        f"{BASE}/statistics", params={"item_code": food["code"]}, headers=people.bureau()
    )
    assert by_item.json()["overall"]["applications"] == 2
    # Bounds without an offset are the hall's time: all three came in at 10:00 on 2 March.
    for bounds, count in [
        ({"since": "2026-03-02T00:00:00"}, 3),
        ({"until": "2026-03-02T09:00:00"}, 0),
        ({"until": "2026-03-02T09:00:00Z"}, 3),
    ]:
        r = await c.get(f"{BASE}/statistics", params=bounds, headers=people.bureau())
        assert r.json()["overall"]["applications"] == count, bounds


async def test_cross_province_is_online_and_months_are_the_halls(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """跨省通办 counts in the online rate; months are the hall's (Asia/Shanghai): the last
    evening of March and the first night of April are one UTC day but two months."""
    c = hall.client
    trader = await item_named(c, "个体工商户登记")
    materials = all_materials(trader)
    clock.set(datetime(2026, 3, 31, 23, 30, tzinfo=SHANGHAI))
    province = {**people.province(), "Idempotency-Key": "stats-cross-0001"}
    cross = AnApplication(
        item=trader["code"],
        channel="cross_province",
        materials=materials,
        delivery_method="postal",
        postal_address=ADDRESS,
    )
    await make(hall, province, cross)
    clock.set(datetime(2026, 4, 1, 0, 30, tzinfo=SHANGHAI))
    await make(hall, window_clerk(people), AnApplication(item=trader["code"], materials=materials))

    stats = (await c.get(f"{BASE}/statistics", headers=people.bureau())).json()
    assert stats["overall"]["online_rate"] == 0.5
    months = {g["key"]: g for g in stats["by_month"]}
    assert {k: g["applications"] for k, g in months.items()} == {"2026-03": 1, "2026-04": 1}
    march, april = months["2026-03"], months["2026-04"]
    assert (march["online_rate"], march["zero_trip_share"]) == (1.0, 1.0)
    # at the window and collected there later: two trips
    assert (april["online_rate"], april["at_most_one_trip_share"]) == (0.0, 0.0)
    [item] = stats["by_item"]
    assert (item["zero_trip_share"], item["at_most_one_trip_share"]) == (0.5, 0.5)
    april_only = await c.get(
        f"{BASE}/statistics",
        params={"since": "2026-04-01T00:00:00", "department": "SCJGJ"},
        headers=people.bureau(),
    )
    assert [g["key"] for g in april_only.json()["by_month"]] == ["2026-04"]
