"""Knowledge base: Chinese full-text search by bigrams (SQLite FTS5 / PostgreSQL), the
listing the center manages it from, retiring and reactivating, and If-Match on changes."""

import uuid
from datetime import UTC, datetime
from typing import Any

from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.clock import frozen_clock
from ys_hotline.knowledge.tokens import index_tokens, query_tokens

from .builders import BASE, People, with_etag


def test_bigram_tokens() -> None:
    assert index_tokens("营业执照") == "营 业 执 照 营业 业执 执照"
    assert query_tokens("营业执照") == ["营业", "业执", "执照"]
    assert query_tokens("照") == ["照"]
    assert query_tokens("ETC 卡") == ["etc", "卡"]


async def test_search_finds_whole_word_and_part(hotline: ServiceUnderTest, people: People) -> None:
    entry = {"question": "食品经营许可证怎么办？", "answer": "先领取营业执照，再申请食品经营许可。",
             "category_code": "SCJG_FOOD"}  # fmt: skip
    created = await hotline.client.post(f"{BASE}/knowledge", json=entry, headers=people.center_head)
    assert created.status_code == 201, created.text
    for q in ("营业执照", "执照", "食品经营"):
        found = await hotline.client.get(
            f"{BASE}/knowledge/search",
            params={"q": q, "category": "SCJG_FOOD"},
            headers=people.operator,
        )
        assert [i["id"] for i in found.json()["items"]] == [created.json()["id"]], q
    missing = await hotline.client.get(
        f"{BASE}/knowledge/search", params={"q": "照营"}, headers=people.operator
    )
    assert missing.json()["items"] == []
    path = f"{BASE}/knowledge/{created.json()['id']}"
    head = await with_etag(hotline.client, path, people.center_head)
    retired = await hotline.client.delete(path, headers=head)
    assert retired.json()["active"] is False
    gone = await hotline.client.get(
        f"{BASE}/knowledge/search", params={"q": "食品经营"}, headers=people.operator
    )
    assert gone.json()["items"] == []
    clerk_edit = await hotline.client.post(f"{BASE}/knowledge", json=entry, headers=people.operator)
    assert clerk_edit.status_code == 403


# ---- the listing staff manage the knowledge base from ---------------------------------------

KB = f"{BASE}/knowledge"
T0 = datetime(2027, 3, 1, 2, tzinfo=UTC)  # Monday 1 March 2027, 10:00 in the county


def _entry(topic: str, **overrides: Any) -> dict[str, Any]:
    body = {"question": f"{topic}怎么办理？", "answer": f"{topic}请到县政务服务中心综合窗口办理。"}
    return {**body, **overrides}


async def _add(hotline: ServiceUnderTest, people: People, body: dict[str, Any]) -> str:
    made = await hotline.client.post(KB, json=body, headers=people.center_head)
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def _listed(hotline: ServiceUnderTest, people: People, **params: Any) -> dict[str, str]:
    """The listing's entries under ``params``: id → the status it reports."""
    page = await hotline.client.get(KB, params=params, headers=people.center_head)
    assert page.status_code == 200, page.text
    return {e["id"]: e["status"] for e in page.json()["items"]}


async def test_the_listing_selects_entries_by_their_status_now(
    hotline: ServiceUnderTest, people: People
) -> None:
    with frozen_clock(T0) as clock:
        valid = await _add(hotline, people, _entry("无人机航拍备案"))
        pending = await _add(
            hotline, people, _entry("无人机驾驶培训", valid_from="2027-03-02T09:00:00")
        )
        window = {"valid_from": "2027-02-01T09:00:00", "valid_to": "2027-02-28T18:00:00"}
        expired = await _add(hotline, people, _entry("无人机春节禁飞", **window))
        retired = await _add(hotline, people, _entry("无人机旧版登记"))
        path = f"{KB}/{retired}"
        head = await with_etag(hotline.client, path, people.center_head)
        assert (await hotline.client.delete(path, headers=head)).status_code == 200

        q = "无人机"
        assert await _listed(hotline, people, q=q, status="valid") == {valid: "valid"}
        assert await _listed(hotline, people, q=q, status="pending") == {pending: "pending"}
        assert await _listed(hotline, people, q=q, status="expired") == {expired: "expired"}
        assert await _listed(hotline, people, q=q, status="retired") == {retired: "retired"}
        assert set(await _listed(hotline, people, q=q)) == {valid, pending, expired, retired}
        both = await _listed(hotline, people, q=q, status=["pending", "expired"])
        assert set(both) == {pending, expired}
        found = await hotline.client.get(f"{KB}/search", params={"q": q}, headers=people.operator)
        assert [e["id"] for e in found.json()["items"]] == [valid]  # search: valid only

        clock.set(datetime(2027, 3, 3, 2, tzinfo=UTC))  # the training entry took effect
        now_valid = await _listed(hotline, people, q=q, status="valid")
        assert now_valid == {valid: "valid", pending: "valid"}


