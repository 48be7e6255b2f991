"""Duty sittings as shown in the hall, and the payload svc-visits publishes."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class DutyPayload(BaseModel):
    """``ys.visits.duty.*`` as we read it (tolerant reader: unknown fields are ignored).

    ``hall`` is a hall code (or name); ``start``/``end`` are local ``HH:MM``; the sitting's
    own id arrives as ``duty_id``, ``shift_id`` or ``case_id``.
    """

    model_config = ConfigDict(extra="ignore")

    leader_name: str = Field(min_length=1, max_length=100)
    hall: str = Field(min_length=1, max_length=200)
    date: date
    start: str | None = Field(None, pattern=r"^\d{1,2}:\d{2}")
    end: str | None = Field(None, pattern=r"^\d{1,2}:\d{2}")
    department: str | None = Field(None, max_length=40)
    state: str | None = Field(None, max_length=20)
    duty_id: str | None = Field(None, max_length=100)
    shift_id: str | None = Field(None, max_length=100)
    case_id: str | None = Field(None, max_length=100)

    def key(self) -> str:
        own = self.duty_id or self.shift_id or self.case_id
        return own or f"{self.leader_name}|{self.hall}|{self.date}|{self.start}"


class DutyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    leader_name: str
    department: str | None
    day: date
    start: str | None
    end: str | None
    state: str | None = Field(description="scheduled | on_duty (checked in) | completed")
