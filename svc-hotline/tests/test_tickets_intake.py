"""Intake: provincial push with Idempotency-Key, due time from the original receipt,
excluded matters, duplicate hints, the county-to-town dispatch rule."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from yingshang.idempotency import IdempotencyRecord
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.clock import frozen_clock
from ys_hotline.tickets import duplicates

from .builders import BASE, People, create, outbox_events, step, ticket_body, with_etag


def _push(external_id: str = "GZ12345-0001", **overrides: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "type": "help",
        "category_code": "ZJ_PROPERTY",
        "title": "小区电梯故障",
        "content": "小区3号楼电梯故障一周无人维修，老人出行困难。",
        "external_id": external_id,
        "received_at": "2026-09-24T10:00:00+08:00",
    }
    return ticket_body(**{**fields, **overrides})


async def test_push_due_time_counts_from_received_at(
    hotline: ServiceUnderTest, people: People
) -> None:
    headers = {**people.province(), "Idempotency-Key": "push-0001"}
    response = await hotline.client.post(f"{BASE}/tickets", json=_push(), headers=headers)
    assert response.status_code == 201, response.text
    ticket = response.json()
    # 求助 5 working days from 2026-09-24 (Thu): 中秋/国庆 off → due 10-09 24:00 Asia/Shanghai.
    assert ticket["due_at"] == "2026-10-09T16:00:00Z"
    assert ticket["source"] == "province"
    assert ticket["number"].startswith("RX20260924-")
    assert ticket["requester"]["phone"] == "138****5678"  # clients see masks


async def test_same_push_twice_makes_one_ticket(hotline: ServiceUnderTest, people: People) -> None:
    headers = {**people.province(), "Idempotency-Key": "push-0002"}
    first = await hotline.client.post(f"{BASE}/tickets", json=_push("E-2"), headers=headers)
    again = await hotline.client.post(f"{BASE}/tickets", json=_push("E-2"), headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json()["id"] == first.json()["id"]
    other_body = await hotline.client.post(
        f"{BASE}/tickets", json=_push("E-2", title="另一件事"), headers=headers
    )
    assert other_body.status_code == 422
    new_key = {**people.province(), "Idempotency-Key": "push-0003"}
    retried = await hotline.client.post(f"{BASE}/tickets", json=_push("E-2"), headers=new_key)
    assert (retried.status_code, retried.json()["id"]) == (200, first.json()["id"])
    listed = await hotline.client.get(f"{BASE}/tickets", headers=people.center_head)
    assert len(listed.json()["items"]) == 1
    unkeyed = await hotline.client.post(
        f"{BASE}/tickets", json=_push("E-3"), headers=people.province()
    )
    assert unkeyed.status_code == 400


async def test_excluded_matter_is_refused_with_referral(
    hotline: ServiceUnderTest, people: People
) -> None:
    body = ticket_body(excluded_matter="emergency")
    response = await hotline.client.post(f"{BASE}/tickets", json=body, headers=people.operator)
    assert response.status_code == 422
    assert "110" in response.json()["referral"]
    listed = await hotline.client.get(f"{BASE}/tickets", headers=people.center_head)
    assert listed.json()["items"] == []


async def test_duplicate_hints(hotline: ServiceUnderTest, people: People) -> None:
    first = await create(hotline.client, people.operator)
    second = await create(hotline.client, people.operator, requester={"phone": "13700000000"})
    reasons = {d["reason"] for d in second["duplicates"] if d["id"] == first["id"]}
    assert reasons == {"similar_content"}
    third = await create(hotline.client, people.operator, category_code="RS_WAGES",
                         content="老板拖欠三个月工资。")  # fmt: skip
    assert {d["id"]: d["reason"] for d in third["duplicates"]}[first["id"]] == "same_phone"
    t = await step(
        hotline.client, second, "merge", people.operator, {"into_ticket_id": first["id"]}
    )
    assert (t["status"], t["merged_into_id"]) == ("merged", first["id"])


async def test_a_candidate_taken_in_elsewhere_is_read_from_the_database(
    hotline: ServiceUnderTest, people: People
) -> None:
    """Candidates' numbers, titles and texts are kept in memory from their own intake; one
    taken in by another replica (or before a restart) is read once from the database."""
    first = await create(hotline.client, people.operator, title="另一处施工噪音")
    key = uuid.UUID(first["id"]).hex
    assert duplicates._KNOWN[key].number == first["number"]
    del duplicates._KNOWN[key]  # as if another replica had taken it in
    second = await create(hotline.client, people.operator, requester={"phone": "13700000001"})
    hint = next(d for d in second["duplicates"] if d["id"] == first["id"])
    assert (hint["number"], hint["title"], hint["status"]) == (
        first["number"], "另一处施工噪音", "received",
    )  # fmt: skip
    assert duplicates._KNOWN[key].title == "另一处施工噪音"
    unlike = await create(hotline.client, people.operator, requester={"phone": "13700000002"},
                          content="路灯不亮，晚上出行不便。")  # fmt: skip
    assert unlike["duplicates"] == []


async def test_county_matter_never_goes_to_a_town(
    hotline: ServiceUnderTest, people: People
) -> None:
    t = await create(hotline.client, people.operator)
    refused = await hotline.client.post(
        f"{BASE}/tickets/{t['id']}/dispatch",
        json={"department": "LONGQUAN"},
        headers={**people.operator, "If-Match": f'"ticket-{t["id"]}-{t["version"]}"'},
    )
    assert refused.status_code == 422
    assert refused.json()["type"].endswith("county-matter-to-town")
    town = await create(hotline.client, people.operator, category_code="TOWN_VILLAGE")
    done = await step(hotline.client, town, "dispatch", people.operator, {"department": "LONGQUAN"})
    assert done["department"] == "LONGQUAN"
    edit = {"name": "市场监管/食品安全", "lead_department": "LONGQUAN"}
    path = f"{BASE}/categories/SCJG_FOOD"
    head = await with_etag(hotline.client, path, people.center_head)
    catalogue = await hotline.client.put(path, json=edit, headers=head)
    assert catalogue.status_code == 422


async def test_consult_answered_directly(hotline: ServiceUnderTest, people: People) -> None:
    t = await create(hotline.client, people.operator, type="consult", category_code="SP_SERVICE")
    found = await hotline.client.get(f"{BASE}/knowledge/search", params={"q": "营业执照"},
                                     headers=people.operator)  # fmt: skip
    entry = found.json()["items"][0]
    t = await step(hotline.client, t, "answer", people.operator,
                   {"answer": entry["answer"], "kb_entry_id": entry["id"]})  # fmt: skip
    assert (t["status"], t["outcome"]) == ("closed", "answered")
    # answered by the operator at intake: no department ever held it, in the operator's
    # queue (承办单位) nor in what the scorecards read
    queue = await hotline.client.get(f"{BASE}/tickets", headers=people.operator)
    [listed] = [row for row in queue.json()["items"] if row["id"] == t["id"]]
    assert (t["department"], t["co_departments"], listed["department"]) == (None, [], None)
    published = {e["type"]: e["data"] for e in await outbox_events(hotline, t["id"])}
    created, closed = (published[f"ys.hotline.ticket.{name}"] for name in ("created", "closed"))
    assert (created["department"], closed["department"]) == (None, None)


async def test_attachments(hotline: ServiceUnderTest, people: People) -> None:
    t = await create(hotline.client, people.operator)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    files = {"file": ("现场照片说明.pdf", pdf, "application/pdf")}
    made = await hotline.client.post(
        f"{BASE}/tickets/{t['id']}/attachments", files=files, headers=people.operator
    )
    assert made.status_code == 201, made.text
    listed = await hotline.client.get(
        f"{BASE}/tickets/{t['id']}/attachments", headers=people.operator
    )
    assert [a["id"] for a in listed.json()] == [made.json()["id"]]
    hidden = await hotline.client.get(
        f"{BASE}/tickets/{t['id']}/attachments", headers=people.head("ZJJ")
    )
    assert hidden.status_code == 404


async def test_a_push_without_an_offset_is_county_time(
    hotline: ServiceUnderTest, people: People
) -> None:
    """README: a time without an offset is Asia/Shanghai (the platform's own clock)."""
    headers = {**people.province(), "Idempotency-Key": "push-naive-1"}
    body = _push("E-NAIVE", received_at="2026-11-20T10:00:00")
    response = await hotline.client.post(f"{BASE}/tickets", json=body, headers=headers)
    assert response.status_code == 201, response.text
    received = datetime.fromisoformat(response.json()["received_at"])
    assert received == datetime(2026, 11, 20, 2, tzinfo=UTC)


async def test_the_201_does_not_claim_an_empty_timeline(
    hotline: ServiceUnderTest, people: People
) -> None:
    """The 201 leaves the timeline out (a GET reads it), in its OpenAPI schema too: an empty
    list said the intake wrote nothing."""
    headers = {**people.province(), "Idempotency-Key": "push-timeline-1"}
    made = await hotline.client.post(f"{BASE}/tickets", json=_push("E-TL"), headers=headers)
    assert made.status_code == 201, made.text
    assert "timeline" not in made.json()
    read = await hotline.client.get(f"{BASE}/tickets/{made.json()['id']}", headers=headers)
    assert [e["action"] for e in read.json()["timeline"]][:2] == ["receive", "stage_started"]
    again = await hotline.client.post(f"{BASE}/tickets", json=_push("E-TL"), headers=headers)
    assert again.json() == made.json()  # the replay is the same answer
    spec = (await hotline.client.get("/openapi.json")).json()["components"]["schemas"]
    created = next(v for k, v in spec.items() if k.startswith("CreatedOut"))
    assert "timeline" not in created["properties"]


async def test_a_stored_answer_keeps_no_query_code_a_retry_gets_it(
    hotline: ServiceUnderTest, people: People
) -> None:
    headers = {**people.province(), "Idempotency-Key": "push-at-rest-1"}
    first = await hotline.client.post(f"{BASE}/tickets", json=_push("E-AR"), headers=headers)
    again = await hotline.client.post(f"{BASE}/tickets", json=_push("E-AR"), headers=headers)
    code = first.json()["query_code"]
    assert code
    assert (again.headers["Idempotent-Replayed"], again.json()["query_code"]) == ("true", code)
    async with hotline.app.state.db.read() as session:
        rows = (await session.execute(select(IdempotencyRecord.key, IdempotencyRecord.body))).all()
    assert rows
    for key, body in rows:
        assert "push-at-rest-1" not in key
        assert code.encode() not in (body or b"")


async def test_a_body_that_is_no_json_is_a_400_naming_no_field(
    hotline: ServiceUnderTest, people: People
) -> None:
    response = await hotline.client.post(
        f"{BASE}/tickets", content=b'{"type": "help",, }',
        headers={**people.operator, "content-type": "application/json"},
    )  # fmt: skip
    assert response.status_code == 400, response.text
    assert response.json()["type"].endswith("/malformed-body")
    assert "field" not in response.json()


async def test_an_open_ticket_of_the_same_caller_is_a_hint_whatever_its_age(
    hotline: ServiceUnderTest, people: People
) -> None:
    """A caller rings back on day 8 about a matter still open: the same phone is a hint, the
    window (duplicate_window_days, 7) bounds near-identical text from other callers only; a
    closed ticket is never a hint (并单 joins an open one)."""
    c, op = hotline.client, people.operator
    lift = {"title": "电梯故障", "category_code": "ZJ_PROPERTY", "content": "3号楼电梯坏了一周。"}
    noise = {"title": "施工噪音", "category_code": "HJ_POLLUTION", "content": "工地夜间施工扰民。"}
    t0 = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    with frozen_clock(t0) as clock:
        old = await create(c, op, requester={"phone": "13911112222"}, **lift)
        noisy = await create(c, op, requester={"phone": "13700000003"}, **noise)
        answered = await create(c, op, type="consult", category_code="SP_SERVICE",
                                requester={"phone": "13911113333"})  # fmt: skip
        await step(c, answered, "answer", op, {"answer": "请到窗口办理"})
        clock.set(t0 + timedelta(days=8))
        again = await create(c, op, requester={"phone": "13911112222"}, title="电梯还是坏的",
                             category_code="RS_WAGES", content="电梯至今没修。")  # fmt: skip
        hints = [(d["id"], d["reason"]) for d in again["duplicates"]]
        assert hints == [(old["id"], "same_phone")]
        like = await create(c, op, requester={"phone": "13700000004"}, **noise)
        assert noisy["id"] not in [d["id"] for d in like["duplicates"]]  # older than the window
        after = await create(c, op, requester={"phone": "13911113333"})
        assert answered["id"] not in [d["id"] for d in after["duplicates"]]  # closed: no hint
