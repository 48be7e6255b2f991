"""Every state change publishes its event (ARCHITECTURE.md, "Service anatomy"): each step of
a case and of a finding names an event type of the service's catalogue."""

from typing import Any

import pytest

from yingshang.cases.statemachine import StateMachine
from ys_complaints.cases.machine import MACHINE as CASE
from ys_complaints.events import catalogue
from ys_complaints.inspections.machine import MACHINE as FINDING


@pytest.mark.parametrize("machine", [CASE, FINDING], ids=["case", "finding"])
def test_every_step_declares_a_catalogued_event(machine: StateMachine[Any]) -> None:
    assert [t.name for t in machine.transitions if t.event is None] == []
    assert [t.name for t in machine.transitions if machine.event_type(t) not in catalogue] == []
