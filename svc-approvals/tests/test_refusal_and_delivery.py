"""不予受理 with its reason closes the application and stops its clock; delivery by free post
needs the tracking number (and an address); a rejection needs its reason."""

from __future__ import annotations

from datetime import date

from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest
from yingshang.time.sweeper import DeadlineSweeper

from .builders import (
    BASE,
    AnApplication,
    People,
    all_materials,
    food_licence_at_the_window,
    item_named,
    outbox_events,
)
from .test_applications_clock import act, at


async def test_refusal_closes_and_stops_the_clock(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    c = hall.client
    item = await item_named(c, "食品经营许可")
    clerk = people.issuer.headers(("HALL", "staff"), staff_no="ZW2009")
    body = AnApplication(item=item["code"], materials=all_materials(item)).build()
    made = (await c.post(f"{BASE}/applications", json=body, headers=clerk)).json()
    assert (await act(c, made, "refuse", clerk, {})).status_code == 422  # the reason is required
    r = await act(c, made, "refuse", clerk, {"reason": "申请事项依法不需要取得行政许可"})
    assert r.status_code == 200, r.text
    refused = r.json()
    assert (refused["status"], refused["outcome"]) == ("refused", "refused")
    assert refused["actions"] == []
    closed = await outbox_events(hall, made["id"], "closed")
    assert [e["data"]["outcome"] for e in closed] == ["refused"]
    at(clock, date(2026, 4, 30))  # long past the committed limit: nothing fires for it
    await DeadlineSweeper(hall.app.state.db).sweep()
    assert await outbox_events(hall, made["id"], "overdue") == []
    public = await c.get(
        f"{BASE}/public/applications/{made['number']}", params={"query_code": made["query_code"]}
    )
    assert (public.json()["status"], public.json()["status_label"]) == ("refused", "不予受理")


async def test_postal_delivery_needs_tracking_and_address(
    hall: ServiceUnderTest, people: People
) -> None:
    c = hall.client
    clerk, app = await food_licence_at_the_window(c, people.issuer)
    await act(c, app, "accept", clerk)
    assert (await act(c, app, "reject", people.staff("SCJGJ"), {"reason": ""})).status_code == 422
    await act(c, app, "approve", people.staff("SCJGJ"))
    no_tracking = await act(
        c, app, "deliver", clerk, {"method": "postal", "postal_address": "龙泉镇1号"}
    )
    assert (no_tracking.status_code, no_tracking.json()["field"]) == (422, "tracking_number")
    assert no_tracking.json()["detail"] == "邮寄送达须填写邮件单号"  # the clerk reads it
    no_address = await act(
        c, app, "deliver", clerk, {"method": "postal", "tracking_number": "EMS1234567890"}
    )
    assert (no_address.status_code, no_address.json()["field"]) == (422, "postal_address")
    assert no_address.json()["detail"] == "邮寄送达须填写邮寄地址"
    assert (await act(c, app, "finish", clerk)).status_code == 409  # not delivered yet
    sent = await act(
        c,
        app,
        "deliver",
        clerk,
        {"method": "postal", "tracking_number": "EMS1234567890", "postal_address": "龙泉镇1号"},
    )
    assert (sent.json()["status"], sent.json()["tracking_number"]) == ("delivered", "EMS1234567890")
    assert [
        e["data"]["tracking_number"] for e in await outbox_events(hall, app["id"], "delivered")
    ] == ["EMS1234567890"]
