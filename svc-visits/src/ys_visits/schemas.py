"""Bodies shared by several routers of svc-visits."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class TimelineOut(BaseModel):
    """One entry of a case's timeline (who, as which position, when, what, from → to)."""

    model_config = ConfigDict(from_attributes=True)

    at: datetime
    action: str
    from_state: str | None
    to_state: str | None
    actor_name: str | None
    staff_no: str | None
    position_dept: str | None
    position_role: str | None
    note: str | None
