"""Statistics from timestamps, and the public lookup by number + 查询码."""

from __future__ import annotations

from datetime import date

from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.lookup import as_typed

from .builders import AnApplication, People
from .test_applications_clock import BASE, act, at, food_item


async def _run_one(hall: ServiceUnderTest, people: People, clock: FrozenClock, done: date) -> dict:
    c = hall.client
    at(clock, date(2026, 3, 2))
    item = await food_item(c)
    body = AnApplication(item=item["code"], materials=[m["name"] for m in item["materials"]])
    clerk = people.issuer.headers(("HALL", "staff"), staff_no="ZW2009")
    app = (await c.post(f"{BASE}/applications", json=body.build(), headers=clerk)).json()
    assert (await act(c, app, "accept", clerk)).status_code == 200
    at(clock, done)
    assert (await act(c, app, "approve", people.staff("SCJGJ"))).status_code == 200
    assert (await act(c, app, "deliver", clerk, {"method": "pickup"})).status_code == 200
    r = await act(c, app, "finish", clerk)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def test_on_time_rate_and_average(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    # Submitted Monday 2 March with complete materials: 4, 8 and 10 working days later.
    ends = [date(2026, 3, 6), date(2026, 3, 12), date(2026, 3, 16)]
    done = [await _run_one(hall, people, clock, d) for d in ends]
    assert [a["working_days_used"] for a in done] == [4, 8, 10]
    assert [a["on_time"] for a in done] == [True, True, False]
    r = await hall.client.get(f"{BASE}/statistics", headers=people.bureau())
    assert r.status_code == 200, r.text
    overall = r.json()["overall"]
    assert overall["on_time_rate"] == 0.6667
    assert overall["average_working_days"] == 7.3333
    assert overall["compression_vs_statutory"] == round(1 - (22 / 3) / 20, 4)
    assert overall["compression_vs_committed"] == round(1 - (22 / 3) / 8, 4)


async def test_public_lookup_shows_status_only(hall: ServiceUnderTest, people: People) -> None:
    item = await food_item(hall.client)
    body = AnApplication(item=item["code"], materials=[m["name"] for m in item["materials"]])
    clerk = people.issuer.headers(("HALL", "staff"), staff_no="ZW2009")
    r = await hall.client.post(f"{BASE}/applications", json=body.build(), headers=clerk)
    number, code = r.json()["number"], r.json()["query_code"]
    assert number.startswith(item["code"] + "20260302")
    assert len(number) == 31 + 8 + 4
    ok = await hall.client.get(f"{BASE}/public/applications/{number}", params={"query_code": code})
    assert ok.status_code == 200
    assert set(ok.json()) == {
        "number",
        "item_name",
        "status",
        "status_label",
        "submitted_at",
        "due_at",
        "delivery_due_at",
        "pickup_ready_at",
        "finished_at",
        "supplement",  # null unless waiting for 补正 (test_supplements)
    }
    assert ok.json()["supplement"] is None
    wrong = "A" * len(code) if code != "A" * len(code) else "B" * len(code)
    bad = await hall.client.get(
        f"{BASE}/public/applications/{number}", params={"query_code": wrong}
    )
    assert bad.status_code == 404
    assert bad.headers["content-type"].startswith("application/problem+json")
    # the same through POST, the code in the body (kept out of URLs and logs)
    track = f"{BASE}/public/applications/track"
    posted = await hall.client.post(track, json={"number": number, "query_code": code})
    assert posted.json() == ok.json()
    typed = await hall.client.post(track, json={"number": as_typed(number), "query_code": code})
    assert typed.json() == ok.json()  # full-width, lower case, spaces around: as typed
    missed = await hall.client.post(track, json={"number": number, "query_code": wrong})
    assert missed.status_code == 404
    assert (await hall.client.post(track, json={"number": number})).status_code == 422
