"""Every step a case kind can write on its timeline has a label: the check each service runs.

A kind writes its machine's transitions, the steps it records outside the machine
(``OTHER_STEPS``) and, when it has clocks, the deadline engine's entries; the steps the
kind's :class:`~yingshang.cases.timeline.TimelineLabels` cannot name are returned.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from yingshang.cases.statemachine import StateMachine
from yingshang.cases.timeline import TimelineLabels
from yingshang.time import DEADLINE_TIMELINE


def unlabelled_steps(
    machine: StateMachine[Any],
    other_steps: Iterable[str],
    labels: TimelineLabels,
    *,
    clocked: bool = True,
) -> list[str]:
    """The steps of the kind ``labels`` cannot name (empty when every one has its words)."""
    recorded = {t.timeline_action for t in machine.transitions} | set(other_steps)
    if clocked:
        recorded |= set(DEADLINE_TIMELINE.actions)
    return [action for action in sorted(recorded) if labels.label(action) is None]
