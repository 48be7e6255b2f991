"""The deadline engine's event types and payload models, for each service's event catalogue.

Contract (``ys.<svc>.<kind>.warning|overdue|escalated|stage_completed``): the common case
fields plus ``case_kind, stage, stage_id, level (0 warning, 1..n), due_at`` (+ ``on_time`` on
completion; ``target`` and ``action`` of the ladder level on escalation). The engine also
records every other change of a stage (``stage_started`` ... ``stage_cancelled``) with the same
fields, for webhooks and audit trails; ratings consumes the four contract types and
``stage_cancelled`` (an escalated stage that stops running leaves the 督办 ledger).

Each event is also an entry on its case's timeline; :data:`DEADLINE_TIMELINE` is what those
entries are called, for every service's timeline reads.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import NamedTuple

from pydantic import BaseModel, Field

from yingshang.cases.timeline import Vocabulary
from yingshang.events.catalogue import EventCatalogue
from yingshang.time.ladder import STEP_ACTIONS
from yingshang.time.models import CANCELLED, COMPLETED, PAUSED, RUNNING
from yingshang.time.terms import Target


class StageEvent(BaseModel):
    """Fields every deadline event carries."""

    case_id: uuid.UUID
    case_number: str
    department: str
    origin_client: str | None = None
    case_kind: str
    stage: str
    stage_id: uuid.UUID
    level: int = Field(ge=0, le=9)
    due_at: datetime


class Escalated(StageEvent):
    """督办: a ladder level reached (L1 the department head, L2 bureau, L3 committee)."""

    target: Target
    action: str


class StageCompleted(StageEvent):
    on_time: bool


class ExtensionMade(BaseModel):
    amount: int
    unit: str


class StageChanged(StageEvent):
    """Started, paused, resumed, restarted, extended, rescheduled or cancelled."""

    remaining: float | None = None
    extension: ExtensionMade | None = None
    previous_due_at: datetime | None = None


class DeadlineEvent(NamedTuple):
    """A deadline event: its payload model, what it means, the services consuming it, and
    its label (zh-CN) on the case's timeline."""

    model: type[StageEvent]
    text: str
    consumers: tuple[str, ...]
    label: str


RATINGS = ("ratings",)
# The gateway texts the people a warning, an overdue or an escalation names (督办 by SMS).
RATINGS_AND_SMS = ("ratings", "gateway")
DEADLINE_EVENTS: dict[str, DeadlineEvent] = {
    "warning": DeadlineEvent(
        StageEvent,
        "时限预警: the warning share of the time limit is used",
        RATINGS_AND_SMS,
        "时限预警",
    ),
    "overdue": DeadlineEvent(
        StageEvent, "超期: the stage passed its due time (level 1)", RATINGS_AND_SMS, "超期"
    ),
    "escalated": DeadlineEvent(
        Escalated,
        "督办: an escalation level reached (target, action)",
        RATINGS_AND_SMS,
        "升级督办",
    ),
    "stage_completed": DeadlineEvent(
        StageCompleted, "A timed stage finished (on_time)", RATINGS, "环节完成"
    ),
    "stage_started": DeadlineEvent(
        StageChanged, "A timed stage started (policy terms copied)", (), "开始计时"
    ),
    "stage_paused": DeadlineEvent(
        StageChanged, "The clock stopped (补正, hearing, testing ...)", (), "暂停计时"
    ),
    "stage_resumed": DeadlineEvent(
        StageChanged, "The clock runs again with what was left", (), "恢复计时"
    ),
    "stage_restarted": DeadlineEvent(
        StageChanged, "Counting anew from the day after (intake 补正)", (), "重新计时"
    ),
    "stage_extended": DeadlineEvent(
        StageChanged, "延期: the time limit was extended", (), "延长时限"
    ),
    "stage_rescheduled": DeadlineEvent(
        StageChanged, "Due time moved by a loaded calendar year", (), "调整时限"
    ),
    "stage_cancelled": DeadlineEvent(
        StageChanged, "Timing stopped without an outcome", RATINGS, "停止计时"
    ),
}


def timeline_action(event: str) -> str:
    """The timeline action recording deadline event ``event`` on its case: the sweeper's steps
    read ``deadline_<event>`` (``ladder.STEP_ACTIONS``), a stage's changes their own name."""
    return STEP_ACTIONS.get(event, event)


CLOCK_LABELS = {RUNNING: "计时中", PAUSED: "已暂停", COMPLETED: "已完成", CANCELLED: "已取消"}
DEADLINE_TIMELINE = Vocabulary(
    {timeline_action(name): event.label for name, event in DEADLINE_EVENTS.items()}, CLOCK_LABELS
)
"""The deadline engine's timeline entries: their labels, and those of the clock states a
stage's change moves between."""


def register_deadline_events(
    catalogue: EventCatalogue, service: str, case_kinds: tuple[str, ...]
) -> EventCatalogue:
    """Add ``ys.<service>.<kind>.<event>`` for every deadline event of every case kind."""
    for kind in case_kinds:
        for name, event in DEADLINE_EVENTS.items():
            catalogue.register(
                f"ys.{service}.{kind}.{name}",
                event.model,
                description=event.text,
                consumers=event.consumers,
            )
    return catalogue
