"""The events svc-visits publishes read as their consumers expect (contract.md): ratings takes
the ``created``, ``closed``, ``completed`` and deadline events of problems and pairings; the
approvals hall's duty board takes ``ys.visits.duty.*``. Each payload is validated with the
consumer's own model and against this service's catalogue."""

from typing import Any

from sqlalchemy import select

from tests.builders import BASE, TODAY, People, Walk, etag, ok
from yingshang.events.envelope import CloudEvent
from yingshang.events.outbox import OutboxEvent
from yingshang.testing.apps import ServiceUnderTest
from ys_approvals.duty.schemas import DutyPayload
from ys_ratings.intake.payloads import CaseClosed, CaseCompleted, CaseCreated, DeadlineEvent
from ys_visits.events import catalogue

RATINGS_READS = {
    "created": CaseCreated,
    "closed": CaseClosed,
    "completed": CaseCompleted,
    "stage_completed": DeadlineEvent,
}
RATED_KINDS = ("problem", "pairing")


async def outbox(sut: ServiceUnderTest) -> list[CloudEvent]:
    async with sut.app.state.db.read() as session:
        rows = await session.scalars(select(OutboxEvent.payload).order_by(OutboxEvent.seq))
        return [CloudEvent.model_validate(r) for r in rows]


async def test_consumers_accept_what_visits_publishes(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    solved = await walk.solved()
    await walk.step(solved, "confirm", people.center, {"confirmed_by": "王五", "channel": "sms"})
    sitting = {"hall": "HALL_LONGQUAN", "leader_name": "袁明", "department": "LONGQUAN",
               "date": TODAY, "start": "14:00", "end": "17:00"}  # fmt: skip
    await ok(await visits.client.post(f"{BASE}/duty-shifts", json=sitting,
                                      headers=people.center), 201)  # fmt: skip
    pairing = await walk.pairing()
    await ok(await visits.client.post(f"{BASE}/assignments/{pairing['id']}/end",
                                      json={"note": "企业迁出"},
                                      headers={**people.center,
                                               "If-Match": etag("pairing", pairing)}))  # fmt: skip
    checked: dict[str, int] = {}
    for event in await outbox(visits):
        catalogue.validate(event)  # registered, from this producer, payload as documented
        kind, name = event.type.split(".")[2:]
        model: Any = DutyPayload if kind == "duty" else RATINGS_READS.get(name)
        if model is not None and kind in (*RATED_KINDS, "duty"):
            model.model_validate(event.data)
            checked[f"{kind}.{name}"] = checked.get(f"{kind}.{name}", 0) + 1
    assert checked == {"problem.created": 1, "problem.stage_completed": 6, "problem.closed": 1,
                       "problem.completed": 1, "duty.recorded": 1, "pairing.created": 1,
                       "pairing.closed": 1}  # fmt: skip


async def test_a_task_without_an_enterprise_reads_as_ratings_expects(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    """A joint meeting's task (联席会议) has no enterprise: its events still validate with
    ratings' models, and its 销号 makes no 好差评 invitation (no one to rate it)."""
    await walk.indicator()
    decision = {"title": "压缩企业开办时间", "description": "一日办结。", "department": "SCJGJ"}
    meeting = {"held_on": TODAY, "title": "指标研判会", "kind": "warning", "chaired_by": "王志明",
               "participants": ["SCJGJ"], "minutes": "预警。", "decisions": [decision]}  # fmt: skip
    made = await ok(await visits.client.post(f"{BASE}/meetings", json=meeting,
                                             headers=people.bureau), 201)  # fmt: skip
    task = await ok(await visits.client.get(f"{BASE}/problems/{made['decisions'][0]['id']}",
                                            headers=people.bureau))  # fmt: skip
    await walk.step(task, "override_close", people.bureau, {"note": "并入全省改革"})
    checked: dict[str, int] = {}
    for event in await outbox(visits):
        catalogue.validate(event)
        kind, name = event.type.split(".")[2:]
        model: Any = RATINGS_READS.get(name)
        if kind == "problem" and model is not None:
            model.model_validate(event.data)
            checked[name] = checked.get(name, 0) + 1
    assert checked == {"created": 1, "closed": 1}
