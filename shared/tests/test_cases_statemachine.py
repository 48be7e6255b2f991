"""The state machine on the kit sample: who, If-Match, state, and all-or-nothing effects."""

from __future__ import annotations

import uuid
from typing import Any, cast

import pytest
from conftest_kit import (
    CASES,
    PHONE,
    act,
    bureau,
    count,
    db_of,
    open_case,
    operator,
    roads_head,
    roads_staff,
    start_kit,
    water_head,
)
from kitservice.machine import CASE_MACHINE
from kitservice.models import SampleCase
from sqlalchemy import text

from yingshang.cases.statemachine import apply_transition
from yingshang.cases.timeline import TimelineEntry
from yingshang.events.outbox import OutboxEvent
from yingshang.problems import PreconditionFailed
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.plugin import StartService


async def dispatched_case(sut: ServiceUnderTest) -> tuple[str, str]:
    """A case dispatched to ROADS: its id and current ETag."""
    created = await open_case(sut)
    case_id = created.json()["id"]
    response = await act(
        sut, case_id, "dispatch", operator, created.headers["etag"], department="ROADS"
    )
    assert response.status_code == 200, response.text
    return case_id, response.headers["etag"]


async def test_a_case_walks_its_life_cycle(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    case_id, etag = await dispatched_case(sut)
    for action, who in [("accept", roads_head), ("reply", roads_staff), ("close", operator)]:
        response = await act(sut, case_id, action, who, etag)
        assert response.status_code == 200, response.text
        etag = response.headers["etag"]
    assert response.json()["state"] == "closed"
    assert etag == f'"case-{case_id}-5"'
    steps = (
        await sut.client.get(f"{CASES}/{case_id}/timeline", headers=bureau.headers(sut.issuer))
    ).json()
    assert [(s["action"], s["from_state"], s["to_state"]) for s in steps] == [
        ("created", None, "submitted"),
        ("dispatch", "submitted", "dispatched"),
        ("accept", "dispatched", "accepted"),
        ("reply", "accepted", "replied"),
        ("close", "replied", "closed"),
    ]
    assert (steps[2]["position_dept"], steps[2]["position_role"]) == ("ROADS", "head")
    # Each entry in words too: the step's label and its states' (the sample's 签收 is accept).
    assert [(s["label"], s["from_label"], s["to_label"]) for s in steps] == [
        ("受理", None, "已受理"),
        ("派单", "已受理", "已派单"),
        ("签收", "已派单", "已签收"),
        ("反馈", "已签收", "已反馈"),
        ("办结", "已反馈", "已办结"),
    ]


async def test_wrong_position_is_forbidden(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    case_id, etag = await dispatched_case(sut)
    # 签收 is for the head of the assigned department, not its staff, nor the operator.
    for who in (roads_staff, operator):
        response = await act(sut, case_id, "accept", who, etag)
        assert response.status_code == 403
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"].endswith("/transition-forbidden")
    assert await count(sut, TimelineEntry, TimelineEntry.action == "accept") == 0


async def test_a_case_outside_your_department_is_not_found(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    case_id, etag = await dispatched_case(sut)
    # The head of WATER may not even learn that the case exists: 404, not 403.
    assert (await act(sut, case_id, "accept", water_head, etag)).status_code == 404
    read = await sut.client.get(f"{CASES}/{case_id}", headers=water_head.headers(sut.issuer))
    assert read.status_code == 404
    listed = await sut.client.get(CASES, headers=water_head.headers(sut.issuer))
    assert listed.json()["items"] == []
    mine = await sut.client.get(CASES, headers=roads_head.headers(sut.issuer))
    assert [c["id"] for c in mine.json()["items"]] == [case_id]


async def test_missing_if_match_is_428_and_stale_is_412(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    created = await open_case(sut)
    case_id, first_etag = created.json()["id"], created.headers["etag"]
    missing = await act(sut, case_id, "dispatch", operator, None, department="ROADS")
    assert missing.status_code == 428
    star = await act(sut, case_id, "dispatch", operator, "*", department="ROADS")
    assert star.status_code == 428
    ok = await act(sut, case_id, "dispatch", operator, first_etag, department="ROADS")
    assert ok.status_code == 200
    stale = await act(sut, case_id, "accept", roads_head, first_etag)
    assert stale.status_code == 412
    assert stale.json()["current_etag"] == ok.headers["etag"]
    weak = await act(sut, case_id, "accept", roads_head, "W/" + ok.headers["etag"])
    assert weak.status_code == 200


async def test_a_transition_from_the_wrong_state_conflicts(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    created = await open_case(sut)
    case_id, etag = created.json()["id"], created.headers["etag"]
    response = await act(sut, case_id, "close", operator, etag)
    assert response.status_code == 409
    assert response.json()["allowed_from"] == ["replied"]
    unknown = await sut.client.post(
        f"{CASES}/{case_id}/explode", json={}, headers=operator.headers(sut.issuer)
    )
    assert unknown.status_code == 422  # not one of the case's actions


async def test_a_return_needs_its_reason(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    case_id, etag = await dispatched_case(sut)
    response = await act(sut, case_id, "return", roads_head, etag)
    assert response.status_code == 422
    assert response.json()["field"] == "note"
    # the head reads it: the step's label, and the rule every step's reason follows
    assert response.json()["detail"] == "“退单”须填写理由（至少 2 个字）"
    for said in ("错", "  错 "):  # one character says nothing (yingshang.validators.Reason)
        response = await act(sut, case_id, "return", roads_head, etag, note=said)
        assert (response.status_code, response.json()["field"]) == (422, "note"), said
    response = await act(sut, case_id, "return", roads_head, etag, note="不属于本单位职责")
    assert response.status_code == 200
    assert response.json()["state"] == "returned"
    assert response.json()["actions"] == []  # the head has nothing left to do on it


async def test_actions_offered_are_the_ones_allowed(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    case_id, _ = await dispatched_case(sut)
    as_head = await sut.client.get(f"{CASES}/{case_id}", headers=roads_head.headers(sut.issuer))
    assert as_head.json()["actions"] == ["accept", "return"]
    as_operator = await sut.client.get(f"{CASES}/{case_id}", headers=operator.headers(sut.issuer))
    assert as_operator.json()["actions"] == []


async def test_the_transition_commits_state_timeline_and_event_together(
    service_app: StartService,
) -> None:
    sut = await start_kit(service_app)
    case_id, _ = await dispatched_case(sut)
    events = await count(sut, OutboxEvent, OutboxEvent.subject == "ys.kit.case.dispatched")
    assert events == 1
    async with db_of(sut).read() as session:
        row = await session.get(OutboxEvent, 2)
        assert row is not None
        case_key, data = row.case_key, cast(dict[str, Any], row.payload["data"])
    assert case_key == f"case/{case_id}"
    assert (data["from_state"], data["to_state"], data["department"]) == (
        "submitted",
        "dispatched",
        "ROADS",
    )
    assert data["by"]["dept"] == "HOTLINE_CENTER"


def assign_roads(case: SampleCase) -> None:
    case.department = "ROADS"


async def dispatch_then_fail(sut: ServiceUnderTest, case_id: uuid.UUID) -> None:
    async with db_of(sut).write() as session:
        case = await session.get(SampleCase, case_id)
        assert case is not None
        result = await apply_transition(
            session,
            CASE_MACHINE,
            case,
            "dispatch",
            operator.build(),
            if_match=CASE_MACHINE.etag(case),
            effect=assign_roads,
        )
        assert result.event is not None  # state, timeline and outbox are flushed ...
        raise RuntimeError("something failed after the transition")  # ... then this


async def test_a_failure_after_the_transition_leaves_no_trace(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    created = await open_case(sut)
    case_id = uuid.UUID(created.json()["id"])
    with pytest.raises(RuntimeError, match="after the transition"):
        await dispatch_then_fail(sut, case_id)
    assert await count(sut, TimelineEntry, TimelineEntry.action == "dispatch") == 0
    assert await count(sut, OutboxEvent, OutboxEvent.subject == "ys.kit.case.dispatched") == 0
    read = await sut.client.get(f"{CASES}/{case_id}", headers=operator.headers(sut.issuer))
    assert (read.json()["state"], read.json()["version"]) == ("submitted", 1)
    # The same transition, committed, leaves exactly its own trace.
    ok = await act(
        sut, str(case_id), "dispatch", operator, read.headers["etag"], department="ROADS"
    )
    assert ok.status_code == 200
    assert await count(sut, TimelineEntry, TimelineEntry.action == "dispatch") == 1
    assert await count(sut, OutboxEvent, OutboxEvent.subject == "ys.kit.case.dispatched") == 1


async def test_a_concurrent_change_at_flush_time_is_412(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    created = await open_case(sut)
    case_id = uuid.UUID(created.json()["id"])
    async with db_of(sut).write() as session:
        case = await session.get(SampleCase, case_id)
        assert case is not None
        etag = CASE_MACHINE.etag(case)
        # Another writer bumps the row behind this session's back (a lost race).
        await session.execute(text("UPDATE kit_cases SET version = version + 1"))
        with pytest.raises(PreconditionFailed):
            await apply_transition(
                session,
                CASE_MACHINE,
                case,
                "dispatch",
                operator.build(),
                if_match=etag,
                effect=assign_roads,
            )
        await session.rollback()


async def test_create_validates_like_external_input(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    bad = {"title": "x", "requester_phone": "12345", "enterprise_uscc": "91350100M000100Y44"}
    response = await sut.client.post(CASES, json=bad, headers=operator.headers(sut.issuer))
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"requester_phone", "enterprise_uscc"}
    ok = {"title": "x", "requester_phone": PHONE, "enterprise_uscc": "91350100m000100y43"}
    created = await sut.client.post(CASES, json=ok, headers=operator.headers(sut.issuer))
    assert created.json()["enterprise_uscc"] == "91350100M000100Y43"
    assert created.json()["requester_phone"] == "138****5678"
