"""The deadline ladder's SMS: who each event names, one SMS per step and person whatever is
redelivered, and nobody without a 工作手机 dropped silently. Events go through the consumer's
own path (catalogue validation, inbox ``apply_once``) on the seeded demo directory."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from yingshang.clock import county_due
from yingshang.events.catalogue import EventRejected
from yingshang.events.envelope import CloudEvent, make_event
from yingshang.events.inbox import apply_once
from yingshang.notify import Notification
from ys_gateway.escalations.consumer import DeadlineCatalogue, Notifier
from ys_gateway.models import DeadlineNotice

from .kit import Gateway

CONSUMER = "gateway-hotline-escalations"
USERS = "/api/v1/admin/users"
UNREACHABLE = "/api/v1/admin/deadline-notices/unreachable"
DUE = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)  # 17:30 in the county
ZJJ_HEAD, BUREAU_HEAD = "13700005100", "13700000002"
COMMITTEE = {"13700000004", "13700000005"}  # 陈志远 (staff), 赵国栋 (head)


def step(
    name: str,
    level: int,
    *,
    stage_id: uuid.UUID,
    target: str | None = None,
    action: str = "notify",
    due: datetime = DUE,
    dept: str = "ZJJ",
) -> CloudEvent:
    """A deadline event of a 12345 ticket's 签收 stage, as the hotline's sweeper emits it."""
    data: dict[str, Any] = {
        "case_id": str(uuid.uuid4()),
        "case_number": "RX202612010001",
        "department": dept,
        "case_kind": "ticket",
        "stage": "sign",
        "stage_id": str(stage_id),
        "level": level,
        "due_at": due.isoformat(),
    }
    if target:
        data |= {"target": target, "action": action}
    return make_event("hotline", f"ys.hotline.ticket.{name}", data, subject="ticket:1")


async def deliver(gateway: Gateway, event: CloudEvent) -> bool:
    """As the consumer applies one message: validated, then once per event id (inbox)."""
    parsed = DeadlineCatalogue().validate(event, subject=event.type)
    async with gateway.app.state.db.write() as session:
        return await apply_once(session, CONSUMER, parsed, Notifier(gateway.app.state.secrets))


async def sent(gateway: Gateway) -> list[tuple[str, str, dict[str, Any]]]:
    """(recipient, template, params) of every SMS queued, in order."""
    async with gateway.app.state.db.read() as session:
        rows = await session.scalars(select(Notification).order_by(Notification.created_at))
        return [(n.recipient, n.template, dict(n.params)) for n in rows]


async def test_a_warning_texts_the_department_head_about_the_case_only(
    gateway: Gateway,
) -> None:
    assert await deliver(gateway, step("warning", 0, stage_id=uuid.uuid4()))
    [(to, template, params)] = await sent(gateway)
    assert (to, template) == (ZJJ_HEAD, "deadline_warning")
    assert params == {
        "number": "RX202612010001",
        "case": "12345工单",
        "stage": "签收",
        "department": "住房和城乡建设局",
        "due": "2026-12-03 17:30",
        "level": "0",
    }


async def test_overdue_and_the_l1_escalation_of_a_step_text_the_head_once(
    gateway: Gateway,
) -> None:
    stage = uuid.uuid4()
    overdue = step("overdue", 1, stage_id=stage)
    assert await deliver(gateway, overdue)
    assert not await deliver(gateway, overdue)  # redelivered: the inbox absorbs it
    assert await deliver(gateway, step("escalated", 1, stage_id=stage, target="responsible_head"))
    assert [(to, t) for to, t, _ in await sent(gateway)] == [(ZJJ_HEAD, "deadline_overdue")]
    # A new due time (延期) is a new step: its overdue texts again.
    assert await deliver(gateway, step("overdue", 1, stage_id=stage, due=DUE + timedelta(days=2)))
    assert len(await sent(gateway)) == 2


async def test_l2_texts_the_bureaus_heads_and_l3_every_committee_member(
    gateway: Gateway,
) -> None:
    stage = uuid.uuid4()
    assert await deliver(gateway, step("escalated", 2, stage_id=stage, target="bureau"))
    # The bureau's head only: not its staff (the cross-posted 副局长 gsl_chair), nor admin.
    assert [(to, t) for to, t, _ in await sent(gateway)] == [(BUREAU_HEAD, "deadline_urge")]
    assert await deliver(gateway, step("escalated", 3, stage_id=stage, target="committee"))
    later = (await sent(gateway))[1:]
    assert {to for to, _, _ in later} == COMMITTEE
    assert {(t, p["level"]) for _, t, p in later} == {("deadline_notice", "3")}


async def test_a_supervision_by_hand_texts_the_department_pressed_not_who_issued_it(
    gateway: Gateway,
) -> None:
    """The bureau's 督办 on a ticket (L2, target bureau, action supervise): the bureau knows;
    the department's heads are told their case is supervised."""
    pressed = step("escalated", 2, stage_id=uuid.uuid4(), target="bureau", action="supervise")
    assert await deliver(gateway, pressed)
    [(to, template, params)] = await sent(gateway)
    assert (to, template, params["level"]) == (ZJJ_HEAD, "deadline_supervised", "2")


