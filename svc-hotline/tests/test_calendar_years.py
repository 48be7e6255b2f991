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
