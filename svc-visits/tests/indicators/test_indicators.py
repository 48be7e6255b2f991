"""Indicators and their owners (指标长): the bureau adds and edits them with If-Match, every
version is kept; only the bureau writes them, naming departments of the directory; any staff
reads them, the list filtered by lead unit, owner and active."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, select

from tests.builders import BASE, People, Walk, an_indicator, etag, ok
from yingshang.events.envelope import CloudEvent
from yingshang.events.outbox import OutboxEvent
from yingshang.testing.apps import ServiceUnderTest
from ys_visits.events import catalogue

URL = f"{BASE}/indicators/STARTING_BUSINESS"


def edit_body(**overrides: Any) -> dict[str, Any]:
    body = an_indicator(**overrides)
    del body["code"]
    return body


async def indicator_events(sut: ServiceUnderTest) -> list[CloudEvent]:
    async with sut.app.state.db.read() as session:
        rows = await session.scalars(
            select(OutboxEvent.payload)
            .where(OutboxEvent.subject.like("ys.visits.indicator.%"))
            .order_by(OutboxEvent.seq)
        )
        return [CloudEvent.model_validate(r) for r in rows]


async def test_the_bureau_keeps_an_indicator_and_every_version(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    made = await visits.client.post(f"{BASE}/indicators", json=an_indicator(),
                                     headers=people.bureau)  # fmt: skip
    created = await ok(made, 201)
    assert made.headers["Location"] == URL
    assert made.headers["ETag"] == etag("indicator", created)
    assert (created["lead_department"], created["owner_name"], created["owner_staff_no"]) == (
        "SCJGJ", "冯涛", "SC5000")  # fmt: skip
    assert (created["target_value"], created["latest_score"], created["scores"]) == (
        "1.00", None, [])  # fmt: skip
    assert created["tasks"] == {"open": 0, "closed": 0, "overdue": 0}
    assert created["actions"] == ["edit", "score", "correct"]
    again = await visits.client.post(f"{BASE}/indicators", json=an_indicator(name="另一个"),
                                      headers=people.bureau)  # fmt: skip
    assert again.status_code == 409

    edited = edit_body(owner_name="王志明", owner_staff_no="LD0001", owner_title="副县长",
                       co_departments=["XZSPJ", "TAX", "GAJ"], target_value=0.5)  # fmt: skip
    missing = await visits.client.put(URL, json=edited, headers=people.bureau)
    assert missing.status_code == 428
    stale = {**people.bureau, "If-Match": etag("indicator", {**created, "version": 0})}
    assert (await visits.client.put(URL, json=edited, headers=stale)).status_code == 412
    fresh = {**people.bureau, "If-Match": etag("indicator", created)}
    response = await visits.client.put(URL, json=edited, headers=fresh)
    updated = await ok(response)
    assert response.headers["ETag"] == etag("indicator", updated)
    assert (updated["version"], updated["owner_name"], updated["target_value"]) == (
        2, "王志明", "0.50")  # fmt: skip
    assert updated["co_departments"] == ["XZSPJ", "TAX", "GAJ"]
    # the same body again changes nothing: no new version, nothing more kept
    again_tag = {**people.bureau, "If-Match": etag("indicator", updated)}
    unchanged = await ok(await visits.client.put(URL, json=edited, headers=again_tag))
    assert unchanged["version"] == 2
    revisions = await ok(await visits.client.get(f"{URL}/revisions", headers=people.staff()))
    assert [(r["subject"], r["version"], r["snapshot"]["owner_name"]) for r in revisions] == [
        ("indicator", 1, "冯涛"), ("indicator", 2, "王志明")]  # fmt: skip
    assert revisions[0]["snapshot"]["target_value"] == "1.00"
    published = await indicator_events(visits)
    for one in published:
        catalogue.validate(one)
    assert [(e.type, e.data["version"]) for e in published] == [
        ("ys.visits.indicator.created", 1), ("ys.visits.indicator.updated", 2)]  # fmt: skip


async def test_only_the_bureau_writes_and_names_departments_of_the_directory(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    writers = [people.at("SCJGJ", "clerk"), people.head("SCJGJ"), people.center,
               people.committee]  # fmt: skip
    for headers in writers:
        refused = await visits.client.post(f"{BASE}/indicators", json=an_indicator(),
                                           headers=headers)  # fmt: skip
        assert refused.status_code == 403, headers
    for field, body in [
        ("lead_department", an_indicator(lead_department="NOPE")),
        ("co_departments.1", an_indicator(co_departments=["XZSPJ", "NOPE"])),
    ]:
        refused = await visits.client.post(f"{BASE}/indicators", json=body,
                                           headers=people.bureau)  # fmt: skip
        assert (refused.status_code, refused.json().get("field")) == (422, field)
    for body in (an_indicator(co_departments=["SCJGJ"]), an_indicator(code="开办企业"),
                 an_indicator(target_value=None)):  # fmt: skip
        refused = await visits.client.post(f"{BASE}/indicators", json=body,
                                           headers=people.bureau)  # fmt: skip
        assert refused.status_code == 422, body
    assert await ok(await visits.client.get(f"{BASE}/indicators", headers=people.bureau)) == []

    indicator = await walk.indicator()
    clerk = {**people.at("SCJGJ", "clerk"), "If-Match": etag("indicator", indicator)}
    assert (await visits.client.put(URL, json=edit_body(), headers=clerk)).status_code == 403
    bureau = {**people.bureau, "If-Match": etag("indicator", indicator)}
    unknown = await visits.client.put(URL, json=edit_body(lead_department="NOPE"), headers=bureau)
    assert (unknown.status_code, unknown.json()["field"]) == (422, "lead_department")
    absent = await visits.client.get(f"{BASE}/indicators/NO_SUCH", headers=people.staff())
    assert absent.status_code == 404
    read = await ok(await visits.client.get(URL, headers=people.at("SCJGJ", "clerk")))
    assert (read["version"], read["actions"]) == (1, [])  # any staff reads; a clerk writes nothing


async def test_the_list_filters_by_lead_unit_owner_and_active(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    await walk.indicator()
    await walk.indicator(code="MARKET_REGULATION", name="市场监管", co_departments=[])
    await walk.indicator(code="BIDDING", name="招标投标", lead_department="FGJ",
                         co_departments=[], owner_name="彭勇", owner_staff_no="FG5200",
                         active=False)  # fmt: skip

    async def codes(**params: Any) -> list[str]:
        found = await ok(await visits.client.get(f"{BASE}/indicators", params=params,
                                                 headers=people.staff("RSJ")))  # fmt: skip
        return [i["code"] for i in found]

    assert await codes() == ["STARTING_BUSINESS", "MARKET_REGULATION", "BIDDING"]
    assert await codes(lead_department="SCJGJ") == ["STARTING_BUSINESS", "MARKET_REGULATION"]
    assert await codes(owner_staff_no="FG5200") == ["BIDDING"]
    assert await codes(active=False) == ["BIDDING"]
    assert await codes(lead_department="FGJ", active=True) == []


@contextmanager
def statements(sut: ServiceUnderTest) -> Iterator[list[str]]:
    """The SQL statements the service runs meanwhile, on any of its engines."""
    db, seen = sut.app.state.db, []

    def count(*args: Any) -> None:
        seen.append(str(args[2]))

    engines = {db.engine.sync_engine, db.write_engine.sync_engine, db.peek_engine.sync_engine}
    for engine in engines:
        event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", count)


async def test_the_list_reads_in_as_many_queries_whatever_its_length(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    async def listing() -> int:
        with statements(visits) as seen:
            await ok(await visits.client.get(f"{BASE}/indicators", headers=people.bureau))
        return len(seen)

    await walk.indicator()
    one = await listing()
    for code in ("MARKET_REGULATION", "BIDDING", "PAYING_TAXES"):
        await walk.indicator(code=code, co_departments=[])
        score = {"period": "2025", "score": 80}
        await ok(await visits.client.post(f"{BASE}/indicators/{code}/scores", json=score,
                                          headers=people.bureau), 201)  # fmt: skip
        await walk.problem(indicator_code=code)
    assert await listing() == one
