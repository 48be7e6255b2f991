"""A ticket's timeline in words: every step it can record has a label (zh-CN)."""

from yingshang.clock import now
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.clock import frozen_clock
from yingshang.testing.timelines import unlabelled_steps
from ys_hotline.tickets.machine import MACHINE, OTHER_STEPS, TIMELINE

from .builders import BASE, People, create, step


def test_every_step_a_ticket_records_has_a_label() -> None:
    assert unlabelled_steps(MACHINE, OTHER_STEPS, TIMELINE) == []


async def test_the_timeline_names_each_step_and_state(
    hotline: ServiceUnderTest, people: People
) -> None:
    c = hotline.client
    t = await create(c, people.operator)
    t = await step(c, t, "dispatch", people.operator)
    t = await step(c, t, "sign", people.head("SCJGJ"))
    t = await step(c, t, "urge", people.center_head, {"note": "请加快办理"})
    steps = [e for e in t["timeline"] if not e["action"].startswith("stage_")]
    assert [(e["action"], e["label"], e["from_label"], e["to_label"]) for e in steps] == [
        ("receive", "受理", None, "已受理"),
        ("dispatch", "派单", "已受理", "已派单"),
        ("sign", "签收", "已派单", "已签收"),
        ("urge", "催办/督办", "已签收", "已签收"),
    ]
    assert steps[0]["note"] == "来源：电话"  # the channel in words, not its code
    started = next(e for e in t["timeline"] if e["action"] == "stage_started")
    assert (started["label"], started["to_label"]) == ("开始计时", "计时中")


async def test_entries_of_one_instant_read_in_the_order_written(
    hotline: ServiceUnderTest, people: People
) -> None:
    """受理 starts the 办理 clock at the same instant: 受理 comes first, then 开始计时, on
    every ticket (ids made within one millisecond must not reorder them)."""
    with frozen_clock(now()):
        for _ in range(8):
            made = await create(hotline.client, people.operator)
            got = await hotline.client.get(f"{BASE}/tickets/{made['id']}", headers=people.operator)
            first = [(e["action"], e["at"]) for e in got.json()["timeline"][:2]]
            assert [action for action, _ in first] == ["receive", "stage_started"], first
            assert first[0][1] == first[1][1]  # one instant
