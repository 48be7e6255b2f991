"""The bureau's read model: scorecards and the 督办 ledger, fed by every service's events."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from yingshang.clock import FrozenClock, now
from yingshang.events.catalogue import EventRejected
from yingshang.testing.apps import ServiceUnderTest

from .builders import DEPT, OTHER_DEPT, Events, People, case_fields, stage_event

APP = "ys.approvals.application"
MONTH = "2026-10"


async def scorecard(sut: ServiceUnderTest, people: People, dept: str = DEPT) -> dict[str, Any]:
    response = await sut.client.get(
        "/api/v1/ratings/scorecards",
        params={"month": MONTH, "department": dept},
        headers=people.bureau(),
    )
    assert response.status_code == 200, response.text
    [card] = response.json()["items"]
    return dict(card)


async def ledger(
    sut: ServiceUnderTest, headers: dict[str, str], **params: Any
) -> list[dict[str, Any]]:
    response = await sut.client.get("/api/v1/ratings/escalations", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def test_cases_received_and_closed_per_service(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    case = case_fields()
    await events.send(f"{APP}.created", {**case, "received_at": now().isoformat()})
    ticket = case_fields(department=None)  # not dispatched yet: counts for the 12345 center
    await events.send("ys.hotline.ticket.created", {**ticket, "received_at": now().isoformat()})
    await events.send(
        f"{APP}.closed",
        {
            **case,
            "received_at": now().isoformat(),
            "closed_at": now().isoformat(),
            "outcome": "approved",
        },
    )
    card = await scorecard(ratings, people)
    assert (card["received"], card["closed"]) == ({"approvals": 1}, {"approvals": 1})
    center = await scorecard(ratings, people, "HOTLINE_CENTER")
    assert center["received"] == {"hotline": 1}


async def test_matters_count_for_the_unit_handling_them_and_only_matters(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    """受理 counts the matters a unit received to handle: a 交办单, a 12345 ticket or a
    complaint handed on by its center counts for the unit from 交办/派单 on (not only once
    closed); a 挂帮 pairing, a rectification or a 暗访 finding is no matter received."""
    at = {"received_at": now().isoformat()}
    problem = case_fields(department="ENTERPRISE_CENTER")
    await events.send("ys.visits.problem.created", {**problem, **at, "source": "visit"})
    await events.send("ys.visits.problem.assigned", {**problem, "department": OTHER_DEPT})
    ticket = case_fields(department=None)
    await events.send("ys.hotline.ticket.created", {**ticket, **at})
    await events.send("ys.hotline.ticket.dispatched", {**ticket, "department": OTHER_DEPT})
    complaint = case_fields(department="COMPLAINTS_CENTER")
    await events.send("ys.complaints.case.created", {**complaint, **at})
    await events.send("ys.complaints.case.assigned", {**complaint, "department": OTHER_DEPT})
    for type_ in ("ys.visits.pairing.created", "ys.complaints.finding.opened"):
        await events.send(type_, {**case_fields(department=OTHER_DEPT), **at})
    rectification = {**case_fields(department=OTHER_DEPT), **at}
    await events.send("ys.ratings.rectification.opened", rectification)
    response = await ratings.client.get(
        "/api/v1/ratings/scorecards", params={"month": MONTH}, headers=people.bureau()
    )
    cards = {card["department"]: card["received"] for card in response.json()["items"]}
    assert cards == {OTHER_DEPT: {"visits": 1, "hotline": 1, "complaints": 1}}


async def test_a_ticket_counts_from_its_dispatch_and_merged_or_transferred_for_no_one(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    """The events of a 12345 ticket name the department its category leads to from intake
    on: it is that department's 受理 only once dispatched to it. Waiting at the center, a
    咨询 answered at intake: the center's; a 退单 the center approved: the center's until
    re-dispatched; a merged duplicate or a ticket transferred to the complaints center: no
    one's (the complaints case counts there)."""
    at = {"received_at": now().isoformat()}
    closing = {**at, "closed_at": now().isoformat()}
    waiting, answered, returned, merged, transferred = (
        case_fields(department=DEPT) for _ in range(5)
    )
    for ticket in (waiting, answered, returned, merged, transferred):
        await events.send("ys.hotline.ticket.created", {**ticket, **at})
    await events.send("ys.hotline.ticket.closed", {**answered, **closing, "outcome": "answered"})
    await events.send("ys.hotline.ticket.dispatched", returned)
    await events.send("ys.hotline.ticket.return_approved", {**returned, "reason": "不属本部门"})
    await events.send("ys.hotline.ticket.dispatched", {**returned, "department": OTHER_DEPT})
    await events.send("ys.hotline.ticket.dispatched", merged)
    await events.send("ys.hotline.ticket.merged", {**merged, "into_ticket_id": str(uuid.uuid4())})
    await events.send("ys.hotline.ticket.closed", {**merged, **closing, "outcome": "merged"})
    await events.send("ys.hotline.ticket.transferred", {**transferred, "department": None})
    response = await ratings.client.get(
        "/api/v1/ratings/scorecards", params={"month": MONTH}, headers=people.bureau()
    )
    cards = {c["department"]: (c["received"], c["closed"]) for c in response.json()["items"]}
    assert cards == {
        "HOTLINE_CENTER": ({"hotline": 2}, {"hotline": 1}),
        OTHER_DEPT: ({"hotline": 1}, {}),
    }


