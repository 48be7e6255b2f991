"""The hall's home page (政务服务大厅 · 工作台): a window clerk records that the day's booking
came (到场); the step is sent with the version the page read (If-Match), which the approvals
service requires of every step, and the booking's event goes out with it.

The page lists the bookings of its own day, and nothing can be booked for a time already
begun: the test books the first open slot after today and opens the page with its clock at
that slot, as the clerk would on the day. It runs the same at any hour."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

import httpx
from playwright.sync_api import expect

from yingshang.clock import SHANGHAI

A = "/api/v1/approvals"
HALL = "HALL_COUNTY"
WEEKS_AHEAD = 3  # a hall open no day of the next three weeks has no appointments to record


def _next_bookable(api: httpx.Client) -> dict[str, Any]:
    """A window and slot of the county hall on the first day after today with one open."""
    today = datetime.now(SHANGHAI).date()
    for day in (today + timedelta(days=n) for n in range(1, 7 * WEEKS_AHEAD + 1)):
        for window in ("W03", "W04", "W01"):
            path = f"{A}/halls/{HALL}/windows/{window}/slots"
            slots = api.get(path, params={"day": day.isoformat()})
            assert slots.status_code == 200, slots.text
            for slot in slots.json():
                if slot["remaining"] > 0:
                    return {"window_code": window, "start": slot["start"], "day": slot["day"]}
    raise AssertionError(f"no slot of {HALL} is open in the next {WEEKS_AHEAD} weeks")


def test_the_clerk_records_a_booking_as_attended(console: Any) -> None:
    name = f"预约{uuid.uuid4().hex[:4]}"
    with console.api("clerk") as api:
        slot = _next_bookable(api)
        body = {"hall_code": HALL, "applicant_name": name, "applicant_phone": "13912345678"}
        booked = api.post(f"{A}/appointments", json={**body, **slot})
        assert booked.status_code == 201, booked.text
    hour, minute = (int(part) for part in slot["start"].split(":"))
    day = date.fromisoformat(slot["day"])
    page = console.new_page(
        clock=datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)
    )
    console.sign_in(page, "clerk")
    expect(page.locator("main h2", has_text="今日预约")).to_contain_text(slot["day"])
    row = page.locator("tr", has_text=name)
    expect(row).to_contain_text("已预约")
    row.get_by_role("button", name="到场").click()
    expect(page.locator("tr", has_text=name)).to_contain_text("已到场")
    with console.api("clerk") as api:
        read = api.get(f"{A}/appointments/{booked.json()['id']}")
        assert (read.status_code, read.json()["status"]) == (200, "attended")
