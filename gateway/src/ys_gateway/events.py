"""Events the gateway publishes (via its outbox): directory changes every service consumes."""

from __future__ import annotations

from pydantic import BaseModel, Field

from yingshang.events.catalogue import EventCatalogue

catalogue = EventCatalogue(title="gateway events")


class DepartmentChanged(BaseModel):
    code: str
    name: str
    kind: str = Field(description="coordinating / department / town / federation")
    parent: str | None = None
    active: bool = True


class PositionRef(BaseModel):
    dept: str
    role: str


class UserChanged(BaseModel):
    username: str
    name: str
    staff_no: str | None = Field(None, description="工号")
    active: bool = True
    positions: list[PositionRef] = Field(default_factory=list)


EVERY_SERVICE = ("approvals", "hotline", "complaints", "visits", "ratings")
for action, what in (
    ("created", "A department, town or coordinating body was added to the directory."),
    ("updated", "A department was renamed, moved or got a new head."),
    ("deactivated", "A department was deactivated (kept for history)."),
):
    catalogue.register(
        f"ys.gateway.department.{action}",
        DepartmentChanged,
        description=what,
        consumers=EVERY_SERVICE,
    )
for action, what in (
    ("created", "A member of staff was added (with 工号 and positions)."),
    ("updated", "A person's name, 工号 or positions changed."),
    ("deactivated", "A person's account was deactivated."),
):
    catalogue.register(
        f"ys.gateway.user.{action}", UserChanged, description=what, consumers=EVERY_SERVICE
    )
