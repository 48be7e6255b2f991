"""A reopened ticket runs its five stages again: each clock row of the detail says its round
(第 n 轮: 1 + the reopens before the clock started), as the 回访's ``round`` does."""

import asyncio
from typing import Any

from alembic import command

from yingshang.migrate import alembic_config
from yingshang.testing.apps import ServiceUnderTest
from ys_hotline.app import SERVICE_DIR

from .builders import BASE, People, create, step


async def _rounds(hotline: ServiceUnderTest, ticket: dict[str, Any], who: dict[str, str]) -> Any:
    """(stage, state, round) of each clock row, oldest first."""
    response = await hotline.client.get(f"{BASE}/tickets/{ticket['id']}", headers=who)
    assert response.status_code == 200, response.text
    return [(s["stage"], s["state"], s["round"]) for s in response.json()["stages"]]


async def _handled(hotline: ServiceUnderTest, people: People, t: dict[str, Any]) -> Any:
    c, head = hotline.client, people.head("SCJGJ")
    t = await step(c, t, "sign", head)
    t = await step(c, t, "contact", head)
    t = await step(c, t, "reply", head, {"body": "已责令该餐馆整改。"})
    return await step(c, t, "review", people.center_head, {"approve": True})


async def test_the_clocks_of_a_reopened_ticket_carry_their_round(
    hotline: ServiceUnderTest, people: People
) -> None:
    c = hotline.client
    t = await step(c, await create(c, people.operator), "dispatch", people.operator)
    t = await _handled(hotline, people, t)
    t = await step(c, t, "revisit", people.operator, {"level": 1, "comment": "没有解决"})
    first = await _rounds(hotline, t, people.center_head)
    assert {r for _, _, r in first} == {1}
    assert {s for s, _, _ in first} == {"handle", "sign", "contact", "feedback", "revisit"}

    t = await step(c, t, "reopen", people.center_head, {"reason": "群众不满意"})
    t = await _handled(hotline, people, t)
    t = await step(c, t, "revisit", people.operator, {"level": 5})
    rows = await _rounds(hotline, t, people.head("SCJGJ"))  # the department reads them too
    assert rows[: len(first)] == first  # the first round's rows, as they were
    again = rows[len(first) :]
    assert sorted(again) == sorted((s, "completed", 2) for s, _, _ in first)


async def test_a_ticket_reopened_at_the_center_counts_its_round_from_the_reopen(
    hotline: ServiceUnderTest, people: People
) -> None:
    """A 咨询 answered at intake goes back to the center: its new 办理 clock starts at the
    reopen, its 签收 clock at the dispatch after it — both of the second round."""
    c = hotline.client
    t = await create(c, people.operator, type="consult", category_code="SCJG_FOOD")
    t = await step(c, t, "answer", people.operator, {"answer": "请到窗口办理"})
    t = await step(c, t, "revisit", people.operator, {"level": 2})
    t = await step(c, t, "reopen", people.center_head, {"reason": "答复不准确"})
    assert t["status"] == "received"
    assert [(s["stage"], s["round"]) for s in t["stages"]] == [
        ("handle", 1), ("revisit", 1), ("handle", 2)
    ]  # fmt: skip
    t = await step(c, t, "dispatch", people.operator)
    assert [(s["stage"], s["state"], s["round"]) for s in t["stages"]][-1] == ("sign", "running", 2)


async def test_the_migration_gives_earlier_reopens_their_rounds(
    hotline: ServiceUnderTest, people: People
) -> None:
    """Tickets reopened before the rounds were recorded get them from their timelines: a
    clock started at or after the n-th reopen is of round n + 1."""
    c = hotline.client
    t = await create(c, people.operator, type="consult", category_code="SCJG_FOOD")
    t = await step(c, t, "answer", people.operator, {"answer": "请到窗口办理"})
    t = await step(c, t, "revisit", people.operator, {"level": 1})
    t = await step(c, t, "reopen", people.center_head, {"reason": "答复不准确"})
    t = await step(c, t, "dispatch", people.operator)
    recorded = await _rounds(hotline, t, people.center_head)
    assert [r for _, _, r in recorded] == [1, 1, 2, 2]

    config = alembic_config(SERVICE_DIR, hotline.database_url)
    await asyncio.to_thread(command.downgrade, config, "hotline_0004")
    await asyncio.to_thread(command.upgrade, config, "heads")
    assert await _rounds(hotline, t, people.center_head) == recorded
