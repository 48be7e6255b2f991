"""Every step of an application writes its event to the outbox in the same transaction:
accepted, supplement requested/received, suspended/resumed, extended, approved, delivered,
finished, completed (受理, 办结) and closed; the applicant is told by SMS of every 补正 (all
that is missing, at once) and of the extension.
Payloads carry the contract's common fields and no personal data."""

from __future__ import annotations

from datetime import date

import orjson
from sqlalchemy import select

from yingshang.clock import FrozenClock
from yingshang.events.envelope import CloudEvent
from yingshang.notify import Notification
from yingshang.testing.apps import ServiceUnderTest
from ys_approvals.events import catalogue

from .builders import BASE, AnApplication, People, all_materials, item_named, outbox_events
from .test_applications_clock import act, at

EXPECTED = [
    "created",
    "supplement_requested",
    "supplement_received",
    "accepted",
    "completed",
    "supplement_requested",
    "supplement_received",
    "suspended",
    "resumed",
    "extension_requested",
    "extended",
    "approved",
    "delivered",
    "finished",
    "completed",
    "closed",
]


async def test_each_step_publishes_its_event(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    c = hall.client
    item = await item_named(c, "食品经营许可")
    clerk = people.issuer.headers(("HALL", "staff"), staff_no="ZW2009")
    dept = people.staff("SCJGJ")
    body = AnApplication(item=item["code"], materials=all_materials(item)[:-1]).build()
    app = (await c.post(f"{BASE}/applications", json=body, headers=clerk)).json()
    last = all_materials(item)[-1]
    steps = [
        ("receive-supplement", clerk, {"materials": [last]}),
        ("accept", clerk, None),
        ("request-supplement", dept, {"missing": ["检验报告"]}),
        ("receive-supplement", dept, {"materials": ["检验报告"]}),
        ("suspend", dept, {"kind": "expert_review", "note": "专家评审"}),
        ("resume", dept, None),
        ("extension-request", dept, {"reason": "需现场核查"}),
        ("extension-approval", people.head("SCJGJ"), None),
        ("approve", dept, None),
        ("deliver", clerk, {"method": "pickup"}),
        ("finish", clerk, None),
    ]
    for n, (action, who, payload) in enumerate(steps):
        at(clock, date(2026, 3, 3 + n // 2))
        r = await act(c, app, action, who, payload)
        assert r.status_code == 200, (action, r.text)
    done = r.json()
    assert [p["kind"] for p in done["pauses"]] == ["review_supplement", "expert_review"]
    assert all(p["ended_at"] for p in done["pauses"])

    events = await outbox_events(hall, app["id"])
    for raw in events:  # every event is in the published catalogue and valid against it
        catalogue.validate(CloudEvent.model_validate(raw))
    case_events = [e for e in events if not e["type"].rsplit(".", 1)[-1].startswith("stage_")]
    assert [e["type"].rsplit(".", 1)[-1] for e in case_events] == EXPECTED
    intake_notice = case_events[1]["data"]
    assert (intake_notice["stage"], intake_notice["missing"]) == ("intake", [last])
    for event in case_events:
        assert event["subject"] == f"application/{app['id']}"
        data = event["data"]
        assert (data["case_number"], data["department"]) == (app["number"], "SCJGJ")
        assert "13812345678" not in orjson.dumps(data).decode()
        assert "520327199003070012" not in orjson.dumps(data).decode()
    closed = case_events[-1]["data"]
    assert (closed["outcome"], closed["working_days_used"]) == (
        "approved",
        done["working_days_used"],
    )
    stage_done = [e["data"] for e in events if e["type"].endswith(".stage_completed")]
    assert [(d["stage"], d["on_time"]) for d in stage_done] == [
        ("handling", done["on_time"]),
        ("delivery", True),  # 送达: handed over the day of the approval
    ]

    async with hall.app.state.db.read() as session:
        rows = await session.execute(
            select(Notification.template, Notification.recipient, Notification.params)
            .where(Notification.template != "rating_invitation")
            .order_by(Notification.created_at)
        )
        sent = [(t, r, p.get("missing") or p.get("days")) for t, r, p in rows]
    phone = "13812345678"
    # 一次性告知 at intake and in review, and the extension notice (行政许可法 art. 32, 42).
    assert sent == [
        ("supplement_notice", phone, [last]),
        ("supplement_notice", phone, ["检验报告"]),
        ("extension_notice", phone, 10),
    ]
