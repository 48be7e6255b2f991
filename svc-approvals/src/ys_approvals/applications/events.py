"""Event payloads of applications (cross-service contract: /briefs contract table).

Every payload carries the common fields (case id, number, responsible department, origin
client) and masked data only. 受理 (``accept``) and 办结 (``finish``) each publish one
``completed`` event: ratings sends the 好差评 invitation from it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

from yingshang.auth import Principal
from yingshang.events.envelope import CloudEvent, make_event
from ys_approvals.applications.models import CASE_KIND, Application

SERVICE = "approvals"
PREFIX = f"ys.{SERVICE}.{CASE_KIND}"


class CaseFields(BaseModel):
    case_id: str
    case_number: str
    department: str
    origin_client: str | None


class CreatedPayload(CaseFields):
    received_at: datetime
    item_code: str
    item_name: str
    channel: str


class ClosedPayload(CaseFields):
    received_at: datetime
    closed_at: datetime
    outcome: str | None = None
    on_time: bool | None = None
    working_days_used: int | None = None


class CompletedPayload(CaseFields):
    node: Literal["accept", "finish"]
    item_code: str
    item_name: str
    window: str | None
    staff_no: str | None
    channel: str
    rater_type: Literal["person", "legal_person"]
    service: str = SERVICE
    case_kind: str = CASE_KIND


def common(app: Application) -> dict[str, Any]:
    return {
        "case_id": str(app.id),
        "case_number": app.number,
        "department": app.department,
        "origin_client": app.origin_client,
    }


def rating_channel(app: Application) -> str:
    """Ratings tell online from offline (different indicator sets, GB/T 39735)."""
    return "online" if app.channel == "online" else "window"


def window_ref(app: Application, node: Literal["accept", "finish"] = "accept") -> str | None:
    """``hall/window`` where ``node`` was reached (:meth:`Application.window_of`); a 办结 whose
    window is not known names the window that took the application in, where the applicant
    was served."""
    where = app.window_of(node) or app.window_of("accept")
    return "/".join(where) if where else None


def _event(app: Application, name: str, payload: BaseModel) -> CloudEvent:
    return make_event(SERVICE, f"{PREFIX}.{name}", payload, subject=app.case_key)


def created(app: Application) -> CloudEvent:
    payload = CreatedPayload(
        **common(app),
        received_at=app.submitted_at,
        item_code=app.item_code,
        item_name=app.item_name,
        channel=app.channel,
    )
    return _event(app, "created", payload)


def completed(app: Application, node: Literal["accept", "finish"], actor: Principal) -> CloudEvent:
    payload = CompletedPayload(
        **common(app),
        node=node,
        item_code=app.item_code,
        item_name=app.item_name,
        window=window_ref(app, node),
        staff_no=actor.staff_no or app.staff_no,
        channel=rating_channel(app),
        rater_type="legal_person" if app.applicant_type == "legal_person" else "person",
    )
    return _event(app, "completed", payload)


def closed(app: Application) -> CloudEvent:
    assert app.finished_at is not None
    payload = ClosedPayload(
        **common(app),
        received_at=app.submitted_at,
        closed_at=app.finished_at,
        outcome=app.outcome,
        on_time=app.on_time,
        working_days_used=app.working_days_used,
    )
    return _event(app, "closed", payload)


def transition_data(app: Application, **extra: Any) -> dict[str, Any]:
    """Payload of the per-transition events (accepted, approved, ...): common fields + extra."""
    return {**common(app), **extra}
