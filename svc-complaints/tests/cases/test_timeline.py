"""A case's timeline in words: every step it can record has a label (zh-CN)."""

from tests.builders import BASE, People, Walk, step
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.timelines import unlabelled_steps
from ys_complaints.cases.machine import MACHINE, OTHER_STEPS, TIMELINE


def test_every_step_a_case_records_has_a_label() -> None:
    assert unlabelled_steps(MACHINE, OTHER_STEPS, TIMELINE) == []


async def test_the_timeline_names_each_step_and_state(
    complaints: ServiceUnderTest, people: People, walk: Walk
) -> None:
    c = complaints.client
    case = await step(c, await walk.assigned(), "urge", people.bureau, {"note": "请于本周内答复"})
    # read as the unit complained about: the same words as the center's (notes are redacted)
    entries = (await c.get(f"{BASE}/cases/{case['id']}/timeline", headers=people.head())).json()
    steps = [e for e in entries if not e["action"].startswith("stage_")]
    assert [(e["action"], e["label"], e["from_label"], e["to_label"]) for e in steps] == [
        ("created", "登记", None, "已登记"),
        ("accept", "受理", "已登记", "已受理"),
        ("assign", "交办", "已受理", "已交办"),
        ("urge", "催办/督办", "已交办", "已交办"),
    ]
