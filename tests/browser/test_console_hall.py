"""The hall's home page (政务服务大厅 · 工作台): a window clerk records that today's booking
came (到场); the step is sent with the version the page read (If-Match), which the approvals
service requires of every step, and the booking's event goes out with it."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import expect

A = "/api/v1/approvals"
HALL = "HALL_COUNTY"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _bookable_today(api: httpx.Client) -> dict[str, Any] | None:
    """A window and slot of the county hall still open today (the page shows today only)."""
    now = datetime.now(SHANGHAI)
    later = (now + timedelta(minutes=10)).strftime("%H:%M")
    for window in ("W03", "W04", "W01"):
        path = f"{A}/halls/{HALL}/windows/{window}/slots"
        slots = api.get(path, params={"day": now.date().isoformat()})
        assert slots.status_code == 200, slots.text
        for slot in slots.json():
            if slot["remaining"] > 0 and slot["start"] >= later:
                return {"window_code": window, "start": slot["start"], "day": slot["day"]}
    return None


def test_the_clerk_records_a_booking_as_attended(console: Any) -> None:
    name = f"预约{uuid.uuid4().hex[:4]}"
    with console.api("clerk") as api:
        slot = _bookable_today(api)
        if slot is None:
            pytest.skip("no slot of the county hall is still bookable today")
        body = {"hall_code": HALL, "applicant_name": name, "applicant_phone": "13912345678"}
        booked = api.post(f"{A}/appointments", json={**body, **slot})
        assert booked.status_code == 201, booked.text
    page = console.new_page()
    console.login(page, "clerk")
    row = page.locator("tr", has_text=name)
    expect(row).to_contain_text("已预约")
    row.get_by_role("button", name="到场").click()
    expect(page.locator("tr", has_text=name)).to_contain_text("已到场")
    with console.api("clerk") as api:
        read = api.get(f"{A}/appointments/{booked.json()['id']}")
        assert (read.status_code, read.json()["status"]) == (200, "attended")
