"""An application's timeline in words: every step it can record has a label (zh-CN)."""

from __future__ import annotations

from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.timelines import unlabelled_steps
from ys_approvals.applications.machine import MACHINE, OTHER_STEPS, TIMELINE

from .builders import BASE, People, food_licence_at_the_window
from .test_applications_clock import act


def test_every_step_an_application_records_has_a_label() -> None:
    assert unlabelled_steps(MACHINE, OTHER_STEPS, TIMELINE) == []


async def test_the_timeline_names_each_step_and_state(
    hall: ServiceUnderTest, people: People
) -> None:
    c = hall.client
    clerk, app = await food_licence_at_the_window(c, people.issuer)
    assert (await act(c, app, "accept", clerk)).status_code == 200
    entries = (
        await c.get(f"{BASE}/applications/{app['id']}/timeline", headers=people.bureau())
    ).json()
    words = [(e["action"], e["label"], e["from_label"], e["to_label"]) for e in entries]
    assert words == [
        ("submit", "收件", None, "已收件"),
        ("stage_started", "开始计时", None, "计时中"),  # the committed limit's clock
        ("accept", "受理", "已收件", "审查中"),
    ]


async def test_an_approval_keeps_its_note(hall: ServiceUnderTest, people: People) -> None:
    """准予许可 offers a note (备注): it stays on the timeline."""
    c = hall.client
    clerk, app = await food_licence_at_the_window(c, people.issuer)
    assert (await act(c, app, "accept", clerk)).status_code == 200
    note = {"note": "材料齐全，准予许可"}
    approved = await act(c, app, "approve", people.staff("SCJGJ"), note)
    assert approved.status_code == 200, approved.text
    entries = (
        await c.get(f"{BASE}/applications/{app['id']}/timeline", headers=people.bureau())
    ).json()
    assert [e["note"] for e in entries if e["action"] == "approve"] == ["材料齐全，准予许可"]
