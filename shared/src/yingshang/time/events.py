"""The deadline engine's event types and payload models, for each service's event catalogue.

Contract (``ys.<svc>.<kind>.warning|overdue|escalated|stage_completed``): the common case
fields plus ``case_kind, stage, stage_id, level (0 warning, 1..n), due_at`` (+ ``on_time`` on
completion; ``target`` and ``action`` of the ladder level on escalation). The engine also
records every other change of a stage (``stage_started`` ... ``stage_cancelled``) with the same
fields, for webhooks and audit trails; ratings consumes the four contract types and
``stage_cancelled`` (an escalated stage that stops running leaves the 督办 ledger).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from yingshang.events.catalogue import EventCatalogue
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


RATINGS = ("ratings",)
DEADLINE_EVENTS: dict[str, tuple[type[StageEvent], str, tuple[str, ...]]] = {
    "warning": (StageEvent, "时限预警: the warning share of the time limit is used", RATINGS),
    "overdue": (StageEvent, "超期: the stage passed its due time (level 1)", RATINGS),
    "escalated": (Escalated, "督办: an escalation level reached (target, action)", RATINGS),
    "stage_completed": (StageCompleted, "A timed stage finished (on_time)", RATINGS),
    "stage_started": (StageChanged, "A timed stage started (policy terms copied)", ()),
    "stage_paused": (StageChanged, "The clock stopped (补正, hearing, testing ...)", ()),
    "stage_resumed": (StageChanged, "The clock runs again with what was left", ()),
    "stage_restarted": (StageChanged, "Counting anew from the day after (intake 补正)", ()),
    "stage_extended": (StageChanged, "延期: the time limit was extended", ()),
    "stage_rescheduled": (StageChanged, "Due time moved by a loaded calendar year", ()),
    "stage_cancelled": (StageChanged, "Timing stopped without an outcome", RATINGS),
}


def register_deadline_events(
    catalogue: EventCatalogue, service: str, case_kinds: tuple[str, ...]
) -> EventCatalogue:
    """Add ``ys.<service>.<kind>.<event>`` for every deadline event of every case kind."""
    for kind in case_kinds:
        for name, (model, text, consumers) in DEADLINE_EVENTS.items():
            catalogue.register(
                f"ys.{service}.{kind}.{name}", model, description=text, consumers=consumers
            )
    return catalogue
