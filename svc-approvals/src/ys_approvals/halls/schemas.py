"""Bodies of the halls and windows endpoints."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ys_approvals.catalog.schemas import ItemCodeRef

HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"
StaffNo = Annotated[str, Field(min_length=1, max_length=40, description="工号")]


class WindowOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    name: str
    kind: str
    accepts_all: bool
    active: bool
    item_codes: list[str] = Field(default_factory=list, description="dedicated items")


class HallOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    name: str
    department: str
    kind: str
    address: str | None
    seven_day: bool
    windows: list[WindowOut] = Field(default_factory=list)


class WindowItemsIn(BaseModel):
    """Items a dedicated window takes (replaces the list)."""

    model_config = ConfigDict(extra="forbid")

    item_codes: list[ItemCodeRef] = Field(max_length=500)
    accepts_all: bool = False


class WindowClerksIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    staff_nos: list[StaffNo] = Field(max_length=50)


class ScheduleRow(BaseModel):
    model_config = ConfigDict(extra="forbid", from_attributes=True)

    weekday: int = Field(ge=0, le=6, description="0 = Monday .. 6 = Sunday (七天工作制)")
    start: str = Field(pattern=HHMM)
    end: str = Field(pattern=HHMM)
    slot_minutes: int = Field(30, ge=5, le=240)
    capacity: int = Field(4, ge=1, le=200)
    extended: bool = False  # 延时服务

    @field_validator("end")
    @classmethod
    def _after_start(cls, end: str, info: object) -> str:
        start = getattr(info, "data", {}).get("start")
        if start and end <= start:
            raise ValueError("结束时间须晚于开始时间")
        return end


class ScheduleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rows: list[ScheduleRow] = Field(max_length=100)


class WindowPadIn(BaseModel):
    """The client (OAuth2 client credentials with scope ``approvals:pad``) the window's pad
    (评价器) signs in as; null: the window has no pad."""

    model_config = ConfigDict(extra="forbid")

    client_id: str | None = Field(pattern=r"^[a-z][a-z0-9_-]{1,63}$")


class WindowPadOut(BaseModel):
    """Which client a window's pad signs in as (its id only: the secret stays with the pad)."""

    hall_code: str
    window_code: str
    client_id: str | None = Field(description="null: the window has no pad")
    bound_at: datetime | None = Field(
        description="when this client was bound (null: none bound, or bound before it was kept)"
    )


class PadInvitationOut(BaseModel):
    """The open 好差评 link of the application just served at the window: nothing personal."""

    model_config = ConfigDict(from_attributes=True)

    invitation_id: str
    node: str = Field(description="评价环节: accept 受理 / finish 办结")
    token_url: str = Field(description="the one-time rating link (ratings service)")
    expires_at: datetime | None
