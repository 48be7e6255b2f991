"""One sweep batch: what fires for each claimed stage, and the rows that record it.

For every step that fires: one outbox event (CloudEvents document, contract payload), one
timeline entry; for every claimed stage: one conditional update of its emission cursor. All
are written with bulk ``executemany`` calls in the sweep's transaction.
"""

from __future__ import annotations

import uuid
from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import orjson
from sqlalchemy import String, Table, Text, type_coerce
from sqlalchemy.engine import Dialect, Row
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.cases.timeline import TimelineEntry
from yingshang.clock import ensure_utc
from yingshang.events.outbox import OutboxEvent
from yingshang.ids import uuid7_hex
from yingshang.observability import child_traceparent, traceparent_var
from yingshang.time.bulk import (
    DriverForm,
    canonical_uuid,
    insert_rows,
    update_rows,
)
from yingshang.time.ladder import (
    ESCALATED,
    STEP_ACTIONS,
    LevelTimes,
    Progress,
    Step,
    fire_due_steps,
)
from yingshang.time.models import RUNNING, DeadlineStage
from yingshang.time.stages import iso_utc

ACTOR = "system:deadline-sweeper"
STAGES = cast(Table, DeadlineStage.__table__)
OUTBOX = cast(Table, OutboxEvent.__table__)
TIMELINE = cast(Table, TimelineEntry.__table__)
OUTBOX_COLUMNS = ("event_id", "subject", "case_key", "payload", "created_at", "attempts")
TIMELINE_COLUMNS = (
    "id",
    "case_kind",
    "case_id",
    "at",
    "action",
    "actor",
    "note",
    "data",
    "event_id",
)
_CURSOR = ("warning_emitted", "overdue_emitted", "level_emitted")
_ASSIGN = (*_CURSOR, "next_fire_at", "updated_at")
_MATCH = ("id", *_CURSOR)
_NOTES = {"warning": "即将到期，请抓紧办理", "overdue": "已超过时限"}
# The default ladder's words (an admin's own target or action reads as typed).
_TARGETS = {"responsible_head": "责任单位一把手", "bureau": "营商局", "committee": "营商环境委员会"}
_ACTIONS = {"notify_head": "通知一把手", "urge": "催办", "written_notice": "书面通报"}


@dataclass(frozen=True, slots=True)
class Firing:
    """One emitted step of one stage, handed to the sweeper's hooks."""

    stage_id: uuid.UUID
    case_kind: str
    case_id: uuid.UUID
    case_number: str
    department: str
    stage: str
    event: str  # warning | overdue | escalated
    level: int
    target: str | None
    action: str | None
    due_at: datetime
    event_id: str


