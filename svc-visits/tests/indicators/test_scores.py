"""An indicator's score per period (a quarter 2026-Q3 or a year 2026): once per period, by the
bureau, the lead unit's head or the owner; corrected only by the bureau with If-Match, the old
value kept; the indicator shows its latest period's score and its history."""

from typing import Any

import httpx

from tests.builders import BASE, People, Walk, ok
from tests.indicators.test_indicators import indicator_events
from yingshang.testing.apps import ServiceUnderTest

URL = f"{BASE}/indicators/STARTING_BUSINESS"
SCORES = f"{URL}/scores"


def visits_headers(people: People, *positions: tuple[str, str]) -> dict[str, str]:
    return people.issuer.headers(*positions, staff_no="SC9001", name="交叉挂职")


def score_etag(score: dict[str, Any]) -> str:
    return f'"indicator_score-{score["id"]}-{score["version"]}"'


async def post(sut: ServiceUnderTest, headers: dict[str, str], **body: Any) -> httpx.Response:
    return await sut.client.post(SCORES, json={"score": 86.5, **body}, headers=headers)


async def test_periods_are_quarters_or_years_that_have_begun(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    await walk.indicator()
    for period in ("2026Q1", "2026-Q5", "2026-q1", "1999", "26-Q1", "2026-03"):
        refused = await post(visits, people.bureau, period=period)
        assert refused.status_code == 422, period
    not_yet = await post(visits, people.bureau, period="2026-Q2")  # today is 2 March 2026
    assert (not_yet.status_code, not_yet.json()["field"]) == (422, "period")
    for body in ({"score": 100.5}, {"score": -1}, {"score": 86.555}, {"rank": 15, "rank_of": 14}):
        refused = await post(visits, people.bureau, period="2026-Q1", **body)
        assert refused.status_code == 422, body
    bad_path = await visits.client.get(f"{SCORES}/2026-Q9", headers=people.bureau)
    assert bad_path.status_code == 422


async def test_scored_once_per_period_by_those_who_answer_for_it(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    await walk.indicator()  # led by SCJGJ, owned by 工号 SC5000
    for headers in (people.staff("SCJGJ"), people.head("FGJ"), people.center):
        assert (await post(visits, headers, period="2025")).status_code == 403, headers
    by_head = await post(visits, people.head("SCJGJ"), period="2025-Q4", rank=3, rank_of=14)
    recorded = await ok(by_head, 201)
    assert by_head.headers["Location"] == f"{SCORES}/2025-Q4"
    assert by_head.headers["ETag"] == score_etag(recorded)
    assert (recorded["score"], recorded["rank"], recorded["version"]) == ("86.50", 3, 1)
    owner = people.at("ZFB", "staff", "SC5000")  # the owner by 工号, whatever post they act in
    await ok(await post(visits, owner, period="2025", score=88), 201)
    await ok(await post(visits, people.bureau, period="2026-Q1", score=90.25), 201)
    twice = await post(visits, people.bureau, period="2025-Q4", score=99)
    assert (twice.status_code, twice.json()["field"]) == (409, "period")

    indicator = await ok(await visits.client.get(URL, headers=people.staff("RSJ")))
    assert [(s["period"], s["score"]) for s in indicator["scores"]] == [
        ("2026-Q1", "90.25"), ("2025", "88.00"), ("2025-Q4", "86.50")]  # fmt: skip
    assert indicator["latest_score"]["period"] == "2026-Q1"
    listed = await ok(await visits.client.get(f"{BASE}/indicators", headers=people.staff("RSJ")))
    assert listed[0]["latest_score"]["score"] == "90.25"


async def test_only_the_bureau_corrects_a_score_and_the_old_value_is_kept(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    await walk.indicator()
    first = await ok(await post(visits, people.head("SCJGJ"), period="2026-Q1"), 201)
    url = f"{SCORES}/2026-Q1"
    read = await visits.client.get(url, headers=people.staff("RSJ"))
    assert read.headers["ETag"] == score_etag(first)
    fix = {"score": 84, "rank": 5, "rank_of": 14, "note": "省评估组复核后更正"}
    own = {**people.head("SCJGJ"), "If-Match": score_etag(first)}
    assert (await visits.client.put(url, json=fix, headers=own)).status_code == 403
    assert (await visits.client.put(url, json=fix, headers=people.bureau)).status_code == 428
    bureau = {**people.bureau, "If-Match": score_etag(first)}
    missing = await visits.client.put(f"{SCORES}/2025", json=fix, headers=bureau)
    assert missing.status_code == 404
    corrected = await ok(await visits.client.put(url, json=fix, headers=bureau))
    assert (corrected["score"], corrected["rank"], corrected["version"]) == ("84.00", 5, 2)
    assert corrected["recorded_by_name"] == "BUREAUstaff"
    stale = await visits.client.put(url, json={**fix, "score": 83}, headers=bureau)
    assert stale.status_code == 412
    revisions = await ok(await visits.client.get(f"{URL}/revisions", headers=people.staff()))
    kept = [(r["version"], r["snapshot"]["score"], r["snapshot"]["recorded_by_name"])
            for r in revisions if r["subject"] == "score"]  # fmt: skip
    assert kept == [(1, "86.50", "SCJGJhead"), (2, "84.00", "BUREAUstaff")]
    assert {r["period"] for r in revisions if r["subject"] == "score"} == {"2026-Q1"}
    # a bureau member also posted to the lead unit (交叉挂职) corrects nothing of it
    both = visits_headers(people, ("SCJGJ", "head"), ("BUREAU", "staff"))
    twice = {**both, "If-Match": score_etag(corrected)}
    refused = await visits.client.put(url, json={**fix, "score": 99}, headers=twice)
    assert (refused.status_code, refused.json()["type"].rsplit("/", 1)[1]) == (403, "own-indicator")
    scored = [e.data for e in await indicator_events(visits) if e.type.endswith(".scored")]
    assert [(e["period"], e["score"], e["version"]) for e in scored] == [
        ("2026-Q1", "86.50", 1), ("2026-Q1", "84.00", 2)]  # fmt: skip
