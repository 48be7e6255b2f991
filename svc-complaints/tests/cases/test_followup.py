"""Around the main flow: the center sends a reply back, oversight urges (督办), a consenting
enterprise is named to the unit, the 好差评 link goes out by SMS, departments change."""

from typing import Any

from sqlalchemy import select

from tests.builders import BASE, ENTERPRISE, AComplaint, People, Walk, register, step
from tests.cases.test_flow import events_of
from yingshang.events.envelope import make_event
from yingshang.notify import Notification
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.directory import deliver, directory_event
from ys_complaints.consumers import EVENTS, directory, on_invitation


async def test_send_back_restarts_the_units_clock(
    complaints: ServiceUnderTest, people: People, walk: Walk
) -> None:
    c, p = complaints.client, people
    case = await walk.replied()
    await step(c, case, "send_back", p.officer, expect=422)  # says why
    case = await step(c, case, "send_back", p.officer, {"note": "请说明对企业损失的处理"})
    assert case["state"] == "investigating"
    clocks = [(s["stage"], s["status"]) for s in case["stages"]]
    assert clocks == [
        ("acceptance", "completed"),
        ("reply", "completed"),
        ("feedback", "cancelled"),
        ("reply", "running"),
    ]
    assert [n["kind"] for n in case["notes"]][-1] == "review"
    events = [e for e in await events_of(complaints, case["id"]) if "stage_" not in e["type"]]
    assert (events[-1]["type"], events[-1]["data"]["to_state"]) == (
        "ys.complaints.case.sent_back",
        "investigating",
    )


async def test_oversight_urges(complaints: ServiceUnderTest, people: People, walk: Walk) -> None:
    c, p = complaints.client, people
    case = await walk.assigned()
    await step(c, case, "urge", p.head(), {"note": "请加快办理"}, expect=403)
    case = await step(c, case, "urge", p.bureau, {"note": "请于本周内答复"})
    assert (case["state"], case["supervised"]) == ("assigned", True)
    unit = (await c.get(f"{BASE}/cases/{case['id']}", headers=p.head())).json()
    assert unit["notes"][-1]["kind"] == "urge"
    # the bureau's 督办 escalates the unit's reply at its level: the 督办 ledger holds it
    [escalated] = [e["data"] for e in await events_of(complaints, case["id"])
                   if e["type"] == "ys.complaints.case.escalated"]  # fmt: skip
    assert (escalated["stage"], escalated["level"], escalated["target"]) == ("reply", 2, "bureau")


async def test_a_consenting_enterprise_is_named_to_the_unit(
    complaints: ServiceUnderTest, people: People
) -> None:
    c, p = complaints.client, people
    consenting = AComplaint().with_(extra={"disclose_to_respondent": True})
    case = await register(c, p.clerk, consenting)
    case = await step(c, case, "accept", p.officer)
    case = await step(c, case, "assign", p.officer)
    unit = (await c.get(f"{BASE}/cases/{case['id']}", headers=p.head())).json()
    assert unit["identity"] == "consented"
    assert (unit["enterprise"]["name"], unit["enterprise"]["uscc"]) == (
        ENTERPRISE["name"],
        ENTERPRISE["uscc"],
    )
    assert unit["enterprise"]["contact_phone"] == "135****5678"
    assert ENTERPRISE["contact_phone"] not in str(unit)
    assert len(unit["evidence"]) == 2  # identifying evidence too, with consent


def _invitation(case: dict[str, Any], service: str = "complaints") -> Any:
    data = {
        "case_id": case["id"],
        "case_number": case["number"],
        "department": "SCJGJ",
        "origin_client": None,
        "invitation_id": "8d4f3c52-6d57-4f0e-9d0a-1f2e3d4c5b6a",
        "token_url": "/console/public/rate/t0k3n",
        "service": service,
        "case_kind": "case",
        "node": "finish",
        "expires_at": "2026-04-01T00:00:00Z",
    }
    return make_event(
        "ratings", "ys.ratings.invitation.created", data, subject=f"case/{case['id']}"
    )


async def test_rating_link_goes_to_the_contact(
    complaints: ServiceUnderTest, people: People
) -> None:
    real = await register(complaints.client, people.clerk)
    anonymous = await register(complaints.client, people.clerk, AComplaint().anonymous())
    async with complaints.app.state.db.write() as session:
        for case, service in ((real, "complaints"), (anonymous, "complaints"), (real, "visits")):
            event = _invitation(case, service)
            await on_invitation(session, event, EVENTS.validate(event).payload)
    async with complaints.app.state.db.read() as session:
        rows = await session.execute(
            select(Notification.recipient, Notification.params).where(
                Notification.template == "rating_invitation"
            )
        )
        sent = [(r, p) for r, p in rows]
    assert sent == [
        (
            ENTERPRISE["contact_phone"],
            {"number": real["number"], "node": "finish", "url": "/console/public/rate/t0k3n"},
        )
    ]


async def test_a_deactivated_department_is_no_respondent(
    complaints: ServiceUnderTest, people: People
) -> None:
    data = {"code": "ZHZFJ", "name": "综合行政执法局", "kind": "department", "active": False}
    event = directory_event("department.deactivated", data)
    assert await deliver(complaints.app.state.db, directory, event)
    body = AComplaint(respondent="ZHZFJ").build()
    response = await complaints.client.post(f"{BASE}/cases", json=body, headers=people.clerk)
    assert response.status_code == 422
    assert "respondent" in response.text