class Batch:
    """The rows one sweep batch writes, planned from the claimed stages' rows, already in the
    driver's form (``yingshang.time.bulk``)."""

    def __init__(
        self, at: datetime, times: LevelTimes, form: DriverForm, *, keep_firings: bool
    ) -> None:
        self.at, self.at_text, self.times, self.form = at, iso_utc(at), times, form
        self.at_value = form.instant(at)
        self.outbox: list[tuple[Any, ...]] = []
        self.timeline: list[tuple[Any, ...]] = []
        self.updates: list[tuple[Any, ...]] = []
        self.firings: list[Firing] = []
        self.keep_firings = keep_firings
        # One trace per batch, one span per event (W3C trace context: 00-trace-span-flags).
        trace = child_traceparent(traceparent_var.get())
        self.trace_prefix, self.trace_flags = trace[:36], trace[-3:]
        self._ladders: dict[str, list[dict[str, Any]]] = {}
        self._instants: dict[str, datetime] = {}
        self._stored: dict[datetime, Any] = {}
        self._iso: dict[datetime, str] = {}
        self._escalations: dict[tuple[str | None, str | None], str] = {}

    def ladder(self, raw: Any) -> list[dict[str, Any]]:
        """The ladder snapshot; selected as text on SQLite and parsed once per distinct text."""
        if not isinstance(raw, str):
            return cast(list[dict[str, Any]], raw)
        parsed = self._ladders.get(raw)
        if parsed is None:
            parsed = self._ladders[raw] = orjson.loads(raw)
        return parsed

    def add(self, row: Any) -> None:
        """Plan one claimed stage (a row of :func:`stage_columns`)."""
        cursor = (row.warning_emitted, row.overdue_emitted, row.level_emitted)
        progress = Progress(*cursor)
        due_at, warning_at = self.instant(row.due_at), self.instant(row.warning_at)
        ladder = self.ladder(row.ladder)
        steps, upcoming = fire_due_steps(self.times, progress, warning_at, due_at, ladder, self.at)
        if steps:
            self._emit(row, steps, due_at)
        flag = self.form.flag
        self.updates.append(
            (
                flag(progress.warning_emitted),
                flag(progress.overdue_emitted),
                progress.level_emitted,
                self.stored(upcoming),
                self.at_value,
                row.id,
                flag(cursor[0]),
                flag(cursor[1]),
                cursor[2],
            )
        )

    def instant(self, raw: Any) -> datetime:
        """An aware UTC instant from what the driver returned (SQLite: text, parsed once per
        distinct value — due times cluster at midnights)."""
        if isinstance(raw, datetime):
            return ensure_utc(raw)
        found = self._instants.get(raw)
        if found is None:
            found = self._instants[raw] = datetime.fromisoformat(raw).replace(tzinfo=UTC)
        return found

    def iso(self, at: datetime) -> str:
        """``at`` as the envelope writes times (memoised: due times cluster)."""
        found = self._iso.get(at)
        if found is None:
            found = self._iso[at] = iso_utc(at)
        return found

    def stored(self, at: datetime | None) -> Any:
        """``at`` in the driver's form (memoised per distinct instant)."""
        if at is None:
            return None
        found = self._stored.get(at)
        if found is None:
            found = self._stored[at] = self.form.instant(at)
        return found

    def _emit(self, row: Any, steps: list[Step], due_at: datetime) -> None:
        """Events and timeline entries of one stage.

        The JSON is assembled from fragments: the fields all events of the stage share are
        serialised once (orjson escapes the free text); the rest are ids, codes and times whose
        characters need no escaping (service and case kind are ``[a-z_]+``, checked when the
        stage starts). The result is the document ``CloudEvent.model_dump(mode="json",
        exclude_none=True)`` gives — a test validates it — at a fraction of the cost.
        """
        case_id, stage_id = canonical_uuid(row.case_id), canonical_uuid(row.id)
        case_key = f"{row.case_kind}/{case_id}"
        shared = {
            "case_id": case_id,
            "case_number": row.case_number,
            "department": row.department,
            "origin_client": row.origin_client,
            "case_kind": row.case_kind,
            "stage": row.stage,
            "stage_id": stage_id,
            "due_at": self.iso(due_at),
        }
        common = orjson.dumps(shared).decode()[:-1]  # without the closing brace
        head = (
            f'{{"specversion":"1.0","source":"/yingshang/{row.service}","subject":"{case_key}",'
            f'"time":"{self.at_text}","datacontenttype":"application/json"'
        )
        ids = uuid7_hex(2 * len(steps))  # time-ordered: appended at their indexes' edge
        for step, event_hex, entry_hex in zip(steps, ids[::2], ids[1::2], strict=True):
            event_id = canonical_uuid(event_hex)
            event_type = f"ys.{row.service}.{row.case_kind}.{step.event}"
            data = f'{common},"level":{step.level}{self._escalation(step)}}}'
            trace = f"{self.trace_prefix}{entry_hex[-16:]}{self.trace_flags}"  # random bits
            payload = (
                f'{head},"id":"{event_id}","type":"{event_type}","traceparent":"{trace}",'
                f'"data":{data}}}'
            )
            self.outbox.append((event_id, event_type, case_key, payload, self.at_value, 0))
            note = _NOTES.get(step.event) or _escalation_note(step)
            self.timeline.append(
                (
                    self.form.uuid_hex(entry_hex),
                    row.case_kind,
                    row.case_id,
                    self.at_value,
                    STEP_ACTIONS[step.event],
                    ACTOR,
                    note,
                    data,
                    event_id,
                )
            )
            if self.keep_firings:
                self.firings.append(
                    Firing(
                        uuid.UUID(stage_id),
                        row.case_kind,
                        uuid.UUID(case_id),
                        row.case_number,
                        row.department,
                        row.stage,
                        step.event,
                        step.level,
                        step.target,
                        step.action,
                        due_at,
                        event_id,
                    )
                )

    def _escalation(self, step: Step) -> str:
        """``,"target":…,"action":…`` for an escalation (memoised), else nothing."""
        if step.event != ESCALATED:
            return ""
        key = (step.target, step.action)
        found = self._escalations.get(key)
        if found is None:
            fields = orjson.dumps({"target": step.target, "action": step.action}).decode()
            found = self._escalations[key] = "," + fields[1:-1]
        return found

    async def write(self, session: AsyncSession) -> None:
        """Bulk-insert events and timeline entries, then move every stage's cursor on."""
        await insert_rows(session, self.form, OUTBOX, OUTBOX_COLUMNS, self.outbox)
        await insert_rows(session, self.form, TIMELINE, TIMELINE_COLUMNS, self.timeline)
        updated = await update_rows(
            session, self.form, STAGES, _ASSIGN, _MATCH, self.updates, f"status = '{RUNNING}'"
        )
        if updated != len(self.updates):
            # A stage moved on since it was read (not possible under the writer lock or the
            # row locks, but never emit twice): roll the whole batch back.
            raise RuntimeError("deadline stages changed under the sweep; batch rolled back")


