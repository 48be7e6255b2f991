"""Case timeline (who, which position, when, what, from→to, note) — one table per service DB.

Every state change writes a timeline entry in the same transaction as the state and the
outbox event (see ``yingshang.cases.statemachine.apply_transition``); deadline warnings and
escalations are written here too.

Entries store codes (``accept``, ``in_review``); reads answer with the words staff know them
by as well (受理, 审查中): a case kind's :class:`TimelineLabels` combine its machine's labels,
its other steps' and the deadline engine's (``yingshang.time.DEADLINE_TIMELINE``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Required, TypedDict, Unpack

from pydantic import BaseModel, Field
from sqlalchemy import JSON, Index, String, Text, Uuid, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.auth import Principal
from yingshang.clock import now
from yingshang.db import IdMixin, PlumbingBase, UTCDateTime
from yingshang.ids import uuid7
from yingshang.prepared import insert_row
from yingshang.redaction import Redactor
from yingshang.vocabulary import system_name


class TimelineEntry(IdMixin, PlumbingBase):
    __tablename__ = "ys_timeline"
    __table_args__ = (Index("ix_ys_timeline_case", "case_kind", "case_id", "at"),)

    case_kind: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[uuid.UUID] = mapped_column(Uuid())
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)
    action: Mapped[str] = mapped_column(String(60))
    from_state: Mapped[str | None] = mapped_column(String(40))
    to_state: Mapped[str | None] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(120))  # sub, or "system:<component>"
    actor_name: Mapped[str | None] = mapped_column(String(120))
    staff_no: Mapped[str | None] = mapped_column(String(40))
    position_dept: Mapped[str | None] = mapped_column(String(60))
    position_role: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    event_id: Mapped[str | None] = mapped_column(String(64))


_INSERT = insert_row(TimelineEntry)


class Entry(TypedDict, total=False):
    """What a timeline entry says (``record``/``append`` keyword arguments)."""

    case_kind: Required[str]
    case_id: Required[uuid.UUID]
    action: Required[str]
    actor: Required[Principal | str]  # a principal, or "system:<component>"
    from_state: str | None
    to_state: str | None
    position: tuple[str, str] | None
    note: str | None
    data: dict[str, Any] | None
    event_id: str | None
    at: datetime | None  # default: now


async def record(session: AsyncSession, **entry: Unpack[Entry]) -> TimelineEntry:
    """Append a timeline entry in the caller's transaction (inserted at once with a prepared
    statement; the returned object is a detached copy of the row). :func:`append` is the same
    without the copy."""
    values = _values(entry)
    await _INSERT.run(session, **values)
    return TimelineEntry(**values)


async def append(session: AsyncSession, **entry: Unpack[Entry]) -> None:
    """:func:`record` for callers that do not need the entry back (hot paths)."""
    await _INSERT.run(session, **_values(entry))


def _values(entry: Entry) -> dict[str, Any]:
    actor, position = entry["actor"], entry.get("position")
    if isinstance(actor, Principal):
        sub, name, staff_no = actor.sub, actor.name, actor.staff_no
    else:
        sub, name, staff_no = actor, None, None
    return {
        "id": uuid7(),
        "case_kind": entry["case_kind"],
        "case_id": entry["case_id"],
        "action": entry["action"],
        "from_state": entry.get("from_state"),
        "to_state": entry.get("to_state"),
        "actor": sub,
        "actor_name": name,
        "staff_no": staff_no,
        "position_dept": position[0] if position else None,
        "position_role": position[1] if position else None,
        "note": entry.get("note"),
        "data": entry.get("data"),
        "event_id": entry.get("event_id"),
        "at": entry.get("at") or now(),
    }


async def entries(session: AsyncSession, case_kind: str, case_id: uuid.UUID) -> list[TimelineEntry]:
    rows = await session.execute(
        select(TimelineEntry)
        .where(TimelineEntry.case_kind == case_kind, TimelineEntry.case_id == case_id)
        .order_by(TimelineEntry.at, TimelineEntry.id)
    )
    return list(rows.scalars())


class TimelineOut(BaseModel):
    """One entry of a case's timeline: when, which step (its code and its zh-CN label), from →
    to (codes and labels), who acting as which position, and the note."""

    at: datetime
    action: str = Field(description="the step's code, e.g. `accept`")
    label: str = Field(
        description="the step as staff call it (zh-CN), e.g. 受理; the code if it has none"
    )
    from_state: str | None = Field(
        description="the case's state before the step; on a deadline entry (`stage_*`) the "
        "clock's (`running`, `paused`, `completed`, `cancelled`)"
    )
    from_label: str | None = Field(description="`from_state` in words (zh-CN), e.g. 已收件")
    to_state: str | None = Field(description="the state after the step (as `from_state`)")
    to_label: str | None = Field(description="`to_state` in words (zh-CN), e.g. 审查中")
    actor_name: str | None = Field(description="who; a background component by its name")
    staff_no: str | None = Field(description="工号 of the person who acted")
    position_dept: str | None = Field(description="the department of the position acted in")
    position_role: str | None = Field(description="the role of the position acted in")
    note: str | None
    stage: str | None = Field(
        None, description="on a deadline entry (`stage_*`), the timed stage's code, e.g. `sign`"
    )


@dataclass(frozen=True)
class Vocabulary:
    """Labels (zh-CN) of a group of timeline actions, and of the states their entries move
    between: a case kind's own steps move the case (its machine's states), the deadline
    engine's move a clock (running, paused ...)."""

    actions: Mapping[str, str]
    states: Mapping[str, str] = field(default_factory=dict)


