"""来电号码 search: a hotline operator lists a caller's tickets by the phone (sealed at rest,
looked up by its blind index) however it is typed; no one else may search by phone (403, a
position that sees the phone masked must not find who called by it); each search is in the
audit log with the tickets it found, never the number."""

from typing import Any

from sqlalchemy import select

from yingshang.audit import SEARCHED, AuditEntry
from yingshang.testing.apps import ServiceUnderTest

from .builders import BASE, People, create, step

CALLER = "13911112222"


async def _search(
    hotline: ServiceUnderTest, who: dict[str, str], **params: Any
) -> tuple[int, dict[str, Any]]:
    response = await hotline.client.get(f"{BASE}/tickets", params=params, headers=who)
    return response.status_code, response.json()


def _numbers(page: dict[str, Any]) -> list[str]:
    return [t["number"] for t in page["items"]]


async def test_an_operator_finds_a_callers_tickets_by_phone(
    hotline: ServiceUnderTest, people: People
) -> None:
    c, op = hotline.client, people.operator
    first = await create(c, op, requester={"name": "王五", "phone": CALLER}, title="电梯故障")
    await step(c, first, "dispatch", op)
    other = await create(c, op, requester={"name": "李四", "phone": "13700000000"})
    second = await create(c, op, requester={"phone": CALLER}, title="电梯仍未修好",
                          category_code="RS_WAGES", content="小区电梯还是坏的。")  # fmt: skip
    for typed in (CALLER, "139 1111 2222", "+86-139-1111-2222"):
        status, page = await _search(hotline, op, phone=typed)
        assert status == 200, page
        assert _numbers(page) == [second["number"], first["number"]], typed  # newest first
    status, page = await _search(hotline, op, phone="13700000000")
    assert _numbers(page) == [other["number"]]
    status, page = await _search(hotline, op, phone=CALLER, status="received")
    assert _numbers(page) == [second["number"]]  # with the other filters
    status, page = await _search(hotline, op, phone="13600000000")
    assert (status, page["items"]) == (200, [])
    status, bad = await _search(hotline, op, phone="12345")
    assert status == 422
    assert "phone" in bad["errors"][0]["field"]

    async with hotline.app.state.db.read() as session:
        rows = (
            await session.execute(
                select(AuditEntry.actor, AuditEntry.object_kind, AuditEntry.detail)
                .where(AuditEntry.action == SEARCHED)
                .order_by(AuditEntry.seq)
            )
        ).all()
    assert len(rows) == 6  # every search by phone, found or not
    _, kind, detail = rows[0]
    assert kind == "ticket"
    assert detail == {"fields": ["requester_phone"], "found": [second["id"], first["id"]]}
    assert rows[-1][2]["found"] == []
    assert not any(CALLER in str(row) or "1391111" in str(row) for row in rows)  # no number


async def test_no_one_but_an_operator_searches_by_phone(
    hotline: ServiceUnderTest, people: People
) -> None:
    c = hotline.client
    t = await create(c, people.operator, requester={"phone": CALLER})
    await step(c, t, "dispatch", people.operator)
    for who in (people.center_head, people.bureau, people.head("SCJGJ"), people.province()):
        status, problem = await _search(hotline, who, phone=CALLER)
        assert status == 403, problem
        assert problem["type"].endswith("phone-search-forbidden")
        assert problem["detail"] == "只有话务员可以按来电号码查询工单"
    status, page = await _search(hotline, people.head("SCJGJ"), q="餐馆")
    assert _numbers(page) == [t["number"]]  # their own tickets, by a word, as before
    async with hotline.app.state.db.read() as session:
        searched = await session.scalar(select(AuditEntry.seq).where(AuditEntry.action == SEARCHED))
    assert searched is None  # a refused search is no search
