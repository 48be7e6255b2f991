"""Rules of the loop at its edges: who may handle, whose clock, what the figures count, and
inputs that must be refused as problems (each test names the rule it checks)."""

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from yingshang.clock import FrozenClock
from yingshang.events.outbox import OutboxEvent
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.clock import frozen_clock
from yingshang.time.sweeper import DeadlineSweeper

from .builders import BASE, People, create, in_seconds, step, ticket_body, with_etag

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 Asia/Shanghai


def lenient(hotline: ServiceUnderTest) -> httpx.AsyncClient:
    """A client that gets the 500 a server would send instead of the raised exception."""
    transport = httpx.ASGITransport(app=hotline.app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


@pytest.fixture
def clock() -> Iterator[FrozenClock]:
    with frozen_clock(T0) as frozen:
        yield frozen


async def test_only_handling_units_handle_and_never_a_town_for_a_county_matter(
    hotline: ServiceUnderTest, people: People
) -> None:
    """The center dispatches to departments (towns only for town matters): not to itself or
    another coordinating body, where the center would sign, handle and approve its own reply;
    and a county matter has no town among its co-handlers either."""
    c = hotline.client
    t = await create(c, people.operator)  # SCJG_FOOD: county level, lead SCJGJ
    for body, field, code in (
        ({"department": "HOTLINE_CENTER"}, "department", "not-a-handling-unit"),
        ({"department": "BUREAU"}, "department", "not-a-handling-unit"),
        ({"co_departments": ["LONGQUAN"]}, "co_departments", "county-matter-to-town"),
        ({"co_departments": ["COMPLAINTS_CENTER"]}, "co_departments", "not-a-handling-unit"),
    ):
        refused = await c.post(
            f"{BASE}/tickets/{t['id']}/dispatch",
            json=body,
            headers={**people.operator, "If-Match": f'"ticket-{t["id"]}-{t["version"]}"'},
        )
        assert refused.status_code == 422, (body, refused.text)
        assert (refused.json()["field"], refused.json()["type"].rsplit("/", 1)[1]) == (field, code)
    t = await step(c, t, "dispatch", people.operator)
    assert (t["department"], t["co_departments"]) == ("SCJGJ", ["WJJ"])


async def test_a_pending_extension_does_not_follow_the_ticket(
    hotline: ServiceUnderTest, people: People
) -> None:
    """延期 is the holding department's request about its own limit."""
    c = hotline.client
    t = await step(c, await create(c, people.operator), "dispatch", people.operator)
    t = await step(c, t, "extension", people.head("SCJGJ"), {"days": 30, "reason": "需检测"})
    t = await step(c, t, "return", people.head("SCJGJ"), {"reason": "不属本部门职责"})
    t = await step(c, t, "return-review", people.center_head, {"approve": True})
    t = await step(c, t, "dispatch", people.operator, {"department": "WJJ", "co_departments": []})
    assert (t["department"], t["extension_status"], t["extension_days"]) == ("WJJ", None, None)
    t = await step(c, t, "extension", people.head("WJJ"), {"days": 2, "reason": "需现场核查"})
    assert (t["extension_status"], t["extension_days"]) == ("requested", 2)


async def test_a_pending_extension_waits_in_the_centers_review_queue_and_lapses_at_reply(
    hotline: ServiceUnderTest, people: People
) -> None:
    """延期 is decided by the center while the ticket is at the department: it is in the
    center's 审核 queue (with the days asked); once the department replies nobody can decide
    it, so it reads as lapsed (not pending) and leaves the queue."""
    c = hotline.client
    t = await step(c, await create(c, people.operator), "dispatch", people.operator)
    t = await step(c, t, "sign", people.head("SCJGJ"))
    other = await step(c, await create(c, people.operator), "dispatch", people.operator)

    async def to_review() -> list[tuple[str, str | None, int | None]]:
        listed = await c.get(
            f"{BASE}/tickets", params={"queue": "to_review"}, headers=people.center_head
        )
        assert listed.status_code == 200, listed.text
        return [
            (i["id"], i["extension_status"], i["extension_days"]) for i in listed.json()["items"]
        ]

    assert await to_review() == []
    t = await step(c, t, "extension", people.head("SCJGJ"), {"days": 3, "reason": "需检测"})
    assert await to_review() == [(t["id"], "requested", 3)]
    t = await step(c, t, "contact", people.staff("SCJGJ"), {"note": "已电话联系"})
    t = await step(c, t, "reply", people.staff("SCJGJ"), {"body": "经核查，已责令整改。"})
    assert (t["extension_status"], t["extension_days"]) == ("lapsed", 3)
    assert "decide_extension" not in t["actions"]
    # in the queue now as a reply to review, no longer as an extension request
    assert await to_review() == [(t["id"], "lapsed", 3)]
    t = await step(c, t, "review", people.center_head, {"approve": True})
    read = await c.get(f"{BASE}/tickets/{t['id']}", headers=people.center_head)
    assert (read.json()["status"], read.json()["extension_status"]) == ("closed", "lapsed")
    assert other["id"] not in [i for i, _, _ in await to_review()]


async def test_duplicate_hints_name_no_ticket_the_client_may_not_see(
    hotline: ServiceUnderTest, people: People
) -> None:
    """A client sees only the tickets it pushed; hints by phone must not name others."""
    c = hotline.client
    local = await create(c, people.operator, title="本地受理的私密诉求")
    body = ticket_body(
        external_id="GZ-HINT-1", category_code="RS_WAGES", content="拖欠工资三个月。"
    )
    pushed = await c.post(
        f"{BASE}/tickets",
        json=body,
        headers={**people.province(), "Idempotency-Key": "push-hint-0001"},
    )
    assert pushed.status_code == 201, pushed.text
    assert (
        await c.get(f"{BASE}/tickets/{local['id']}", headers=people.province())
    ).status_code == 404
    assert pushed.json()["duplicates"] == []
    read = await c.get(f"{BASE}/tickets/{pushed.json()['id']}", headers=people.province())
    assert read.json()["duplicate_hints"] == []
    # the center still gets the hint (the control: there is one to hide)
    seen = await c.get(f"{BASE}/tickets/{pushed.json()['id']}", headers=people.center_head)
    assert seen.json()["duplicate_hints"] == [local["id"]]


async def test_staff_do_not_pose_as_the_provincial_platform(
    hotline: ServiceUnderTest, people: People
) -> None:
    async with lenient(hotline) as client:
        made = await client.post(
            f"{BASE}/tickets", json=ticket_body(source="province"), headers=people.operator
        )
    assert made.status_code == 422, made.text
    assert made.json()["field"] == "source"


async def test_public_submit_honours_idempotency_key(hotline: ServiceUnderTest) -> None:
    body = {"type": "help", "title": "路灯不亮", "content": "新街路灯坏了一周。"}
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    first = await hotline.client.post(f"{BASE}/public/tickets", json=body, headers=headers)
    again = await hotline.client.post(f"{BASE}/public/tickets", json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert again.json() == first.json()
    other = await hotline.client.post(
        f"{BASE}/public/tickets", json={**body, "title": "路灯仍不亮"}, headers=headers
    )
    assert other.status_code == 422


async def test_out_of_range_and_mismatched_times_are_422_problems(
    hotline: ServiceUnderTest, people: People
) -> None:
    knowledge = {
        "question": "如何办理食品经营许可？",
        "answer": "到政务服务中心办理。",
        "valid_from": "2026-01-01T00:00:00+08:00",
        "valid_to": "2025-12-31T23:00:00",  # no offset: county time, before valid_from
    }
    async with lenient(hotline) as client:
        asks = [
            await client.post(f"{BASE}/knowledge", json=knowledge, headers=people.center_head),
            await client.post(
                f"{BASE}/tickets",
                json=ticket_body(received_at="0001-01-01T00:00:00+08:00"),
                headers=people.operator,
            ),
            await client.get(
                f"{BASE}/tickets",
                params={"received_from": "0001-01-01T00:00:00+08:00"},
                headers=people.center_head,
            ),
            await client.get(
                f"{BASE}/tickets",
                params={"received_to": "9999-12-31T23:59:59-08:00"},
                headers=people.center_head,
            ),
            await client.get(
                f"{BASE}/stats",
                params={
                    "received_from": "2026-12-01T00:00:00Z",
                    "received_to": "2026-01-01T00:00:00Z",
                },
                headers=people.center_head,
            ),
        ]
        for response in asks:
            assert response.status_code == 422, (response.request.url, response.text)
            assert response.headers["content-type"] == "application/problem+json"
        valid = await client.post(
            f"{BASE}/knowledge",
            json={**knowledge, "valid_to": "2026-12-31T00:00:00"},
            headers=people.center_head,
        )
    assert valid.status_code == 201, valid.text
    valid_to = datetime.fromisoformat(valid.json()["valid_to"])
    assert valid_to == datetime(2026, 12, 30, 16, tzinfo=UTC)  # 00:00 in the county


async def test_a_nul_character_is_never_a_500(hotline: ServiceUnderTest, people: People) -> None:
    """SQLite stores U+0000; PostgreSQL refuses it in text: a 422 problem there."""
    postgres = os.environ.get("YS_TEST_BACKEND") == "postgres"
    async with lenient(hotline) as client:
        made = await client.post(
            f"{BASE}/tickets", json=ticket_body(title="餐馆\u0000卫生"), headers=people.operator
        )
        listed = await client.get(
            f"{BASE}/tickets", params={"q": "a\u0000b"}, headers=people.center_head
        )
    assert made.status_code == (422 if postgres else 201), made.text
    assert listed.status_code == (422 if postgres else 200), listed.text


async def test_working_days_to_close_count_the_closing_day(
    hotline: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """A 咨询 (2 wd) received Monday, answered Wednesday evening: Tuesday and Wednesday used
    (DOMAIN: count from the day after receipt), on time."""
    c = hotline.client
    t = await create(c, people.operator, type="consult", category_code="SP_SERVICE")
    clock.set(T0 + timedelta(days=2, hours=10))  # Wednesday 20:00 Asia/Shanghai
    t = await step(c, t, "answer", people.operator, {"answer": "请携带身份证到窗口办理"})
    assert next(s for s in t["stages"] if s["stage"] == "handle")["on_time"] is True
    stats = await c.get(f"{BASE}/stats", params={"by": "type"}, headers=people.center_head)
    row = next(r for r in stats.json() if r["key"] == "consult")
    assert row["average_working_days_to_close"] == 2.0, row


async def test_the_center_holds_the_clocks_of_a_ticket_no_department_holds(
    hotline: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """Before 派单 and after an approved 退单 the center holds the ticket: its overdue 办理 clock
    is the center's, not the catalogue's lead department's (which cannot even see it)."""
    db = hotline.app.state.db
    await in_seconds(hotline, "handle")
    c = hotline.client
    t = await create(c, people.operator)  # never dispatched
    assert (
        await c.get(f"{BASE}/tickets/{t['id']}", headers=people.head("SCJGJ"))
    ).status_code == 404
    clock.set(T0 + timedelta(seconds=30))
    await DeadlineSweeper(db).sweep()

    async def overdue_departments() -> list[str]:
        async with db.read() as session:
            rows = await session.execute(
                select(OutboxEvent.payload).where(
                    OutboxEvent.subject == "ys.hotline.ticket.overdue"
                )
            )
            return [row["data"]["department"] for row in rows.scalars()]

    assert await overdue_departments() == ["HOTLINE_CENTER"]
    t = (await c.get(f"{BASE}/tickets/{t['id']}", headers=people.center_head)).json()
    t = await step(c, t, "dispatch", people.operator)
    t = await step(c, t, "return", people.head("SCJGJ"), {"reason": "不属本部门职责"})
    t = await step(c, t, "return-review", people.center_head, {"approve": True})
    detail = (await c.get(f"{BASE}/tickets/{t['id']}", headers=people.center_head)).json()
    assert detail["status"] == "received"
    async with db.read() as session:
        from yingshang.time.models import DeadlineStage

        holders = await session.execute(
            select(DeadlineStage.stage, DeadlineStage.department).where(
                DeadlineStage.case_id == uuid.UUID(t["id"]), DeadlineStage.status == "running"
            )
        )
        assert dict(holders.all()) == {"handle": "HOTLINE_CENTER"}


async def test_the_department_answers_for_its_reply_before_the_centers_review(
    hotline: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """五限时 反馈 is the department's reply (DOMAIN.md: 办理 → 反馈/回复 → 审核): its clock
    and escalation are the department's, and its policy rows say 反馈, not the center's 审核."""
    db = hotline.app.state.db
    await in_seconds(hotline, "feedback")
    c = hotline.client
    t = await step(c, await create(c, people.operator), "dispatch", people.operator)
    t = await step(c, t, "sign", people.head("SCJGJ"))
    t = await step(c, t, "contact", people.staff("SCJGJ"), {"note": "已电话联系"})
    await step(c, t, "reply", people.staff("SCJGJ"), {"body": "已责令整改。"})
    clock.set(T0 + timedelta(seconds=30))
    await DeadlineSweeper(db).sweep()
    async with db.read() as session:
        rows = await session.scalars(
            select(OutboxEvent.payload).where(OutboxEvent.subject == "ys.hotline.ticket.overdue")
        )
        overdue = [(r["data"]["stage"], r["data"]["department"]) for r in rows]
    assert overdue == [("feedback", "SCJGJ")]
    listed = await c.get(f"{BASE}/policies", params={"stage": "feedback"}, headers=people.operator)
    assert sorted(p["description"] for p in listed.json()) == [
        "反馈 1 个工作日",
        "紧急诉求反馈 1 小时",
    ]


async def test_on_time_rate_counts_stages_already_late(
    hotline: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """One 签收 on time, one still unsigned four working days past due: 50 %, not 100 %."""
    c = hotline.client
    a = await step(c, await create(c, people.operator), "dispatch", people.operator)
    await step(c, a, "sign", people.head("SCJGJ"))
    await step(c, await create(c, people.operator, title="另一件"), "dispatch", people.operator)
    clock.set(T0 + timedelta(days=7))
    stats = await c.get(f"{BASE}/stats", params={"by": "type"}, headers=people.center_head)
    row = next(r for r in stats.json() if r["key"] == "complaint")
    assert row["on_time_rate"]["sign"] == 0.5, row


async def _complaint_row(c: httpx.AsyncClient, people: People) -> dict[str, Any]:
    stats = await c.get(f"{BASE}/stats", params={"by": "type"}, headers=people.center_head)
    return dict(next(r for r in stats.json() if r["key"] == "complaint"))


async def test_on_time_rates_count_the_first_round_and_report_a_reopens_round_beside(
    hotline: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """Each stage counts once per ticket, in its first round (what its department is judged
    on): a reopened ticket's second 签收, late, does not lower the first round's rate; the
    latest round of reopened tickets is reported beside it."""
    c, head = hotline.client, people.head("SCJGJ")
    t = await step(c, await create(c, people.operator), "dispatch", people.operator)
    t = await step(c, t, "sign", head)
    t = await step(c, t, "contact", head)
    t = await step(c, t, "reply", head, {"body": "已责令该餐馆整改。"})
    t = await step(c, t, "review", people.center_head, {"approve": True})
    t = await step(c, t, "revisit", people.operator, {"level": 1, "comment": "没有解决"})
    await step(c, t, "reopen", people.center_head, {"reason": "群众不满意"})
    clock.set(T0 + timedelta(days=7))  # the second round's 签收 (1 wd) is late by now
    row = await _complaint_row(c, people)
    stages = {"sign", "contact", "handle", "feedback", "revisit"}
    assert row["on_time_rate"] == dict.fromkeys(stages, 1.0), row
    assert row["reopened_on_time_rate"] == {"sign": 0.0}, row


async def test_a_stage_run_twice_in_a_round_counts_once_late_when_either_was(
    hotline: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """A 签收 gone overdue, then 退单 and re-dispatched and signed at once: the ticket's 签收
    is late, counted once (beside a ticket signed on time: 50 %, not 2 of 3 clocks)."""
    c = hotline.client
    on_time = await step(c, await create(c, people.operator), "dispatch", people.operator)
    await step(c, on_time, "sign", people.head("SCJGJ"))
    t = await step(c, await create(c, people.operator, title="另一件"), "dispatch", people.operator)
    clock.set(T0 + timedelta(days=7))
    await DeadlineSweeper(hotline.app.state.db).sweep()  # the 签收 goes overdue
    t = await step(c, t, "return", people.head("SCJGJ"), {"reason": "不属本部门职责"})
    t = await step(c, t, "return-review", people.center_head, {"approve": True})
    t = await step(c, t, "dispatch", people.operator, {"department": "WJJ"})
    await step(c, t, "sign", people.head("WJJ"))
    row = await _complaint_row(c, people)
    assert row["on_time_rate"]["sign"] == 0.5, row
    assert row["reopened_on_time_rate"] == {}, row


async def test_co_handlers_queues_hold_only_their_own_steps(
    hotline: ServiceUnderTest, people: People
) -> None:
    """Only the lead department's head signs (一把手亲自接单): not in a co-handler's queue."""
    c = hotline.client
    t = await step(c, await create(c, people.operator), "dispatch", people.operator)
    assert t["co_departments"] == ["WJJ"]
    await step(c, t, "sign", people.head("WJJ"), expect=403)
    for queue, headers, expected in (
        ("to_sign", people.head("WJJ"), []),
        ("to_sign", people.head("SCJGJ"), [t["id"]]),
        (None, people.head("WJJ"), [t["id"]]),  # the co-handler still sees the ticket
    ):
        params = {"queue": queue} if queue else {}
        listed = await c.get(f"{BASE}/tickets", params=params, headers=headers)
        assert [i["id"] for i in listed.json()["items"]] == expected, (queue, listed.json())


async def test_reopening_a_ticket_no_department_signed_returns_it_to_the_center(
    hotline: ServiceUnderTest, people: People
) -> None:
    """A 咨询 answered from the knowledge base had no department: reopened, the center takes
    it in again and dispatches it (no 'dispatched' to the center itself)."""
    c = hotline.client
    t = await create(c, people.operator, type="consult", category_code="SP_SERVICE")
    t = await step(c, t, "answer", people.operator, {"answer": "请到窗口办理"})
    t = await step(c, t, "revisit", people.operator, {"level": 1})
    assert (
        "reopen" in t["actions"]
        or "reopen"
        in (await c.get(f"{BASE}/tickets/{t['id']}", headers=people.center_head)).json()["actions"]
    )
    t = await step(c, t, "reopen", people.center_head, {"reason": "群众不满意"})
    assert (t["status"], t["reopen_count"]) == ("received", 1)
    t = await step(c, t, "dispatch", people.operator)
    assert (t["status"], t["department"]) == ("dispatched", "XZSPJ")


async def test_a_revisit_at_basically_satisfied_may_reopen_the_ticket(
    hotline: ServiceUnderTest, people: People
) -> None:
    """County rule, "基本满意就是基本不满意": a 回访 at 3 is not good, so the center may
    reopen the ticket (it is offered, and taken); at 4 it may not. The good rate counts 3
    as not good, as before."""
    c = hotline.client
    t = await create(c, people.operator, type="consult", category_code="SP_SERVICE")
    t = await step(c, t, "answer", people.operator, {"answer": "请到窗口办理"})
    t = await step(c, t, "revisit", people.operator, {"level": 3, "comment": "基本满意"})
    shown = await c.get(f"{BASE}/tickets/{t['id']}", headers=people.center_head)
    assert "reopen" in shown.json()["actions"]
    t = await step(c, t, "reopen", people.center_head, {"reason": "群众基本满意，仍需办理"})
    assert (t["status"], t["reopen_count"], t["rating_level"]) == ("received", 1, 3)
    stats = await c.get(f"{BASE}/stats", params={"by": "type"}, headers=people.center_head)
    row = next(r for r in stats.json() if r["key"] == "consult")
    assert (row["revisited"], row["good_rate"]) == (1, 0.0)

    good = await create(c, people.operator, type="consult", category_code="SP_SERVICE")
    good = await step(c, good, "answer", people.operator, {"answer": "请到窗口办理"})
    good = await step(c, good, "revisit", people.operator, {"level": 4})
    shown = await c.get(f"{BASE}/tickets/{good['id']}", headers=people.center_head)
    assert "reopen" not in shown.json()["actions"]
    await step(c, good, "reopen", people.center_head, {"reason": "仍不满意"}, expect=409)


async def test_a_revisit_after_a_reopen_does_not_replace_the_rating(
    hotline: ServiceUnderTest, people: People
) -> None:
    """The first 回访 is the ticket's 好差评 rating, the score svc-ratings counts: a reopen and a
    satisfied second 回访 leave it standing (the statistics report the redo beside it), and
    the second 回访's event says it is round 2."""
    c = hotline.client
    t = await create(c, people.operator, type="consult", category_code="SP_SERVICE")
    t = await step(c, t, "answer", people.operator, {"answer": "请到窗口办理"})
    t = await step(c, t, "revisit", people.operator, {"level": 2, "comment": "没解决"})
    t = await step(c, t, "reopen", people.center_head, {"reason": "群众不满意"})
    assert (t["satisfaction"], t["rating_level"]) == (None, 2)
    t = await step(c, t, "dispatch", people.operator)
    t = await step(c, t, "sign", people.head("XZSPJ"))
    t = await step(c, t, "contact", people.head("XZSPJ"))
    t = await step(c, t, "reply", people.head("XZSPJ"), {"body": "已上门办理完毕。"})
    t = await step(c, t, "review", people.center_head, {"approve": True})
    t = await step(c, t, "revisit", people.operator, {"level": 5})
    assert (t["satisfaction"], t["rating_level"]) == (5, 2)

    stats = await c.get(f"{BASE}/stats", params={"by": "type"}, headers=people.center_head)
    row = next(r for r in stats.json() if r["key"] == "consult")
    assert (row["revisited"], row["satisfaction_average"], row["good_rate"]) == (1, 2.0, 0.0)
    assert (row["reopened"], row["final_good_rate"]) == (1, 1.0)
    async with hotline.app.state.db.read() as session:
        rounds = (
            await session.scalars(
                select(OutboxEvent.payload)
                .where(OutboxEvent.subject == "ys.hotline.ticket.revisited")
                .order_by(OutboxEvent.seq)
            )
        ).all()
    data = [p["data"] for p in rounds]
    assert [(d["level"], d["round"]) for d in data if d["case_id"] == t["id"]] == [
        (2, 1),
        (5, 2),
    ]


L3_LADDER = [
    {"level": 1, "after": {"amount": 0, "unit": "natural_seconds"}, "target": "responsible_head",
     "action": "notify_head"},
    {"level": 2, "after": {"amount": 2, "unit": "natural_seconds"}, "target": "bureau",
     "action": "urge"},
    {"level": 3, "after": {"amount": 4, "unit": "natural_seconds"}, "target": "committee",
     "action": "written_notice"},
]  # fmt: skip


async def test_the_bulletin_flag_survives_the_late_signature(
    hotline: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """五限时 "催办 and 通报 flags": a written 通报 (L3) that went out stays on the ticket."""
    db = hotline.app.state.db
    await in_seconds(hotline, "sign", ladder=L3_LADDER)
    c = hotline.client
    t = await step(c, await create(c, people.operator), "dispatch", people.operator)
    sweeper = DeadlineSweeper(db)
    for seconds in (20, 40):
        clock.set(T0 + timedelta(seconds=seconds))
        await sweeper.sweep()
    t = (await c.get(f"{BASE}/tickets/{t['id']}", headers=people.head("SCJGJ"))).json()
    assert (t["escalation_level"], t["bulletined"], t["overdue"]) == (3, True, True)
    t = await step(c, t, "sign", people.head("SCJGJ"))
    t = (await c.get(f"{BASE}/tickets/{t['id']}", headers=people.center_head)).json()
    assert (t["escalation_level"], t["bulletined"], t["overdue"]) == (3, True, False)
    listed = await c.get(f"{BASE}/tickets", headers=people.center_head)
    row = next(i for i in listed.json()["items"] if i["id"] == t["id"])
    assert (row["bulletined"], row["overdue"]) == (True, False)


async def test_a_direct_answer_cites_only_a_valid_entry(
    hotline: ServiceUnderTest, people: People
) -> None:
    c = hotline.client
    found = await c.get(
        f"{BASE}/knowledge/search", params={"q": "营业执照"}, headers=people.operator
    )
    entry = found.json()["items"][0]
    path = f"{BASE}/knowledge/{entry['id']}"
    retired = await c.delete(path, headers=await with_etag(c, path, people.center_head))
    assert retired.status_code == 200
    assert retired.json()["active"] is False
    t = await create(c, people.operator, type="consult", category_code="SP_SERVICE")
    body = {"answer": entry["answer"], "kb_entry_id": entry["id"]}
    await step(c, t, "answer", people.operator, body, expect=422)
    t = await step(c, t, "answer", people.operator, {"answer": entry["answer"]})
    assert t["status"] == "closed"


async def test_a_merged_duplicate_is_received_not_closed(
    hotline: ServiceUnderTest, people: People
) -> None:
    """并单: the earlier ticket is the one handled; the duplicate does not count as closed
    (nor pull the average days to close down to 0)."""
    c = hotline.client
    earlier = await create(c, people.operator)
    later = await create(c, people.operator, title="同一诉求再次来电")
    await step(c, later, "merge", people.operator, {"into_ticket_id": earlier["id"]})
    stats = await c.get(f"{BASE}/stats", params={"by": "type"}, headers=people.center_head)
    row = next(r for r in stats.json() if r["key"] == "complaint")
    assert (row["received"], row["closed"], row["average_working_days_to_close"]) == (2, 0, None)


async def test_a_list_row_says_the_limit_the_ticket_is_under_now(
    hotline: ServiceUnderTest, people: People
) -> None:
    """五限时: a list row carries the running clock due first, as the ticket page's header
    counts it (签收 in 待签收, 联系 then 办理 in 待办理, 回访 in 待回访), not only the 办理
    limit (``due_at``), which runs from receipt and is days further off."""
    c, head = hotline.client, people.head("SCJGJ")

    async def listed(t: dict[str, Any], queue: str, who: dict[str, str]) -> dict[str, Any]:
        page = await c.get(f"{BASE}/tickets", params={"queue": queue}, headers=who)
        assert page.status_code == 200, page.text
        [row] = [r for r in page.json()["items"] if r["id"] == t["id"]]
        detail = (await c.get(f"{BASE}/tickets/{t['id']}", headers=who)).json()
        running = {s["stage"]: s["due_at"] for s in detail["stages"] if s["state"] == "running"}
        clock = row["current_clock"]
        assert clock is not None, row
        assert clock["due_at"] == running[clock["stage"]], (row, running)
        assert clock["due_at"] == min(running.values()), (clock, running)
        return dict(row)

    t = await step(c, await create(c, people.operator), "dispatch", people.operator)
    row = await listed(t, "to_sign", head)
    assert row["current_clock"]["stage"] == "sign"
    assert row["current_clock"]["due_at"] < row["due_at"]  # 1 working day, not the 12 of 办理
    t = await step(c, t, "sign", head)
    assert (await listed(t, "to_handle", head))["current_clock"]["stage"] == "contact"
    t = await step(c, t, "contact", head)
    row = await listed(t, "to_handle", head)
    assert row["current_clock"] == {"stage": "handle", "due_at": row["due_at"]}

    answered = await create(c, people.operator, type="consult", category_code="SCJG_FOOD")
    answered = await step(c, answered, "answer", people.operator, {"answer": "请到窗口办理"})
    row = await listed(answered, "to_revisit", people.operator)
    assert row["current_clock"]["stage"] == "revisit"
    answered = await step(c, answered, "revisit", people.operator, {"level": 5})
    page = await c.get(f"{BASE}/tickets", params={"number": answered["number"]},
                       headers=people.operator)  # fmt: skip
    assert [r["current_clock"] for r in page.json()["items"]] == [None]  # no clock runs

    spec = (await c.get("/openapi.json")).json()["components"]["schemas"]
    assert "current_clock" in spec["TicketSummary"]["properties"]