class TimelineLabels:
    """What a case kind's timeline entries are called: its vocabularies combined.

    An action has one label: two vocabularies naming an action differently are refused
    (``ValueError``, at import). An empty label is no label. An action without one reads as
    its code; each service's tests check that every action it writes has a label.
    """

    def __init__(self, *vocabularies: Vocabulary) -> None:
        self._steps: dict[str, tuple[str, Mapping[str, str]]] = {}
        for vocabulary in vocabularies:
            for action, label in vocabulary.actions.items():
                if label:
                    self._add(action, label, vocabulary.states)

    def _add(self, action: str, label: str, states: Mapping[str, str]) -> None:
        known = self._steps.get(action)
        if known is not None and known[0] != label:
            raise ValueError(f"timeline action {action!r} is both {known[0]!r} and {label!r}")
        self._steps[action] = (label, states)

    def label(self, action: str) -> str | None:
        """The label of ``action``; ``None`` when it has none."""
        step = self._steps.get(action)
        return step[0] if step else None

    def out(self, entry: TimelineEntry) -> TimelineOut:
        """``entry`` as the API shows it, with the labels of its step and states."""
        label, states = self._steps.get(entry.action, (entry.action, {}))
        return TimelineOut(
            at=entry.at,
            action=entry.action,
            label=label,
            from_state=entry.from_state,
            from_label=_state_label(states, entry.from_state),
            to_state=entry.to_state,
            to_label=_state_label(states, entry.to_state),
            # a component by its name in words (rows written before it had one included)
            actor_name=system_name(entry.actor) or entry.actor_name,
            staff_no=entry.staff_no,
            position_dept=entry.position_dept,
            position_role=entry.position_role,
            note=entry.note,
            stage=_stage(entry),
        )

    def outs(
        self, entries: Iterable[TimelineEntry], *, redact: Redactor | None = None
    ) -> list[TimelineOut]:
        """The entries as the API shows them; ``redact``: takes out of the notes (free text)
        what this reader may not read (:mod:`yingshang.redaction`)."""
        shown = [self.out(entry) for entry in entries]
        if redact is not None:
            for out in shown:
                out.note = redact.optional(out.note)
        return shown


def _stage(entry: TimelineEntry) -> str | None:
    """The timed stage a deadline entry (the engine's ``stage_*`` and ``deadline_*``, the stage
    in their data) is about; ``None`` for every other step."""
    if not entry.action.startswith(("stage_", "deadline_")):
        return None
    stage = (entry.data or {}).get("stage")
    return str(stage) if stage else None


def _state_label(states: Mapping[str, str], state: str | None) -> str | None:
    return None if state is None else states.get(state, state)