async def test_the_listing_filters_pages_and_is_for_the_centers_editors(
    hotline: ServiceUnderTest, people: People
) -> None:
    food = _entry("小作坊登记证", category_code="SCJG_FOOD", department="SCJGJ")
    wages = _entry("小作坊欠薪", category_code="RS_WAGES", department="RSJ")
    ids = [await _add(hotline, people, body) for body in (food, food, wages)]
    q = "小作坊"
    assert set(await _listed(hotline, people, q=q, category="SCJG_FOOD")) == set(ids[:2])
    assert set(await _listed(hotline, people, q=q, department="RSJ")) == {ids[2]}
    everything = await _listed(hotline, people, limit=200)
    assert set(ids) < set(everything)  # the demo entries too, without a keyword

    first = await hotline.client.get(KB, params={"q": q, "limit": 2}, headers=people.center_head)
    cursor = first.json()["next_cursor"]
    assert cursor is not None
    rest = await _listed(hotline, people, q=q, limit=2, cursor=cursor)
    assert [e["id"] for e in first.json()["items"]] + list(rest) == ids[::-1]  # newest first

    for who in (people.operator, people.staff("SCJGJ")):
        assert (await hotline.client.get(KB, headers=who)).status_code == 403
    blank = await hotline.client.get(KB, params={"q": "？！"}, headers=people.center_head)
    assert blank.status_code == 422


async def test_a_retired_entry_is_reactivated_under_if_match(
    hotline: ServiceUnderTest, people: People
) -> None:
    c = hotline.client
    entry = await _add(hotline, people, _entry("电动自行车上牌"))
    path = f"{KB}/{entry}"
    read = await c.get(path, headers=people.operator)  # any staff reads it, with its ETag
    retired = await c.delete(path, headers={**people.center_head, "If-Match": read.headers["ETag"]})
    assert retired.json()["status"] == "retired"
    again = f"{path}/reactivate"

    stale = await c.post(again, headers={**people.center_head, "If-Match": read.headers["ETag"]})
    assert stale.status_code == 412
    assert stale.json()["type"].endswith("/stale")
    assert (await c.get(path, headers=people.center_head)).json()["active"] is False
    missing = await c.post(again, headers=people.center_head)
    assert (missing.status_code, missing.json()["type"]) == (
        428,
        "https://yingshang.gov.cn/problems/if-match-required",
    )
    for who in (people.operator, people.head("SCJGJ")):
        assert (await c.post(again, headers=await with_etag(c, path, who))).status_code == 403
    unknown = await c.post(
        f"{KB}/{uuid.uuid4()}/reactivate",
        headers={**people.center_head, "If-Match": retired.headers["ETag"]},
    )
    assert unknown.status_code == 404

    back = await c.post(again, headers={**people.center_head, "If-Match": retired.headers["ETag"]})
    assert back.status_code == 200, back.text
    assert (back.json()["active"], back.json()["status"]) == (True, "valid")
    assert back.headers["ETag"] not in (read.headers["ETag"], retired.headers["ETag"])
    found = await c.get(f"{KB}/search", params={"q": "电动自行车"}, headers=people.operator)
    assert [e["id"] for e in found.json()["items"]] == [entry]

    active = await c.post(again, headers={**people.center_head, "If-Match": back.headers["ETag"]})
    assert active.status_code == 409
    problem = active.json()
    assert problem["type"].endswith("/entry-not-retired")
    assert (problem["status"], problem["entry_status"]) == (409, "valid")
    assert "只有已停用的条目" in problem["detail"]


async def test_an_edit_needs_the_etag_of_the_version_it_was_made_from(
    hotline: ServiceUnderTest, people: People
) -> None:
    c = hotline.client
    entry = await _add(hotline, people, _entry("农村建房审批"))
    path = f"{KB}/{entry}"
    first = (await c.get(path, headers=people.center_head)).headers["ETag"]
    edit = _entry("农村建房审批", answer="到乡镇人民政府村镇建设服务窗口申请。")

    missing = await c.put(path, json=edit, headers=people.center_head)
    assert missing.status_code == 428
    assert missing.json()["type"].endswith("/if-match-required")
    saved = await c.put(path, json=edit, headers={**people.center_head, "If-Match": first})
    assert saved.status_code == 200, saved.text
    second = saved.headers["ETag"]
    assert second != first
    assert (await c.get(path, headers=people.operator)).headers["ETag"] == second

    lost = _entry("农村建房审批", answer="这一版基于旧内容，不应保存。")
    stale = await c.put(path, json=lost, headers={**people.center_head, "If-Match": first})
    assert stale.status_code == 412
    assert stale.json()["current_etag"] == second
    retire = await c.delete(path, headers={**people.center_head, "If-Match": first})
    assert retire.status_code == 412
    kept = await c.get(path, headers=people.center_head)
    assert (kept.json()["answer"], kept.json()["active"]) == (edit["answer"], True)
    assert (kept.json()["version"], kept.headers["ETag"]) == (saved.json()["version"], second)


async def test_a_retried_entry_is_added_once(hotline: ServiceUnderTest, people: People) -> None:
    """``Idempotency-Key`` on adding an entry: a retry (the answer was lost) replays the first
    answer and adds nothing; the same key with another entry is a 422 problem."""
    keyed = {**people.center_head, "Idempotency-Key": "kb-entry-0001"}
    body = _entry("残疾人证")
    first = await hotline.client.post(KB, json=body, headers=keyed)
    again = await hotline.client.post(KB, json=body, headers=keyed)
    other = await hotline.client.post(KB, json=_entry("居住证"), headers=keyed)
    found = await hotline.client.get(
        f"{KB}/search", params={"q": "残疾人证"}, headers=people.operator
    )
    assert (first.status_code, again.status_code) == (201, 201), first.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["etag"] == first.headers["etag"]
    assert other.status_code == 422
    assert other.headers["content-type"].startswith("application/problem+json")
    assert other.json()["field"] == "Idempotency-Key"
    assert [i["id"] for i in found.json()["items"]] == [first.json()["id"]]
