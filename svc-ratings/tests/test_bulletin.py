"""The monthly bulletin: both good-rate rules, appeals, formats, closing, flags."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest

from .builders import DEPT, OTHER_DEPT, Events, People, case_fields, rated

REPORT = "/api/v1/ratings/reports/monthly"
OCTOBER = "2026-10"


async def bulletin(sut: ServiceUnderTest, people: People, month: str = OCTOBER) -> dict[str, Any]:
    response = await sut.client.get(REPORT, params={"month": month}, headers=people.bureau())
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def line(body: dict[str, Any], section: str, key: str) -> dict[str, Any]:
    return next(item for item in body[section] if item["key"] == key)


async def uphold_appeal(sut: ServiceUnderTest, people: People, rating_id: str) -> None:
    filed = await sut.client.post(
        f"/api/v1/ratings/ratings/{rating_id}/appeals",
        json={"reason": "评价人误操作，已电话核实"},
        headers=people.department(role="head"),
    )
    assert filed.status_code == 201, filed.text
    url = f"/api/v1/ratings/appeals/{filed.json()['id']}"
    tag = (await sut.client.get(url, headers=people.bureau())).headers["ETag"]
    decided = await sut.client.post(
        f"{url}/uphold",
        json={"note": "申诉成立"},
        headers={**people.bureau("head"), "If-Match": tag},
    )
    assert decided.status_code == 200, decided.text


async def test_county_rule_and_national_rule_then_an_upheld_appeal(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    ids = {level: await rated(ratings, events, level) for level in (5, 4, 3, 2, 1)}
    total = (await bulletin(ratings, people))["total"]
    assert (total["count"], total["bad"]) == (5, 2)
    assert total["county_good_rate"] == 40.0  # 4–5 only: 基本满意就是基本不满意
    assert total["national_good_rate"] == 60.0  # not 1–2
    await uphold_appeal(ratings, people, ids[1])
    after = await bulletin(ratings, people)
    assert after["total"]["county_good_rate"] == 50.0
    assert after["total"]["national_good_rate"] == 75.0
    department = line(after, "departments", DEPT)
    assert (department["count"], department["bad"], department["rectifications"]) == (4, 1, 1)
    kept = await ratings.client.get(f"/api/v1/ratings/ratings/{ids[1]}", headers=people.bureau())
    assert kept.json()["excluded"] is True  # never deleted


async def test_lines_per_window_staff_and_department_with_ranks(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    await rated(ratings, events, 5, window="HALL_COUNTY/W01", staff_no="ZW0001")
    await rated(
        ratings, events, 3, window="HALL_COUNTY/W02", staff_no="ZW0002", department=OTHER_DEPT
    )
    body = await bulletin(ratings, people)
    assert [(d["key"], d["rank"]) for d in body["departments"]] == [(DEPT, 1), (OTHER_DEPT, 2)]
    assert line(body, "windows", "HALL_COUNTY/W02")["county_good_rate"] == 0.0
    assert line(body, "staff", "ZW0001")["national_good_rate"] == 100.0


async def test_csv_and_printable_html_are_safe(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    await rated(ratings, events, 4, window="<script>alert(1)</script>", staff_no="=SUM(A1)")
    params = {"month": OCTOBER}
    csv = await ratings.client.get(
        REPORT, params={**params, "format": "csv"}, headers=people.bureau()
    )
    assert csv.headers["content-type"].startswith("text/csv")
    assert "'=SUM(A1)" in csv.text  # no formula injection
    header, county = csv.text.lstrip("\ufeff").splitlines()[:2]
    assert header.startswith("月份,范围,编码,名称,评价数,")  # read by county staff
    assert county.startswith(f"{OCTOBER},全县,")
    html = await ratings.client.get(
        REPORT, params={**params, "format": "html"}, headers=people.bureau()
    )
    assert html.headers["content-type"].startswith("text/html")
    assert "<script>" not in html.text
    assert "&lt;script&gt;" in html.text
    assert "http" not in html.text.lower()  # no third-party assets


async def test_closing_freezes_the_month_against_late_events(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    await rated(ratings, events, 5)
    await rated(ratings, events, 1)
    early = await ratings.client.post(f"{REPORT}/{OCTOBER}/close", headers=people.bureau())
    assert early.status_code == 409  # October has not ended yet
    clock.set(datetime(2026, 11, 2, 1, 0, tzinfo=UTC))
    closed = await ratings.client.post(f"{REPORT}/{OCTOBER}/close", headers=people.bureau())
    assert closed.status_code == 201, closed.text
    frozen = closed.json()
    # A late 12345 return visit made in October arrives after the close.
    late = {
        **case_fields(),
        "level": 5,
        "revisited_at": "2026-10-30T08:00:00Z",
        "rater_type": "person",
        "staff_no": "RX1001",
    }
    await events.send("ys.hotline.ticket.revisited", late)
    again = await bulletin(ratings, people)
    assert again["status"] == "closed"
    assert again["total"] == frozen["total"]
    assert again["total"]["count"] == 2
    twice = await ratings.client.post(f"{REPORT}/{OCTOBER}/close", headers=people.bureau())
    assert twice.status_code == 409


async def test_a_closed_month_names_its_closer_and_every_csv_line_says_its_status(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    """关账 names who closed (as the token named them), and the CSV's every line says whether
    it is the live count or the closed snapshot, when it was taken and by whom: a download
    made before the close never passes for the closed month's."""
    await rated(ratings, events, 5)
    params = {"month": OCTOBER, "format": "csv"}
    live = await ratings.client.get(REPORT, params=params, headers=people.bureau())
    header, *rows = live.text.lstrip("\ufeff").splitlines()
    assert header.endswith(",状态,统计时间,关账人")
    assert rows
    assert all(r.endswith(",未关账（实时统计）,2026-10-15 10:00,") for r in rows)
    clock.set(datetime(2026, 11, 2, 1, 30, tzinfo=UTC))
    closer = people.issuer.headers(("BUREAU", "head"), name="王建国", sub="user:closer")
    closed = await ratings.client.post(f"{REPORT}/{OCTOBER}/close", headers=closer)
    assert closed.status_code == 201, closed.text
    answer = closed.json()
    assert (answer["closed_by"], answer["closed_by_name"]) == ("user:closer", "王建国")
    clock.advance(timedelta(days=3))
    assert (await bulletin(ratings, people))["closed_by_name"] == "王建国"
    snapshot = await ratings.client.get(REPORT, params=params, headers=people.bureau())
    rows = snapshot.text.lstrip("\ufeff").splitlines()[1:]
    assert rows
    assert all(r.endswith(",已关账,2026-11-02 09:30,王建国") for r in rows)
    html = await ratings.client.get(
        REPORT, params={**params, "format": "html"}, headers=people.bureau()
    )
    assert "关账人: 王建国" in html.text
    assert "统计时间: 2026-11-02 09:30" in html.text


