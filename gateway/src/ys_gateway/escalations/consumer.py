"""Deadline events of every service → SMS to the people the ladder names.

One durable consumer per service stream (``gateway-<svc>-escalations``) takes
``ys.<svc>.*.warning|overdue|escalated`` of every case kind. The inbox applies each event id
once; a :class:`~ys_gateway.models.DeadlineNotice` per (step, person) makes it one SMS per
person even when two events name the same step (``overdue`` and the L1 ``escalated``). The
SMS goes into the gateway's notifications outbox (``yingshang.notify``) in the consumer's
transaction and is sent after commit. A person the ladder names who has no 工作手机 is not
dropped silently: their notice is kept as ``no_mobile`` (listed at
``/api/v1/admin/deadline-notices/unreachable``) and logged with the event id and 工号.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang import notify
from yingshang.events.catalogue import EventCatalogue, EventRejected, EventSpec, producer_of
from yingshang.events.consumer import EventConsumer
from yingshang.events.envelope import CloudEvent
from yingshang.time.events import DEADLINE_EVENTS, StageEvent
from ys_gateway.crypto import SecretBox
from ys_gateway.directory.mobiles import mobile_of
from ys_gateway.escalations.messages import params_for, template_for
from ys_gateway.escalations.recipients import audience_of, by_hand, recipients
from ys_gateway.models import DeadlineNotice, Department, User
from ys_gateway.streams import pattern_consumer

log = logging.getLogger("ys_gateway.escalations")

PURPOSE = "escalations"
TEXTED = ("warning", "overdue", "escalated")
QUEUED, NO_MOBILE = "queued", "no_mobile"


class DeadlineCatalogue(EventCatalogue):
    """``ys.<svc>.<kind>.<warning|overdue|escalated>`` of any case kind, validated with the
    deadline engine's own payload models (``yingshang.time.events``)."""

    def spec(self, type_: str) -> EventSpec:
        parts = type_.split(".")
        if len(parts) != 4 or parts[3] not in TEXTED:
            raise EventRejected(f"{type_} is not a deadline event to text", kind="unknown")
        event = DEADLINE_EVENTS[parts[3]]
        return EventSpec(type_, event.model, event.text, producer_of(type_))

    def __contains__(self, type_: object) -> bool:
        parts = str(type_).split(".")
        return len(parts) == 4 and parts[3] in TEXTED


class Notifier:
    """The handler: a notice, and an SMS where there is a number, per person named."""

    def __init__(self, box: SecretBox) -> None:
        self.box = box  # opens the sealed 工作手机

    async def __call__(self, session: AsyncSession, event: CloudEvent, payload: Any) -> None:
        step: StageEvent = payload
        _, _, kind, name = event.type.split(".")
        audience = audience_of(step)
        people = await recipients(session, audience, step.department)
        if not people:
            log.warning("deadline event %s (%s): nobody is %s", event.id, event.type, audience)
            return
        dept = await session.get(Department, step.department)
        params = params_for(
            kind=kind,
            case_number=step.case_number,
            stage=step.stage,
            level=step.level,
            due_at=step.due_at,
            department=dept.name if dept else step.department,
        )
        template = template_for(name, audience, by_hand=by_hand(step))
        for person in people:
            if not await _told(session, step, person):
                await self._tell(session, event, step, person, template, params)

    async def _tell(
        self,
        session: AsyncSession,
        event: CloudEvent,
        step: StageEvent,
        person: User,
        template: str,
        params: dict[str, str],
    ) -> None:
        mobile = mobile_of(person, self.box)
        notice = DeadlineNotice(
            event_id=event.id,
            event_type=event.type,
            case_number=step.case_number,
            department=step.department,
            stage=step.stage,
            stage_id=step.stage_id,
            level=step.level,
            due_at=step.due_at,
            user_id=person.id,
            staff_no=person.staff_no,
            status=QUEUED if mobile else NO_MOBILE,
        )
        if mobile:
            sms = await notify.enqueue(session, recipient=mobile, template=template, params=params)
            notice.notification_id = sms.id
        else:
            log.warning(
                "deadline event %s names %s (工号 %s), who has no 工作手机: no SMS",
                event.id,
                person.username,
                person.staff_no or "—",
            )
        session.add(notice)
        await session.flush()


async def _told(session: AsyncSession, step: StageEvent, person: User) -> bool:
    n = DeadlineNotice
    found = await session.scalar(
        select(n.id).where(
            n.stage_id == step.stage_id,
            n.level == step.level,
            n.due_at == step.due_at,
            n.user_id == person.id,
        )
    )
    return found is not None


def escalation_consumer(source: str) -> Callable[[FastAPI], EventConsumer]:
    """Component factory: the deadline events of ``source``'s stream, every case kind."""

    def build(app: FastAPI) -> EventConsumer:
        patterns = tuple(f"ys.{source}.*.{name}" for name in TEXTED)
        handler = Notifier(app.state.secrets)
        return pattern_consumer(source, PURPOSE, DeadlineCatalogue(), patterns, handler)(app)

    return build