async def test_every_active_head_is_texted_and_an_inactive_one_is_not(
    gateway: Gateway,
) -> None:
    admin = await gateway.headers("admin")
    second = {
        "username": "zjj_head2",
        "name": "副职主持",
        "mobile": "13700005199",
        "password": "a-long-password",
        "positions": [{"dept": "ZJJ", "role": "head"}],
    }
    assert (await gateway.client.post(USERS, json=second, headers=admin)).status_code == 201
    await deliver(gateway, step("overdue", 1, stage_id=uuid.uuid4()))
    assert {to for to, _, _ in await sent(gateway)} == {ZJJ_HEAD, "13700005199"}
    off = await gateway.client.patch(f"{USERS}/zjj_head2", json={"active": False}, headers=admin)
    assert off.status_code == 200
    await deliver(gateway, step("overdue", 1, stage_id=uuid.uuid4()))
    assert [to for to, _, _ in await sent(gateway)][2:] == [ZJJ_HEAD]


async def test_a_head_without_a_mobile_is_recorded_logged_and_listed_until_given_one(
    gateway: Gateway, caplog: pytest.LogCaptureFixture
) -> None:
    admin = await gateway.headers("admin")
    cleared = await gateway.client.patch(f"{USERS}/zjj_head", json={"mobile": None}, headers=admin)
    assert cleared.status_code == 200
    event = step("overdue", 1, stage_id=uuid.uuid4())
    with caplog.at_level(logging.WARNING, logger="ys_gateway.escalations"):
        assert await deliver(gateway, event)
    assert await sent(gateway) == []
    async with gateway.app.state.db.read() as session:
        notices = [(n.status, n.staff_no) for n in await session.scalars(select(DeadlineNotice))]
    assert notices == [("no_mobile", "ZJ5100")]
    assert any(event.id in r.getMessage() and "ZJ5100" in r.getMessage() for r in caplog.records)
    listed = (await gateway.client.get(UNREACHABLE, headers=admin)).json()
    assert [(p["username"], p["staff_no"], p["missed"]) for p in listed] == [
        ("zjj_head", "ZJ5100", 1)
    ]
    refused = await gateway.client.get(UNREACHABLE, headers=await gateway.headers("bureau"))
    assert refused.status_code == 403
    given = {"mobile": "13700005100"}
    assert (
        await gateway.client.patch(f"{USERS}/zjj_head", json=given, headers=admin)
    ).status_code == 200
    assert (await gateway.client.get(UNREACHABLE, headers=admin)).json() == []


async def test_a_department_with_no_head_texts_nobody_and_fails_nothing(
    gateway: Gateway,
) -> None:
    assert await deliver(gateway, step("overdue", 1, stage_id=uuid.uuid4(), dept="TAX"))
    assert await sent(gateway) == []


def test_the_catalogue_takes_the_three_texted_events_of_any_case_kind() -> None:
    catalogue = DeadlineCatalogue()
    assert "ys.visits.pairing.overdue" in catalogue
    assert "ys.hotline.ticket.stage_completed" not in catalogue
    completed = step("stage_completed", 1, stage_id=uuid.uuid4())
    with pytest.raises(EventRejected):
        catalogue.validate(completed, subject=completed.type)
    bad = step("escalated", 2, stage_id=uuid.uuid4())  # an escalation names its target
    with pytest.raises(EventRejected):
        catalogue.validate(bad, subject=bad.type)


def test_a_working_day_limit_ends_at_24_00_of_its_last_day() -> None:
    midnight = datetime(2026, 12, 3, 16, 0, tzinfo=UTC)  # 2026-12-04 00:00 in the county
    assert county_due(midnight) == "2026-12-03 24:00"
    assert county_due(DUE) == "2026-12-03 17:30"
