"""Event payloads of appointments and door-to-door requests: ids, codes, days and 工号 —
never the applicant's name, phone or address, nor free text that could hold them."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from yingshang.auth import HALL
from ys_approvals.appointments.models import Appointment, DoorToDoorRequest


class AppointmentPayload(BaseModel):
    """预约 (``department``: the hall's; ``origin_client``: the platform that booked it)."""

    case_id: str
    department: str
    origin_client: str | None
    hall_code: str
    window_code: str
    day: date
    start: str
    item_code: str | None


class DoorToDoorPayload(BaseModel):
    """上门服务, run by the county hall (``assigned_staff_no``: who goes, once assigned)."""

    case_id: str
    department: str = HALL
    origin_client: str | None
    wanted_day: date
    item_code: str | None
    assigned_staff_no: str | None


def appointment_payload(
    row: Appointment, hall: str, hall_department: str, window: str, item: str | None
) -> AppointmentPayload:
    return AppointmentPayload(
        case_id=str(row.id),
        department=hall_department,
        origin_client=row.origin_client,
        hall_code=hall,
        window_code=window,
        day=row.day,
        start=row.start,
        item_code=item,
    )


def visit_payload(row: DoorToDoorRequest, item: str | None) -> DoorToDoorPayload:
    return DoorToDoorPayload(
        case_id=str(row.id),
        origin_client=row.origin_client,
        wanted_day=row.wanted_day,
        item_code=item,
        assigned_staff_no=row.assigned_staff_no,
    )
