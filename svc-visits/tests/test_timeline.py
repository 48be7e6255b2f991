"""The timelines of problems, pairings and duty sittings in words: every step each can record
has a label (zh-CN)."""

from types import ModuleType

import pytest

from tests.builders import BASE, People, Walk, ok
from tests.duty.test_duty import SITTING, act
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.timelines import unlabelled_steps
from ys_visits.duty import machine as duty
from ys_visits.pairings import machine as pairings
from ys_visits.problems import machine as problems


@pytest.mark.parametrize(("kind", "clocked"), [(problems, True), (pairings, True), (duty, False)])
def test_every_step_of_each_kind_has_a_label(kind: ModuleType, clocked: bool) -> None:
    missing = unlabelled_steps(kind.MACHINE, kind.OTHER_STEPS, kind.TIMELINE, clocked=clocked)
    assert missing == []


async def words(sut: ServiceUnderTest, path: str, people: People) -> list[tuple[str, ...]]:
    entries = await ok(await sut.client.get(f"{BASE}/{path}/timeline", headers=people.center))
    return [(e["action"], e["label"], e["from_label"], e["to_label"]) for e in entries]


async def test_the_timelines_name_each_step_and_state(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    problem = await walk.assigned()
    steps = await words(visits, f"problems/{problem['id']}", people)
    assert [w for w in steps if not w[0].startswith("stage_")] == [
        ("created", "登记", None, "待交办"),
        ("assign", "交办", "待交办", "已交办"),
    ]
    pairing = await walk.pairing()
    assert (await words(visits, f"assignments/{pairing['id']}", people))[:2] == [
        ("created", "建立挂帮", None, "挂帮中"),
        ("stage_started", "开始计时", None, "计时中"),  # the visit frequency's clock
    ]
    shift = await ok(
        await visits.client.post(f"{BASE}/duty-shifts", json=SITTING, headers=people.head("HALL")),
        201,
    )
    await act(visits, shift, "check-in", people.leader("LD0001", "FGJ"))
    assert await words(visits, f"duty-shifts/{shift['id']}", people) == [
        ("created", "排班", None, "已排班"),
        ("check_in", "签到", "已排班", "坐班中"),
    ]