async def test_a_problem_given_back_counts_for_the_center_again(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    """A 交办单 the department gave back (退回, not its matter) is the center's again until it
    is handed to the next unit."""
    at = {"received_at": now().isoformat()}
    problem = case_fields(department="ENTERPRISE_CENTER")
    await events.send("ys.visits.problem.created", {**problem, **at, "source": "visit"})
    await events.send("ys.visits.problem.assigned", {**problem, "department": OTHER_DEPT})
    await events.send("ys.visits.problem.returned", {**problem, "department": OTHER_DEPT})
    response = await ratings.client.get(
        "/api/v1/ratings/scorecards", params={"month": MONTH}, headers=people.bureau()
    )
    cards = {c["department"]: c["received"] for c in response.json()["items"]}
    assert cards == {"ENTERPRISE_CENTER": {"visits": 1}}


async def test_an_escalation_rises_then_closes_on_its_stage(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    case, stage_id, due = case_fields(), str(uuid.uuid4()), now()
    await events.send(f"{APP}.warning", stage_event(case, stage_id, 0, due))
    clock.advance(timedelta(hours=1))
    await events.send(f"{APP}.overdue", stage_event(case, stage_id, 1, due))
    await events.send(f"{APP}.escalated", stage_event(case, stage_id, 1, due))
    clock.advance(timedelta(days=1))
    await events.send(f"{APP}.escalated", stage_event(case, stage_id, 2, due))
    [entry] = await ledger(ratings, people.bureau(), level=2)
    assert (entry["case_number"], entry["department"], entry["stage"]) == (
        case["case_number"],
        DEPT,
        "review",
    )
    assert entry["since"] < entry["raised_at"]
    assert (await scorecard(ratings, people))["overdue_now"] == 1
    await events.send(f"{APP}.stage_completed", stage_event(case, stage_id, 2, due, on_time=False))
    assert await ledger(ratings, people.bureau()) == []
    [closed] = await ledger(ratings, people.bureau(), status="closed")
    assert closed["closed_by"] == "stage_completed"
    card = await scorecard(ratings, people)
    assert card["overdue_now"] == 0
    assert card["escalations"] == {"L2": 1}
    assert card["stages"] == [
        {
            "service": "approvals",
            "stage": "review",
            "completed": 1,
            "on_time": 0,
            "on_time_rate": 0.0,
        }
    ]


async def test_an_escalation_beyond_the_default_three_levels_is_kept(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    """A policy may hold up to five levels (``yingshang.time.terms.MAX_LEVELS``): its L4 and
    L5 reach the ledger instead of a dead letter."""
    case, stage_id, due = case_fields(), str(uuid.uuid4()), now()
    await events.send(f"{APP}.overdue", stage_event(case, stage_id, 1, due))
    for level in (1, 2, 3, 4, 5):
        await events.send(f"{APP}.escalated", stage_event(case, stage_id, level, due))
    [entry] = await ledger(ratings, people.bureau(), level=5)
    assert entry["case_number"] == case["case_number"]


async def test_closing_the_case_closes_its_entries_and_late_ones_never_open(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    case, due = case_fields(), now()
    for stage_id in ("s-1", "s-2"):
        await events.send(f"{APP}.overdue", stage_event(case, stage_id, 1, due))
    assert len(await ledger(ratings, people.bureau())) == 2
    await events.send(
        f"{APP}.closed", {**case, "received_at": due.isoformat(), "closed_at": now().isoformat()}
    )
    assert await ledger(ratings, people.bureau()) == []
    await events.send(f"{APP}.escalated", stage_event(case, "s-3", 2, due))
    assert await ledger(ratings, people.bureau()) == []  # the case is closed already


async def test_departments_see_their_own_entries_only(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    for dept in (DEPT, OTHER_DEPT):
        case = case_fields(department=dept)
        await events.send(f"{APP}.overdue", stage_event(case, str(uuid.uuid4()), 1, now()))
    mine = await ledger(ratings, people.department(role="head"))
    assert [e["department"] for e in mine] == [DEPT]
    assert len(await ledger(ratings, people.committee())) == 2
    cards = await ratings.client.get(
        "/api/v1/ratings/scorecards", params={"month": MONTH}, headers=people.department()
    )
    assert [c["department"] for c in cards.json()["items"]] == [DEPT]


@pytest.mark.parametrize(
    ("type_", "change"),
    [
        (f"{APP}.overdue", {"level": 9}),
        (f"{APP}.overdue", {"stage_id": None}),
        (f"{APP}.created", {"case_id": "not-a-uuid"}),
        ("ys.hotline.ticket.revisited", {"level": 0}),
        (f"{APP}.completed", {"node": "halfway"}),
    ],
)
async def test_invalid_payloads_are_rejected_like_input(
    events: Events, type_: str, change: dict[str, Any]
) -> None:
    base = stage_event(case_fields(), "s", 1, now()) | {
        "received_at": now().isoformat(),
        "revisited_at": now().isoformat(),
        "node": "finish",
        "channel": "window",
        "service": "approvals",
        "case_kind": "application",
    }
    with pytest.raises(EventRejected):
        await events.validate(type_, {**base, **change})


async def test_an_escalated_stage_that_is_cancelled_leaves_the_ledger(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    """The 督办 ledger holds open escalations: a stage that stops running without an outcome
    (a 退单 / 退回, a 并单) takes its entry out, and the department's overdue-now count."""
    case = case_fields(department=OTHER_DEPT)
    stage_id, due = str(uuid.uuid4()), now()
    escalated = stage_event(case, stage_id, 1, due, target="responsible_head", action="notify")
    await events.send(f"{APP}.overdue", stage_event(case, stage_id, 1, due))
    await events.send(f"{APP}.escalated", escalated)
    opened = await ledger(ratings, people.bureau(), department=OTHER_DEPT)
    assert [(e["case_number"], e["closed_at"]) for e in opened] == [(case["case_number"], None)]
    await events.send(f"{APP}.stage_cancelled", stage_event(case, stage_id, 1, due))
    assert await ledger(ratings, people.bureau(), department=OTHER_DEPT) == []
    assert (await scorecard(ratings, people, OTHER_DEPT))["overdue_now"] == 0
    # a cancellation of a stage that never escalated is absorbed without an entry
    await events.send(f"{APP}.stage_cancelled", stage_event(case, str(uuid.uuid4()), 0, due))
    assert await ledger(ratings, people.bureau(), department=OTHER_DEPT) == []


TICKET = "ys.hotline.ticket"


def ticket_stage(case: dict[str, Any], stage: str, level: int, **extra: Any) -> dict[str, Any]:
    """A 12345 ticket's deadline event (stage ids are the engine's UUIDs)."""
    data = stage_event(case, extra.pop("stage_id", str(uuid.uuid4())), level, now(), **extra)
    return data | {"case_kind": "ticket", "stage": stage}


async def test_a_stage_running_after_the_closure_escalates_into_the_ledger(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    """办结 starts the 12345 回访 and the complaints center's anti-retaliation 回访核查: an
    escalation of either, reached after the closure, opens its entry, which closes when that
    stage completes."""
    ticket, complaint = case_fields(), case_fields()
    closed = {"received_at": now().isoformat(), "closed_at": now().isoformat()}
    await events.send(f"{TICKET}.closed", {**ticket, **closed})
    await events.send("ys.complaints.case.closed", {**complaint, **closed})
    clock.advance(timedelta(days=2))
    revisit = ticket_stage(ticket, "revisit", 1)
    await events.send(f"{TICKET}.overdue", revisit)
    checkback = ticket_stage(complaint, "checkback", 1) | {"case_kind": "case"}
    await events.send("ys.complaints.case.overdue", checkback)
    entries = await ledger(ratings, people.bureau())
    assert sorted((e["service"], e["stage"]) for e in entries) == [
        ("complaints", "checkback"),
        ("hotline", "revisit"),
    ]
    clock.advance(timedelta(hours=1))
    await events.send(f"{TICKET}.stage_completed", revisit | {"on_time": False})
    assert [e["stage"] for e in await ledger(ratings, people.bureau())] == ["checkback"]


async def test_a_reopened_ticket_is_open_again_and_its_redo_escalates(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    """A dissatisfied 回访 reopens the ticket: it is no longer closed, the redo's stages go
    into the 督办 ledger, and its next 办结 closes them. A reopen delivered twice, or one older
    than the closure recorded, changes nothing."""
    ticket = case_fields()
    received = now().isoformat()
    await events.send(f"{TICKET}.created", {**ticket, "received_at": received})
    await events.send(f"{TICKET}.dispatched", ticket)  # the department's from 派单 on
    closed = {**ticket, "received_at": received, "closed_at": now().isoformat()}
    await events.send(f"{TICKET}.closed", closed)
    assert (await scorecard(ratings, people))["closed"] == {"hotline": 1}
    clock.advance(timedelta(days=1))
    reopened = await events.send(f"{TICKET}.reopened", {**ticket, "reason": "群众不满意"})
    assert (await scorecard(ratings, people))["closed"] == {}

    clock.advance(timedelta(days=2))
    redo = ticket_stage(ticket, "sign", 1)
    await events.send(f"{TICKET}.overdue", redo)
    [entry] = await ledger(ratings, people.bureau())
    assert (entry["case_number"], entry["stage"], entry["level"]) == (
        ticket["case_number"],
        "sign",
        1,
    )

    clock.advance(timedelta(days=1))
    await events.send(f"{TICKET}.closed", {**closed, "closed_at": now().isoformat()})
    assert await ledger(ratings, people.bureau()) == []
    await events.send(
        f"{TICKET}.reopened", {**ticket, "reason": "群众不满意"}, event_id=reopened.id
    )
    stale = {**ticket, "reason": "群众不满意"}
    await events.send(f"{TICKET}.reopened", stale, at=now() - timedelta(days=2))
    assert (await scorecard(ratings, people))["closed"] == {"hotline": 1}
    # the redo's L2, reached before the 办结 but delivered after it, opens nothing
    late = ticket_stage(ticket, "sign", 2, stage_id=redo["stage_id"])
    await events.send(f"{TICKET}.escalated", late, at=now() - timedelta(hours=1))
    assert await ledger(ratings, people.bureau()) == []
