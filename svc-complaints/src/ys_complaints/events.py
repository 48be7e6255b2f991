"""Events svc-complaints publishes (contract.md), registered in ``catalogue`` (the gateway
merges it into the AsyncAPI document).

Payloads carry ids and no identity of the complainant: not the enterprise's name, USCC,
contact or phone, and no free text that could hold them (DOMAIN.md, confidentiality). The only
event with identity is the one coming IN from the hotline (center to center).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from yingshang.events.catalogue import EventCatalogue

SERVICE = "complaints"
catalogue = EventCatalogue(title="svc-complaints events")
OVERSIGHT = ("ratings", "gateway")


class CaseEvent(BaseModel):
    """Fields every case event carries (contract.md)."""

    case_id: str
    case_number: str
    department: str
    origin_client: str | None = None


class Created(CaseEvent):
    """登记 registered (contract name ``created``)."""

    received_at: datetime
    source: str
    category: str
    respondent: str | None
    real_name: bool


class Accepted(CaseEvent):
    category: str
    respondent: str | None


class Rejected(CaseEvent):
    exclusion: str | None


class Assigned(CaseEvent):
    respondent: str | None


class Investigated(CaseEvent):
    """调查核实: the unit recorded an investigation (its notes stay on the case)."""

    investigated_at: datetime


class Replied(CaseEvent):
    replied_at: datetime


class SentBack(CaseEvent):
    """审核退回: the center sent the unit's reply back for further investigation."""

    sent_back_at: datetime


class Resolved(CaseEvent):
    resolved_at: datetime


class Disputed(CaseEvent):
    dispute_count: int


class Revisited(CaseEvent):
    """回访 of the enterprise that disputed the result (its words stay on the case)."""

    dispute_count: int
    revisited_at: datetime


class Reopened(CaseEvent):
    dispute_count: int


class CheckedBack(CaseEvent):
    """回访核查: the anti-retaliation check-back after closure, and whether it found any."""

    checked_back_at: datetime
    retaliation_found: bool


class Origin(BaseModel):
    ticket_id: str


class Closed(CaseEvent):
    received_at: datetime
    closed_at: datetime
    outcome: str | None
    origin: Origin | None  # the hotline ticket this case came from: it closes too


class Completed(CaseEvent):
    """办结: the 好差评 evaluation node of a real-name case (ratings sends an invitation)."""

    node: Literal["finish"] = "finish"
    item_name: str | None = None
    staff_no: str | None = None
    channel: str
    rater_type: Literal["person", "legal_person"] = "legal_person"
    service: str = SERVICE
    case_kind: str = "case"


class DeadlineEvent(CaseEvent):
    """warning / overdue / escalated / stage_completed of ``yingshang.time``."""

    case_kind: str
    stage: str
    stage_id: str
    level: int
    due_at: datetime
    on_time: bool | None = None
    target: str | None = None
    action: str | None = None


class FindingEvent(CaseEvent):
    """An inspection finding (暗访发现问题) against ``department``: a rectification task."""

    inspection_id: str
    finding_class: str
    due_at: datetime | None = None


class FindingClosed(FindingEvent):
    closed_at: datetime
    on_time: bool | None = None


class FindingRectified(FindingEvent):
    """整改: the department reported its rectification (``due_at``: the deadline it met or
    missed); the inspectors verify it."""

    rectified_at: datetime


class FindingRejected(FindingEvent):
    """验证不通过: back to 整改中; the new deadline is the ``stage_started`` of the
    rectification clock this step starts."""

    rejected_at: datetime


CASE_EVENTS: dict[str, tuple[type[CaseEvent], str, tuple[str, ...]]] = {
    "created": (Created, "登记: a complaint was registered", OVERSIGHT),
    "accepted": (Accepted, "受理: the complaint was accepted", ("gateway",)),
    "rejected": (Rejected, "不予受理: answered with the reason and a referral", ("gateway",)),
    "assigned": (Assigned, "交办: handed to the responsible unit", OVERSIGHT),
    "investigated": (Investigated, "调查核实: the unit recorded an investigation", ("gateway",)),
    "replied": (Replied, "答复: the responsible unit replied", ("gateway",)),
    "sent_back": (SentBack, "审核退回: the reply went back to the unit", ("gateway",)),
    "resolved": (Resolved, "反馈: the result went to the enterprise", ("gateway",)),
    "disputed": (Disputed, "企业有异议: 回访 and 督办 follow", ("gateway",)),
    "revisited": (Revisited, "回访 of the disputing enterprise", ("gateway",)),
    "reopened": (Reopened, "重新交办 after a dispute", OVERSIGHT),
    "closed": (Closed, "办结 (or 不予受理); names the origin ticket", ("hotline", *OVERSIGHT)),
    "completed": (Completed, "办结 evaluation node of a real-name case", ("ratings",)),
    "checked_back": (CheckedBack, "回访核查: the anti-retaliation check-back", ("gateway",)),
}
DEADLINE_NAMES = ("warning", "overdue", "escalated", "stage_completed")
CLOCK_NAMES = ("stage_started", "stage_cancelled")  # also emitted; nobody needs to consume


def _register() -> None:
    for name, (model, text, consumers) in CASE_EVENTS.items():
        catalogue.register(
            f"ys.{SERVICE}.case.{name}", model, description=text, consumers=consumers
        )
    for kind in ("case", "finding"):
        for name in DEADLINE_NAMES:
            catalogue.register(
                f"ys.{SERVICE}.{kind}.{name}",
                DeadlineEvent,
                description=f"deadline engine: {name} of a {kind}'s timed stage",
                consumers=OVERSIGHT,
            )
        for name in CLOCK_NAMES:
            catalogue.register(
                f"ys.{SERVICE}.{kind}.{name}",
                DeadlineEvent,
                description=f"deadline engine: a {kind}'s timed stage was {name[6:]}",
            )
    catalogue.register(
        f"ys.{SERVICE}.finding.opened",
        FindingEvent,
        description="暗访: a finding against a department opened a rectification task",
        consumers=OVERSIGHT,
    )
    catalogue.register(
        f"ys.{SERVICE}.finding.closed",
        FindingClosed,
        description="暗访: the rectification was verified and the finding closed",
        consumers=OVERSIGHT,
    )
    catalogue.register(
        f"ys.{SERVICE}.finding.rectified",
        FindingRectified,
        description="暗访: the department reported its rectification, to be verified",
        consumers=("gateway",),
    )
    catalogue.register(
        f"ys.{SERVICE}.finding.rejected",
        FindingRejected,
        description="暗访: the rectification failed verification and runs again",
        consumers=("gateway",),
    )


_register()
