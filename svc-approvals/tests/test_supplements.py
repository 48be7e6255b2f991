"""补正 (supplementing materials): at intake one notice lists everything missing at once
(一次性告知, 行政许可法 art. 32) and the time limit starts only the day after complete materials
arrive; a 补正 is complete only when the materials it asked for are handed in."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from yingshang.clock import FrozenClock
from yingshang.notify import Notification
from yingshang.testing.apps import ServiceUnderTest

from .builders import People, all_materials, item_named, submit_item, window_clerk
from .test_applications_clock import act, at, due, end_of

BASE_APPS = "/api/v1/approvals/applications"
FOOD = "食品经营许可"  # 承诺件 of SCJGJ: statutory 20, committed 8 working days


async def test_a_second_intake_notice_is_refused_once_the_first_was_answered(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """One intake notice per application: once the materials it asked for arrived, the time
    limit runs; a second intake 补正 (which would restart the full limit) is refused with 409
    and no longer offered."""
    c, clerk = hall.client, window_clerk(people)
    names = all_materials(await item_named(c, FOOD))
    app = await submit_item(hall, people, FOOD, names[:-1])  # Monday 2 March, one missing
    assert app["status"] == "awaiting_materials"
    at(clock, date(2026, 3, 3))
    r = await act(c, app, "receive-supplement", clerk, {"materials": [names[-1]]})
    assert (r.status_code, r.json()["status"]) == (200, "received")
    assert due(r) == end_of(date(2026, 3, 13))  # 8 working days from Wednesday 4 March
    assert "request_materials" not in r.json()["actions"]

    at(clock, date(2026, 3, 6))
    again = await act(
        c, app, "request-supplement", clerk, {"missing": ["营业执照复印件（清晰版）"]}
    )
    assert again.status_code == 409, again.text
    assert again.json()["type"].endswith("/intake-notice-given")
    shown = await c.get(f"{BASE_APPS}/{app['id']}", headers=clerk)
    assert (shown.json()["status"], due(shown)) == ("received", end_of(date(2026, 3, 13)))


async def test_an_intake_notice_given_at_intake_is_neither_repeated_nor_completed(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """收件 with materials missing gives the one notice (一次性告知) and sends its SMS: a
    second notice for that round — adding a material, sending a second SMS — is refused with
    409 and not offered; the application, its list and the applicant's messages stay as they
    were."""
    c, clerk = hall.client, window_clerk(people)
    names = all_materials(await item_named(c, FOOD))
    app = await submit_item(hall, people, FOOD, names[:-1])
    assert (app["status"], app["missing_materials"]) == ("awaiting_materials", [names[-1]])
    assert "request_materials" not in app["actions"]
    assert await _supplement_sms(hall) == 1
    again = await act(c, app, "request-supplement", clerk, {"missing": [names[0]]})
    assert again.status_code == 409, again.text
    assert again.json()["type"].endswith("/intake-notice-given")
    assert "已一次性告知" in again.json()["detail"]
    assert await _supplement_sms(hall) == 1
    shown = (await c.get(f"{BASE_APPS}/{app['id']}", headers=clerk)).json()
    assert (shown["status"], shown["missing_materials"]) == ("awaiting_materials", [names[-1]])
    at(clock, date(2026, 3, 4))
    r = await act(c, app, "receive-supplement", clerk, {"materials": [names[-1]]})
    assert (r.status_code, r.json()["status"]) == (200, "received")
    assert due(r) == end_of(date(2026, 3, 16))  # 8 working days from Thursday 5 March


async def _supplement_sms(hall: ServiceUnderTest) -> int:
    async with hall.app.state.db.read() as session:
        query = select(func.count()).where(Notification.template == "supplement_notice")
        return int((await session.execute(query)).scalar_one())


async def test_an_intake_supplement_of_a_defective_material_needs_that_material(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """A material asked for again (the copy handed in is unreadable) is already among the
    received ones: only its new copy, handed in with the 补正, completes it."""
    c, clerk = hall.client, window_clerk(people)
    app = await submit_item(hall, people, FOOD)
    r = await act(c, app, "request-supplement", clerk, {"missing": ["营业执照复印件"]})
    assert (r.status_code, r.json()["status"]) == (200, "awaiting_materials")
    at(clock, date(2026, 3, 4))
    r = await act(c, app, "receive-supplement", clerk, {"materials": ["无关材料"]})
    assert r.status_code == 422, r.text
    assert (r.json()["field"], r.json()["missing"]) == ("materials", ["营业执照复印件"])
    r = await act(c, app, "receive-supplement", clerk, {"materials": ["营业执照复印件"]})
    assert (r.status_code, r.json()["status"]) == (200, "received")


async def test_a_review_supplement_resumes_only_with_what_was_asked(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """A review 补正 pauses the clock until the materials it asked for arrive: other
    documents do not resume it (422 naming what is missing)."""
    c, clerk, dept = hall.client, window_clerk(people), people.staff("SCJGJ")
    app = await submit_item(hall, people, FOOD)
    assert (await act(c, app, "accept", clerk)).status_code == 200
    asked = {"missing": ["检验报告", "平面图（修订）"]}
    assert (await act(c, app, "request-supplement", dept, asked)).status_code == 200
    at(clock, date(2026, 3, 4))
    r = await act(c, app, "receive-supplement", dept, {"materials": ["无关材料", "检验报告"]})
    assert r.status_code == 422, r.text
    assert r.json()["missing"] == ["平面图（修订）"]
    shown = await c.get(f"{BASE_APPS}/{app['id']}", headers=dept)
    assert shown.json()["status"] == "review_supplement"
    r = await act(c, app, "receive-supplement", dept, {"materials": ["检验报告", "平面图（修订）"]})
    assert (r.status_code, r.json()["status"]) == (200, "in_review")


async def _tracked(hall: ServiceUnderTest, app: dict[str, Any]) -> dict[str, Any]:
    """The public lookup of ``app`` (as submitted: its number and 查询码)."""
    track = {"number": app["number"], "query_code": app["query_code"]}
    r = await hall.client.post("/api/v1/approvals/public/applications/track", json=track)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def test_public_tracking_says_what_a_waiting_supplement_asks_for(
    hall: ServiceUnderTest, people: People
) -> None:
    """Number + 查询码 tell the applicant, while the application waits for 补正, which materials
    and the clerk's note (the 一次性告知), at intake and in review; nothing personal, and
    nothing once the materials arrived."""
    c, clerk, dept = hall.client, window_clerk(people), people.staff("SCJGJ")
    names = all_materials(await item_named(c, FOOD))
    at_intake = await submit_item(hall, people, FOOD, names[:-1])  # told at 收件: no note
    told = (await _tracked(hall, at_intake))["supplement"]
    assert (told["stage"], told["materials"], told["note"]) == ("intake", names[-1:], None)
    assert told["requested_at"] is not None

    app = await submit_item(hall, people, FOOD)
    assert (await _tracked(hall, app))["supplement"] is None
    note = "申请书第3页未签字，请签字后重新提交"
    asked = {"missing": [names[0]], "note": note}
    assert (await act(c, app, "request-supplement", clerk, asked)).status_code == 200
    shown = await _tracked(hall, app)
    assert shown["supplement"]["stage"] == "intake"
    assert (shown["supplement"]["materials"], shown["supplement"]["note"]) == ([names[0]], note)
    assert (shown["status"], shown["status_label"]) == ("awaiting_materials", "待补正")
    answered = {"materials": [names[0]]}
    assert (await act(c, app, "receive-supplement", clerk, answered)).status_code == 200
    assert (await _tracked(hall, app))["supplement"] is None

    assert (await act(c, app, "accept", clerk)).status_code == 200
    review = {"missing": ["检验报告"], "note": "请补充第三方检验报告"}
    assert (await act(c, app, "request-supplement", dept, review)).status_code == 200
    shown = await _tracked(hall, app)
    assert shown["supplement"]["stage"] == "review"
    assert (shown["supplement"]["materials"], shown["supplement"]["note"]) == (
        ["检验报告"],
        "请补充第三方检验报告",
    )
    text = str(shown)
    for personal in ("张三", "13812345678", "520327199003070012", "ZW2009", "SC5001", "邓芳"):
        assert personal not in text
    back = {"materials": ["检验报告"]}
    assert (await act(c, app, "receive-supplement", dept, back)).status_code == 200
    assert (await _tracked(hall, app))["supplement"] is None
