"""Bodies of the appointment and door-to-door endpoints."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from yingshang.validators import PlausibleDate
from ys_approvals.halls.schemas import HHMM
from ys_approvals.people import PhoneNumber


class AppointmentStatus(StrEnum):
    booked = "booked"
    cancelled = "cancelled"
    attended = "attended"
    no_show = "no_show"


class Slot(BaseModel):
    day: date
    start: str
    end: str
    capacity: int
    remaining: int
    extended: bool


class BookingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hall_code: str = Field(min_length=1, max_length=40)
    window_code: str = Field(min_length=1, max_length=20)
    day: PlausibleDate
    start: str = Field(pattern=HHMM)
    item_code: str | None = Field(None, max_length=40)
    applicant_name: str = Field(min_length=1, max_length=100)
    applicant_phone: PhoneNumber
    note: str | None = Field(None, max_length=1000)


class AppointmentOut(BaseModel):
    id: uuid.UUID
    hall_code: str
    window_code: str
    day: date
    start: str
    status: str
    item_code: str | None
    applicant_name: str
    applicant_phone: str
    note: str | None
    created_at: datetime
    version: int


class DoorToDoorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_code: str | None = Field(None, max_length=40)
    applicant_name: str = Field(min_length=1, max_length=100)
    applicant_phone: PhoneNumber
    address: str = Field(min_length=1, max_length=300)
    wanted_day: PlausibleDate
    reason: str | None = Field(None, max_length=1000)


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    staff_no: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=100)


class OutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: str = Field(min_length=1, max_length=2000)


class DoorToDoorOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    item_id: uuid.UUID | None
    applicant_name: str
    applicant_phone: str
    address: str
    wanted_day: date
    reason: str | None
    status: str
    assigned_staff_no: str | None
    assigned_name: str | None
    outcome: str | None
    created_at: datetime
    version: int
