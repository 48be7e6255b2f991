"""A rectification's timeline in words: every step it can record has a label (zh-CN)."""

from __future__ import annotations

from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.timelines import unlabelled_steps
from ys_ratings.access import RatingsCenter
from ys_ratings.rectifications.machine import OTHER_STEPS, rectification_machine, timeline_labels

from .builders import Events, People, rated
from .test_rectifications import BASE, act, rectification_of

CENTER = RatingsCenter("BUREAU", ("staff", "head"))


def test_every_step_a_rectification_records_has_a_label() -> None:
    machine, labels = rectification_machine(CENTER), timeline_labels(CENTER)
    assert unlabelled_steps(machine, OTHER_STEPS, labels) == []


async def test_the_timeline_names_each_step_and_state(
    ratings: ServiceUnderTest, events: Events, people: People
) -> None:
    rect = await rectification_of(ratings, people, await rated(ratings, events, 2))
    body = {"reached": True, "verified": True, "note": "已联系评价人"}
    await act(ratings, rect, "call-back", body, people.center())
    entries = (
        await ratings.client.get(f"{BASE}/{rect['id']}/timeline", headers=people.center())
    ).json()
    words = [(e["action"], e["label"], e["from_label"], e["to_label"]) for e in entries]
    assert words == [
        ("stage_started", "开始计时", None, "计时中"),  # the 15 working days of 整改
        ("opened", "生成整改单", None, "待回访核实"),
        ("call_back", "回访核实", "待回访核实", "待分类"),
    ]
