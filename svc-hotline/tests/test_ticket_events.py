"""Every step of the loop publishes its event (ARCHITECTURE.md: state, timeline entry and
outbox event in one transaction): 联系, 审核退回, 退单审核 and 归档 included, with the
origin client the province's webhooks are chosen by."""

from typing import Any

from sqlalchemy import select

from yingshang.cases.timeline import TimelineEntry
from yingshang.testing.apps import ServiceUnderTest
from ys_hotline.tickets.events import PREFIX, PRODUCED
from ys_hotline.tickets.machine import MACHINE

from .builders import People, create, outbox_events, step


def test_every_transition_of_the_ticket_declares_a_catalogued_event() -> None:
    silent = [t.name for t in MACHINE.transitions if t.event is None]
    assert silent == []
    assert {t.event for t in MACHINE.transitions} <= set(PRODUCED)


async def pushed(hotline: ServiceUnderTest, people: People, key: str) -> dict[str, Any]:
    """A ticket the provincial platform pushed (its events are the province's to receive)."""
    headers = {**people.province(), "Idempotency-Key": key}
    body = {"source": "province", "external_id": key}
    return await create(hotline.client, headers, **body)


def named(events: list[dict[str, Any]], name: str) -> dict[str, Any]:
    [event] = [e for e in events if e["type"] == f"{PREFIX}.{name}"]
    return event


async def test_contact_send_back_and_archive_publish_their_events(
    hotline: ServiceUnderTest, people: People
) -> None:
    c, dept = hotline.client, people.staff("SCJGJ")
    t = await step(c, await pushed(hotline, people, "GZ-EV-01"), "dispatch", people.operator)
    t = await step(c, t, "sign", people.head("SCJGJ"))
    t = await step(c, t, "contact", dept, {"note": "已电话联系"})
    t = await step(c, t, "reply", dept, {"body": "已责令整改。"})
    t = await step(c, t, "review", people.center_head, {"approve": False, "note": "请补充结果"})
    t = await step(c, t, "reply", dept, {"body": "已整改，复查合格。"})
    t = await step(c, t, "review", people.center_head, {"approve": True})
    t = await step(c, t, "revisit", people.operator, {"level": 5})
    t = await step(c, t, "archive", people.center_head)
    events = await outbox_events(hotline, t["id"])
    for name in ("contacted", "sent_back", "archived"):
        event = named(events, name)
        assert (event["data"]["origin_client"], event["data"]["case_number"]) == (
            "province",
            t["number"],
        )
    assert named(events, "contacted")["data"]["department"] == "SCJGJ"
    assert named(events, "sent_back")["data"]["to_state"] == "handling"
    assert named(events, "archived")["data"]["revisited"] is True
    async with hotline.app.state.db.read() as session:
        linked = await session.scalars(
            select(TimelineEntry.event_id).where(
                TimelineEntry.action.in_(["contact", "send_back", "archive"])
            )
        )
        assert set(linked) == {
            named(events, n)["id"] for n in ("contacted", "sent_back", "archived")
        }


async def test_the_return_visit_names_the_closure_it_rates(
    hotline: ServiceUnderTest, people: People
) -> None:
    """回访 is the ticket's 好差评 rating: its event carries the 办结 it rates (the upward
    report's 受理/办结时间 of the rating)."""
    c, dept = hotline.client, people.staff("SCJGJ")
    t = await step(c, await pushed(hotline, people, "GZ-EV-04"), "dispatch", people.operator)
    t = await step(c, t, "sign", people.head("SCJGJ"))
    t = await step(c, t, "contact", dept, {"note": "已电话联系"})
    t = await step(c, t, "reply", dept, {"body": "已责令整改。"})
    t = await step(c, t, "review", people.center_head, {"approve": True})
    t = await step(c, t, "revisit", people.operator, {"level": 4})
    events = await outbox_events(hotline, t["id"])
    closed_at = named(events, "closed")["data"]["closed_at"]
    assert named(events, "revisited")["data"]["closed_at"] == closed_at


