"""What a stage emits and when: ``warning`` (level 0), ``overdue`` (level 1, at due) and one
``escalated`` per ladder level, in that order, each exactly once per stage.

Pure functions over a stage's timing; used by the engine (to set ``next_fire_at``) and by the
sweeper (to decide what fires now). Ladders are the JSON snapshot copied onto the stage.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from yingshang.time.arithmetic import after_due
from yingshang.time.calendar import WorkCalendar

WARNING, OVERDUE, ESCALATED = "warning", "overdue", "escalated"
# The timeline action recording each step on its case (``events.timeline_action``).
STEP_ACTIONS = {event: f"deadline_{event}" for event in (WARNING, OVERDUE, ESCALATED)}


@dataclass(slots=True)
class Progress:
    """The emission cursor of a stage (what has already fired)."""

    warning_emitted: bool = False
    overdue_emitted: bool = False
    level_emitted: int = 0


class Step(NamedTuple):
    """One step of a stage's ladder (immutable; a tuple: a sweep makes four per stage, and a
    frozen dataclass's ``__init__`` costs five ``object.__setattr__`` calls)."""

    event: str
    level: int
    at: datetime
    target: str | None = None
    action: str | None = None


class LevelTimes:
    """Ladder instants on one calendar, memoised: many stages share a due time and a ladder."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self._memo: dict[tuple[datetime, Any, Any], datetime] = {}

    def at(self, due_at: datetime, after: dict[str, Any]) -> datetime:
        key = (due_at, after["amount"], after["unit"])
        found = self._memo.get(key)
        if found is None:
            found = after_due(self.calendar, due_at, int(key[1]), str(key[2])).at
            self._memo[key] = found
        return found


def pending_steps(
    times: LevelTimes,
    progress: Progress,
    warning_at: datetime,
    due_at: datetime,
    ladder: Sequence[dict[str, Any]],
) -> Iterator[Step]:
    """The steps not yet emitted, in firing order (level instants computed lazily)."""
    if not progress.warning_emitted:
        yield Step(WARNING, 0, min(warning_at, due_at))
    if not progress.overdue_emitted:
        yield Step(OVERDUE, 1, due_at)
    for level in ladder[progress.level_emitted :]:
        at = times.at(due_at, level["after"])
        yield Step(ESCALATED, int(level["level"]), at, level.get("target"), level.get("action"))


def next_fire_at(
    times: LevelTimes,
    progress: Progress,
    warning_at: datetime,
    due_at: datetime,
    ladder: Sequence[dict[str, Any]],
) -> datetime | None:
    for step in pending_steps(times, progress, warning_at, due_at, ladder):
        return step.at
    return None


def fire_due_steps(
    times: LevelTimes,
    progress: Progress,
    warning_at: datetime,
    due_at: datetime,
    ladder: Sequence[dict[str, Any]],
    now: datetime,
) -> tuple[list[Step], datetime | None]:
    """The steps due at ``now`` (in order) and the instant of the next one (``None``: the
    ladder is done); advances ``progress`` past the fired steps."""
    fired: list[Step] = []
    for step in pending_steps(times, progress, warning_at, due_at, ladder):
        if step.at > now:
            return fired, step.at
        fired.append(step)
        if step.event == WARNING:
            progress.warning_emitted = True
        elif step.event == OVERDUE:
            progress.overdue_emitted = True
        else:
            progress.level_emitted += 1
    return fired, None