async def test_bottom_two_months_running_is_flagged(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    for _month in range(2):
        await rated(ratings, events, 5)
        await rated(ratings, events, 2, department=OTHER_DEPT)
        clock.advance(timedelta(days=31))
    november = await bulletin(ratings, people, "2026-11")
    assert line(november, "departments", OTHER_DEPT)["flagged"] is True
    assert line(november, "departments", DEPT)["flagged"] is False
    october = await bulletin(ratings, people)
    assert line(october, "departments", OTHER_DEPT)["flagged"] is False  # first time only


async def test_bulletin_input_and_access(ratings: ServiceUnderTest, people: People) -> None:
    bad = await ratings.client.get(REPORT, params={"month": "2026-13"}, headers=people.bureau())
    assert (bad.status_code, bad.json()["detail"]) == (422, "以下字段填写有误：query.month")
    anonymous = await ratings.client.get(REPORT, params={"month": OCTOBER})
    assert anonymous.status_code == 401
    department = await ratings.client.post(
        f"{REPORT}/{OCTOBER}/close", headers=people.department(role="head")
    )
    assert department.status_code == 403


async def test_lines_carry_names_kept_current_by_the_gateway(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    await rated(ratings, events, 5)  # 市场监督管理局, window W05, 工号 ZW2001 (county.yaml)
    body = await bulletin(ratings, people)
    assert line(body, "departments", DEPT)["label"] == "市场监督管理局"
    assert line(body, "windows", "HALL_COUNTY/W05")["label"].endswith("企业开办窗口")
    assert line(body, "staff", "ZW2001")["label"] == "周静"
    clock.set(datetime(2026, 11, 1, 1, 0, tzinfo=UTC))
    await ratings.client.post(f"{REPORT}/{OCTOBER}/close", headers=people.bureau())
    renamed = {"code": DEPT, "name": "县市场监管局", "kind": "department"}
    await events.send("ys.gateway.department.updated", renamed)
    await rated(ratings, events, 4)
    november = await bulletin(ratings, people, "2026-11")
    assert line(november, "departments", DEPT)["label"] == "县市场监管局"
    closed = await bulletin(ratings, people)
    assert line(closed, "departments", DEPT)["label"] == "市场监督管理局"  # as it was


async def test_all_tied_two_months_running_nobody_is_at_the_bottom(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    """约谈 flags the bottom two months in a row; when everyone ties, the last rank is also
    the first: nobody is at the bottom."""
    for _month in range(2):
        await rated(ratings, events, 5)
        await rated(ratings, events, 5, department=OTHER_DEPT)
        clock.advance(timedelta(days=31))
    november = await bulletin(ratings, people, "2026-11")
    assert [d["rank"] for d in november["departments"]] == [1, 1]
    assert [d["flagged"] for d in november["departments"]] == [False, False]


async def _claim_invalid(sut: ServiceUnderTest, people: People, rating_id: str) -> dict[str, Any]:
    """The department claims the 差评 invalid (无效差评): the rectification waits for review."""
    rating = await sut.client.get(f"/api/v1/ratings/ratings/{rating_id}", headers=people.center())
    url = f"/api/v1/ratings/rectifications/{rating.json()['rectification_id']}"
    steps = [
        ("call-back", {"reached": True, "verified": True, "note": "已联系评价人"}, people.center()),
        ("classify", {"classification": "explanation"}, people.center()),
        ("claim-invalid", {"reason": "评价对象错误，非本窗口办件"}, people.department()),
    ]
    for path, body, headers in steps:
        tag = (await sut.client.get(url, headers=people.center())).headers["ETag"]
        done = await sut.client.post(
            f"{url}/{path}", json=body, headers={**headers, "If-Match": tag}
        )
        assert done.status_code == 200, done.text
    return {"url": url, "etag": done.headers["ETag"]}


async def test_an_approved_invalid_claim_takes_the_rating_out_of_the_statistics(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    """无效差评审核 approved: the 差评 was reviewed and found invalid, so neither it nor its
    rectification counts (kept, marked, like an upheld appeal); a rejected claim changes
    nothing."""
    await rated(ratings, events, 5)
    bad, kept = await rated(ratings, events, 1), await rated(ratings, events, 2)
    claim = await _claim_invalid(ratings, people, bad)
    approved = await ratings.client.post(
        f"{claim['url']}/approve-claim",
        json={"note": "核实属实"},
        headers={**people.bureau("head"), "If-Match": claim["etag"]},
    )
    assert approved.status_code == 200, approved.text
    refused = await _claim_invalid(ratings, people, kept)
    rejected = await ratings.client.post(
        f"{refused['url']}/reject-claim",
        json={"note": "评价属实"},
        headers={**people.bureau("head"), "If-Match": refused["etag"]},
    )
    assert rejected.status_code == 200, rejected.text

    total = (await bulletin(ratings, people))["total"]
    assert (total["count"], total["bad"], total["rectifications"]) == (2, 1, 1)
    rating = (
        await ratings.client.get(f"/api/v1/ratings/ratings/{bad}", headers=people.bureau())
    ).json()
    assert rating["excluded"] is True
    assert rating["excluded_reason"] == "无效差评审核通过：评价对象错误，非本窗口办件"
    sent = await events.outbox("ys.ratings.rating.excluded")
    assert [
        (e["data"]["rating_id"], e["data"]["reason"], e["data"]["appeal_id"]) for e in sent
    ] == [(bad, "invalid_rating", None)]
    again = await ratings.client.post(
        f"/api/v1/ratings/ratings/{bad}/appeals",
        json={"reason": "再次申诉"},
        headers=people.department(role="head"),
    )
    assert again.status_code == 409  # nothing left to appeal


async def test_an_appeal_upheld_after_an_approved_invalid_claim_excludes_once(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    """Both roads out of the statistics taken for one rating: one exclusion event."""
    rating_id = await rated(ratings, events, 1)
    filed = await ratings.client.post(
        f"/api/v1/ratings/ratings/{rating_id}/appeals",
        json={"reason": "评价人误操作"},
        headers=people.department(role="head"),
    )
    assert filed.status_code == 201, filed.text
    claim = await _claim_invalid(ratings, people, rating_id)
    approved = await ratings.client.post(
        f"{claim['url']}/approve-claim",
        json={},
        headers={**people.bureau("head"), "If-Match": claim["etag"]},
    )
    assert approved.status_code == 200, approved.text
    url = f"/api/v1/ratings/appeals/{filed.json()['id']}"
    tag = (await ratings.client.get(url, headers=people.bureau())).headers["ETag"]
    upheld = await ratings.client.post(
        f"{url}/uphold",
        json={"note": "申诉成立"},
        headers={**people.bureau("head"), "If-Match": tag},
    )
    assert upheld.status_code == 200, upheld.text
    sent = await events.outbox("ys.ratings.rating.excluded")
    assert [e["data"]["reason"] for e in sent] == ["invalid_rating"]
    assert (await bulletin(ratings, people))["total"]["count"] == 0


async def test_a_retried_close_replays_the_stored_bulletin(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    """Closing stores the month's bulletin (201): with ``Idempotency-Key`` a retry whose
    answer was lost gets that answer again, not a 409; the key on another month is a 422."""
    await rated(ratings, events, 4)
    clock.set(datetime(2026, 11, 2, 1, 0, tzinfo=UTC))
    keyed = {**people.bureau(), "Idempotency-Key": "close-2026-10"}
    closed = await ratings.client.post(f"{REPORT}/{OCTOBER}/close", headers=keyed)
    retried = await ratings.client.post(f"{REPORT}/{OCTOBER}/close", headers=keyed)
    other = await ratings.client.post(f"{REPORT}/2026-09/close", headers=keyed)
    unkeyed = await ratings.client.post(f"{REPORT}/{OCTOBER}/close", headers=people.bureau())
    assert closed.status_code == 201, closed.text
    assert retried.status_code == 201
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert retried.json() == closed.json()
    assert other.status_code == 422
    assert other.json()["field"] == "Idempotency-Key"
    assert unkeyed.status_code == 409  # without a key, closing twice stays a conflict
