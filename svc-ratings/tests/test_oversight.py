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
