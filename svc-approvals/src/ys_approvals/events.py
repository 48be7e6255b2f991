"""Events svc-approvals publishes, registered in ``catalogue`` (the gateway merges it into the
AsyncAPI document at ``/events/catalogue``).

Payloads carry ids, codes and 工号, never the applicant's phone or ID number (DOMAIN.md). 受理
and 办结 each publish ``completed``: svc-ratings sends the 好差评 invitation from it.
"""

from __future__ import annotations

from pydantic import ConfigDict

from yingshang.events.catalogue import EventCatalogue
from yingshang.time.events import register_deadline_events
from ys_approvals.applications.events import (
    PREFIX,
    SERVICE,
    CaseFields,
    ClosedPayload,
    CompletedPayload,
    CreatedPayload,
)
from ys_approvals.applications.machine import TRANSITIONS
from ys_approvals.applications.models import CASE_KIND
from ys_approvals.appointments.events import AppointmentPayload, DoorToDoorPayload
from ys_approvals.appointments.machine import (
    APPOINTMENT_MACHINE,
    APPOINTMENT_STEPS,
    CREATED_EVENTS,
    DOOR_TO_DOOR_MACHINE,
    VISIT_STEPS,
)

catalogue = EventCatalogue(title="svc-approvals events")
OVERSIGHT = ("ratings",)


class TransitionPayload(CaseFields):
    """A step of the application (受理, 补正, 延期, 准予 ...): the common fields plus the
    step's own data (missing materials, reason, days, item code, tracking number)."""

    model_config = ConfigDict(extra="allow")


catalogue.register(f"{PREFIX}.created", CreatedPayload, description="收件", consumers=OVERSIGHT)
catalogue.register(
    f"{PREFIX}.completed",
    CompletedPayload,
    description="好差评 node reached: 受理 (accept) or 办结 (finish)",
    consumers=OVERSIGHT,
)
catalogue.register(
    f"{PREFIX}.closed", ClosedPayload, description="办结 or 不予受理", consumers=OVERSIGHT
)
for _step in TRANSITIONS:
    if _step.event and f"{PREFIX}.{_step.event}" not in catalogue:
        catalogue.register(f"{PREFIX}.{_step.event}", TransitionPayload, description=_step.label)
register_deadline_events(catalogue, SERVICE, (CASE_KIND,))
# 预约 and 上门服务: their creation and every step (payloads without the applicant's data)
for _machine, _payload, _created in (
    (APPOINTMENT_MACHINE, AppointmentPayload, APPOINTMENT_STEPS["book"]),
    (DOOR_TO_DOOR_MACHINE, DoorToDoorPayload, VISIT_STEPS["request"]),
):
    _prefix = f"ys.{SERVICE}.{_machine.kind}"
    catalogue.register(f"{_prefix}.{CREATED_EVENTS[_machine.kind]}", _payload, description=_created)
    for _move in _machine.transitions:
        catalogue.register(f"{_prefix}.{_move.event}", _payload, description=_move.label)
