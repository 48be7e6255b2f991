"""The hotline's 五限时 count working days: the county loads next year's holidays into it too
(ARCHITECTURE: year files through the admin API), or its 2027 deadlines stay provisional."""

import json
from datetime import UTC, datetime
from pathlib import Path

from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.clock import frozen_clock

from .builders import BASE, People, create

YEARS = f"{BASE}/admin/calendar/years"
FIXTURE = Path(__file__).parents[2] / "shared" / "tests" / "data" / "holiday-cn-2027-fixture.json"


async def test_a_year_loaded_into_the_hotline_makes_its_deadlines_final(
    hotline: ServiceUnderTest, people: People
) -> None:
    with frozen_clock(datetime(2027, 1, 4, 2, tzinfo=UTC)):  # Monday 10:00 in Fenggang
        c = hotline.client
        guessed = await create(c, people.operator, type="help")
        handle = next(s for s in guessed["stages"] if s["stage"] == "handle")
        assert handle["provisional"] is True  # 2027 unknown: Mon–Fri, marked provisional
        admin = people.at("BUREAU", "admin", "YS0001")
        assert (await c.post(YEARS, json={}, headers=people.operator)).status_code == 403
        loaded = await c.post(YEARS, json=json.loads(FIXTURE.read_text()), headers=admin)
        assert loaded.status_code == 201, loaded.text
        years = await c.get(YEARS, headers=people.operator)
        assert 2027 in [y["year"] for y in years.json() if y.get("loaded_at")]
        recomputed = await c.get(f"{BASE}/tickets/{guessed['id']}", headers=people.center_head)
        handle = next(s for s in recomputed.json()["stages"] if s["stage"] == "handle")
        assert handle["provisional"] is False


async def test_loading_a_year_moves_the_tickets_due_time(
    hotline: ServiceUnderTest, people: People
) -> None:
    """The ticket keeps a copy of its 办理 due time (shown, and read by the 延期 "before the
    deadline" rule): it follows the recomputed stage. A 求助 taken Monday 4 January 2027 (5
    working days, Mon-Fri: Monday 11th); the county's file makes 5-7 January days off: due
    Thursday 14th, 24:00 in Fenggang."""
    days = [{"name": "测试假期", "date": f"2027-01-0{d}", "isOffDay": True} for d in (5, 6, 7)]
    with frozen_clock(datetime(2027, 1, 4, 2, tzinfo=UTC)):
        c = hotline.client
        ticket = await create(c, people.operator, type="help")
        assert ticket["due_at"].startswith("2027-01-11T16:00:00")
        admin = people.at("BUREAU", "admin", "YS0001")
        document = {"year": 2027, "papers": [], "days": days}
        assert (await c.post(YEARS, json=document, headers=admin)).status_code == 201
        shown = (await c.get(f"{BASE}/tickets/{ticket['id']}", headers=people.center_head)).json()
        handle = next(s for s in shown["stages"] if s["stage"] == "handle")
        assert shown["due_at"] == handle["due_at"]
        assert shown["due_at"].startswith("2027-01-14T16:00:00")
