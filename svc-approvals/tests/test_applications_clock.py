"""A 承诺件 of statutory 20 working days: the clock through intake 补正, review 补正 and
the statutory extension (acceptance of the approvals issue)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from yingshang.clock import SHANGHAI, FrozenClock
from yingshang.testing.apps import ServiceUnderTest
from yingshang.time.calendar import WorkCalendar, local_instant

from .builders import AnApplication, People

BASE = "/api/v1/approvals"


def end_of(day: date) -> datetime:
    """24:00 Asia/Shanghai of ``day`` in UTC (how working-day deadlines end)."""
    return local_instant(day + timedelta(days=1)).astimezone(UTC)


def at(clock: FrozenClock, day: date, hour: int = 10) -> None:
    clock.set(datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI))


async def act(
    client: httpx.AsyncClient,
    app: dict[str, Any],
    action: str,
    headers: dict[str, str],
    body: dict[str, Any] | None = None,
) -> httpx.Response:
    fresh = await client.get(f"{BASE}/applications/{app['id']}", headers=headers)
    etag = fresh.headers["ETag"]
    return await client.post(
        f"{BASE}/applications/{app['id']}/{action}",
        json=body,
        headers={**headers, "If-Match": etag},
    )


def due(r: httpx.Response) -> datetime:
    return datetime.fromisoformat(r.json()["due_at"].replace("Z", "+00:00"))


async def food_item(client: httpx.AsyncClient) -> dict[str, Any]:
    items = (await client.get(f"{BASE}/items", params={"q": "食品经营许可"})).json()["items"]
    return dict(items[0])


async def test_committed_item_clock(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    c = hall.client
    item = await food_item(c)
    assert item["committed_limit"] == 8  # 40% of 20, rounded down
    seat = await c.put(
        f"{BASE}/halls/HALL_COUNTY/windows/W01/clerks",
        json={"staff_nos": ["ZW2001"]},
        headers=people.hall_head(),
    )
    assert seat.status_code == 200, seat.text

    # Monday: submitted with one material missing -> 补正 at intake, no clock yet.
    first = [m["name"] for m in item["materials"]][:-1]
    body = AnApplication(item=item["code"], materials=first).build()
    r = await c.post(f"{BASE}/applications", json=body, headers=people.clerk())
    assert r.status_code == 201, r.text
    app = r.json()
    assert app["status"] == "awaiting_materials"
    assert app["missing_materials"] == [item["materials"][-1]["name"]]
    assert app["due_at"] is None
    assert app["applicant_phone"] == "138****5678"

    # Thursday: the last material arrives; the limit counts from Friday: 8 wd -> Tue 17th.
    at(clock, date(2026, 3, 5))
    r = await act(
        c, app, "receive-supplement", people.clerk(), {"materials": [item["materials"][-1]["name"]]}
    )
    assert r.status_code == 200, r.text
    assert due(r) == end_of(date(2026, 3, 17))
    assert (await act(c, app, "accept", people.clerk())).status_code == 200

    # Review 补正 from Wednesday 11th to Friday 13th: three working days -> due Fri 20th.
    at(clock, date(2026, 3, 11))
    r = await act(
        c, app, "request-supplement", people.staff("SCJGJ"), {"missing": ["经营场所平面图（修订）"]}
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "review_supplement"
    at(clock, date(2026, 3, 13))
    r = await act(
        c,
        app,
        "receive-supplement",
        people.staff("SCJGJ"),
        {"materials": ["经营场所平面图（修订）"]},
    )
    assert r.status_code == 200, r.text
    assert due(r) == end_of(date(2026, 3, 20))

    # Extension: asked by staff; staff cannot approve it; the head can: +10 working days.
    r = await act(c, app, "extension-request", people.staff("SCJGJ"), {"reason": "需现场核查"})
    assert r.status_code == 200, r.text
    denied = await act(c, app, "extension-approval", people.staff("SCJGJ"))
    assert denied.status_code == 403
    unchanged = await c.get(f"{BASE}/applications/{app['id']}", headers=people.staff("SCJGJ"))
    assert due(unchanged) == end_of(date(2026, 3, 20))
    assert unchanged.json()["extension_days"] == 0
    r = await act(c, app, "extension-approval", people.head("SCJGJ"))
    assert r.status_code == 200, r.text
    expected = WorkCalendar().nth_day_after(date(2026, 3, 20), 10, working=True)
    assert due(r) == end_of(expected)
    assert r.json()["extension_days"] == 10


async def test_if_match_is_required_and_checked(hall: ServiceUnderTest, people: People) -> None:
    item = await food_item(hall.client)
    materials = [m["name"] for m in item["materials"]]
    body = AnApplication(item=item["code"], materials=materials).build()
    clerk = people.issuer.headers(("HALL", "staff"), staff_no="ZW2009")
    app = (await hall.client.post(f"{BASE}/applications", json=body, headers=clerk)).json()
    url = f"{BASE}/applications/{app['id']}/accept"
    assert (await hall.client.post(url, headers=clerk)).status_code == 428
    stale = {**clerk, "If-Match": f'"application-{app["id"]}-999"'}
    assert (await hall.client.post(url, headers=stale)).status_code == 412
    elsewhere = people.staff("ZJJ", "ZJ5101")
    assert (
        await hall.client.get(f"{BASE}/applications/{app['id']}", headers=elsewhere)
    ).status_code == 404
