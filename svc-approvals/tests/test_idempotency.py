"""Idempotency-Key on what the provincial platform creates: a retried submission or booking
replays the first answer and never creates twice; the same key with another body is refused."""

from __future__ import annotations

from datetime import date

from yingshang.testing.apps import ServiceUnderTest

from .builders import BASE, AnApplication, People, all_materials, item_named


def keyed(headers: dict[str, str], key: str) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key}


async def test_online_submission_is_made_once(hall: ServiceUnderTest, people: People) -> None:
    c = hall.client
    item = await item_named(c, "食品经营许可")
    body = AnApplication(item=item["code"], channel="online", materials=all_materials(item))
    province = people.province()
    first = await c.post(
        f"{BASE}/applications", json=body.build(), headers=keyed(province, "sub-0001")
    )
    assert first.status_code == 201, first.text
    again = await c.post(
        f"{BASE}/applications", json=body.build(), headers=keyed(province, "sub-0001")
    )
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["query_code"] == first.json()["query_code"]

    other = body.with_(materials=all_materials(item)[:1]).build()
    reused = await c.post(f"{BASE}/applications", json=other, headers=keyed(province, "sub-0001"))
    assert reused.status_code == 422
    assert reused.headers["content-type"].startswith("application/problem+json")
    assert reused.json()["field"] == "Idempotency-Key"

    unkeyed = await c.post(f"{BASE}/applications", json=body.build(), headers=province)
    assert unkeyed.status_code == 400
    assert unkeyed.headers["content-type"].startswith("application/problem+json")

    listed = (await c.get(f"{BASE}/applications", headers=province)).json()["items"]
    assert [a["id"] for a in listed] == [first.json()["id"]]
    assert listed[0]["channel"] == "online"
    assert listed[0]["applicant_phone"] == "138****5678"  # clients see masks


async def test_window_submission_needs_no_key(hall: ServiceUnderTest, people: People) -> None:
    item = await item_named(hall.client, "食品经营许可")
    body = AnApplication(item=item["code"], materials=all_materials(item)).build()
    clerk = people.issuer.headers(("HALL", "staff"), staff_no="ZW2009")
    made = await hall.client.post(f"{BASE}/applications", json=body, headers=clerk)
    assert made.status_code == 201, made.text
    assert made.json()["staff_no"] == "ZW2009"


async def test_a_retried_booking_takes_one_seat(hall: ServiceUnderTest, people: People) -> None:
    c = hall.client
    day = date(2026, 3, 3)
    booking = {
        "hall_code": "HALL_COUNTY",
        "window_code": "W01",
        "day": day.isoformat(),
        "start": "09:00",
        "applicant_name": "李四",
        "applicant_phone": "13912345678",
    }
    province = people.province()
    slots = f"{BASE}/halls/HALL_COUNTY/windows/W01/slots"
    before = (await c.get(slots, params={"day": day.isoformat()})).json()[0]["remaining"]
    first = await c.post(f"{BASE}/appointments", json=booking, headers=keyed(province, "book-0001"))
    again = await c.post(f"{BASE}/appointments", json=booking, headers=keyed(province, "book-0001"))
    assert (first.status_code, again.status_code) == (201, 201), first.text
    assert again.json()["id"] == first.json()["id"]
    after = (await c.get(slots, params={"day": day.isoformat()})).json()[0]["remaining"]
    assert after == before - 1
    unkeyed = await c.post(f"{BASE}/appointments", json=booking, headers=province)
    assert unkeyed.status_code == 400
    visit = {
        "applicant_name": "王奶奶",
        "applicant_phone": "13712345678",
        "address": "凤冈县龙泉镇新街1号",
        "wanted_day": day.isoformat(),
    }
    one = await c.post(f"{BASE}/door-to-door", json=visit, headers=keyed(province, "visit-0001"))
    two = await c.post(f"{BASE}/door-to-door", json=visit, headers=keyed(province, "visit-0001"))
    assert (one.status_code, two.status_code) == (201, 201), one.text
    requests = (await c.get(f"{BASE}/door-to-door", headers=people.clerk())).json()
    assert [r["id"] for r in requests] == [one.json()["id"]]