async def test_the_review_of_a_return_publishes_its_decision(
    hotline: ServiceUnderTest, people: People
) -> None:
    """派单异议审核: the province learns that the 退单 held (the ticket is back at the center)
    or was refused (back to the department)."""
    c, head = hotline.client, people.head("SCJGJ")
    outcomes = {}
    for key, approve in (("GZ-EV-02", True), ("GZ-EV-03", False)):
        t = await step(c, await pushed(hotline, people, key), "dispatch", people.operator)
        t = await step(c, t, "return", head, {"reason": "不属本部门职责"})
        decision = {"approve": approve, "note": None if approve else "属本部门职责"}
        t = await step(c, t, "return-review", people.center_head, decision)
        outcomes[approve] = (t, await outbox_events(hotline, t["id"]))
    approved, approved_events = outcomes[True]
    event = named(approved_events, "return_approved")
    assert approved["status"] == "received"
    assert (event["data"]["department"], event["data"]["reason"]) == ("SCJGJ", "不属本部门职责")
    assert event["data"]["origin_client"] == "province"
    refused, refused_events = outcomes[False]
    assert refused["status"] == "dispatched"
    assert named(refused_events, "return_rejected")["data"]["to_state"] == "dispatched"


async def test_a_platform_hears_its_own_id_and_the_answer_in_the_result_events(
    hotline: ServiceUnderTest, people: People
) -> None:
    """The province matches what it hears to what it pushed (``external_id``, ``source``) and
    learns the answer from ``closed`` without a GET; numbers in the answer are masked."""
    c, dept = hotline.client, people.staff("SCJGJ")
    t = await step(c, await pushed(hotline, people, "GZ-EV-09"), "dispatch", people.operator)
    t = await step(c, t, "sign", people.head("SCJGJ"))
    t = await step(c, t, "contact", dept, {"note": "已电话联系"})
    t = await step(c, t, "reply", dept, {"body": "已整改，复查合格，联系电话13812345678。"})
    t = await step(c, t, "review", people.center_head, {"approve": True})
    events = await outbox_events(hotline, t["id"])
    for name in ("created", "dispatched", "replied", "closed"):
        data = named(events, name)["data"]
        assert (data["external_id"], data["source"]) == ("GZ-EV-09", "province"), name
    answer = named(events, "closed")["data"]["answer"]
    assert answer == "已整改，复查合格，联系电话138****5678。"
    own = await create(c, people.operator)
    [created] = [e for e in await outbox_events(hotline, own["id"]) if e["type"].endswith(
        ".created")]  # fmt: skip
    assert (created["data"]["external_id"], created["data"]["source"]) == (None, "phone")


async def test_a_supervision_escalates_the_handling_limit_into_the_ledger(
    hotline: ServiceUnderTest, people: People
) -> None:
    """督办 by the bureau: the 办理 stage's ``escalated`` event at the bureau's level (L2),
    which the 督办 ledger holds until 办结; a 催办 publishes none."""
    c = hotline.client
    t = await step(c, await create(c, people.operator), "dispatch", people.operator)
    t = await step(c, t, "sign", people.head("SCJGJ"))
    t = await step(c, t, "urge", people.center_head, {"note": "请加快办理"})
    urged = [e["type"] for e in await outbox_events(hotline, t["id"])]
    assert f"{PREFIX}.escalated" not in urged
    t = await step(c, t, "urge", people.bureau, {"supervise": True, "note": "督办"})
    escalated = named(await outbox_events(hotline, t["id"]), "escalated")["data"]
    assert (escalated["stage"], escalated["level"], escalated["target"], escalated["action"]) == (
        "handle",
        2,
        "bureau",
        "supervise",
    )
    assert (escalated["case_number"], escalated["department"]) == (t["number"], "SCJGJ")