_SHAPES: dict[tuple[str, ...], Any] = {}


def plain_rows(rows: Sequence[Row[Any]]) -> list[Any]:
    """The claimed stages as named tuples: planning reads some twenty fields of each, and a
    named tuple's field is a slot read where SQLAlchemy's ``Row`` looks the name up."""
    if not rows:
        return []
    fields = tuple(rows[0]._fields)
    shape: Any = _SHAPES.get(fields)
    if shape is None:
        shape = _SHAPES[fields] = namedtuple("ClaimedStage", fields)
    make = shape._make
    return [make(row) for row in rows]


def stage_columns(dialect: Dialect) -> Sequence[Any]:
    """The columns the sweeper selects for planning (the ladder as text where the driver
    gives text, so identical ladders are parsed once per batch)."""
    c = STAGES.c
    ladder = type_coerce(c.ladder, Text) if dialect.name == "sqlite" else c.ladder

    # Ids and instants as the driver gives them: ids are written back as they came, instants
    # parsed once per distinct value (see Batch.instant).
    def raw(column: Any) -> Any:
        return type_coerce(column, String)

    raw_id, raw_case_id = raw(c.id), raw(c.case_id)
    return (
        raw_id.label("id"),
        c.service,
        c.case_kind,
        raw_case_id.label("case_id"),
        c.case_number,
        c.department,
        c.origin_client,
        c.stage,
        ladder.label("ladder"),
        raw(c.due_at).label("due_at"),
        raw(c.warning_at).label("warning_at"),
        c.warning_emitted,
        c.overdue_emitted,
        c.level_emitted,
    )


def _escalation_note(step: Step) -> str:
    """第 N 级督办 → whom (what), in the staff's words."""
    target = _TARGETS.get(step.target or "", step.target or "")
    action = _ACTIONS.get(step.action or "", step.action or "")
    return f"第 {step.level} 级督办 → {target}（{action}）"
