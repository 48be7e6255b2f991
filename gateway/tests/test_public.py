"""``/api/v1/public``: department names and the working-day calendar, without a login."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx

from ys_gateway.app import create_app
from ys_gateway.settings import Settings

from .kit import Gateway

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_2027 = ROOT / "shared" / "tests" / "data" / "holiday-cn-2027-fixture.json"


async def test_department_names_need_no_login_and_show_no_people(gateway: Gateway) -> None:
    response = await gateway.client.get("/api/v1/public/departments")
    assert response.status_code == 200, response.text
    names = {d["code"]: d for d in response.json()}
    assert names["SCJGJ"] == {"code": "SCJGJ", "name": "市场监督管理局", "kind": "department"}
    assert names["BUREAU"]["kind"] == "coordinating"
    assert all(set(d) == {"code", "name", "kind"} for d in names.values())


async def test_halls_and_windows_by_name_need_no_login(gateway: Gateway) -> None:
    response = await gateway.client.get("/api/v1/public/halls")
    assert response.status_code == 200, response.text
    county = next(h for h in response.json() if h["code"] == "HALL_COUNTY")
    assert county["name"] == "凤冈县政务服务中心大厅"
    windows = {w["code"]: w["name"] for w in county["windows"]}
    assert windows["W01"] == "综合受理窗口1"


async def test_calendar_lists_holidays_and_make_up_days(gateway: Gateway) -> None:
    got = await gateway.client.get("/api/v1/public/calendar?from=2026-09-19&to=2026-10-11")
    assert got.status_code == 200, got.text
    body = got.json()
    assert (body["from"], body["to"]) == ("2026-09-19", "2026-10-11")
    # 2026: 中秋 25 Sep (Fri) and 国庆 1–7 Oct off; Sunday 20 Sep and Saturday 10 Oct worked.
    assert body["days_off"] == ["2026-09-25", *(f"2026-10-0{d}" for d in (1, 2, 5, 6, 7))]
    assert body["working_weekends"] == ["2026-09-20", "2026-10-10"]
    assert body["provisional_years"] == []


async def test_calendar_years_without_data_are_provisional(gateway: Gateway) -> None:
    got = await gateway.client.get("/api/v1/public/calendar?from=2026-12-28&to=2027-01-10")
    body = got.json()
    assert body["provisional_years"] == [2027]  # Monday–Friday assumed
    assert (body["days_off"], body["working_weekends"]) == ([], [])
    backwards = await gateway.client.get("/api/v1/public/calendar?from=2027-01-10&to=2026-12-28")
    assert backwards.status_code == 422
    assert backwards.headers["content-type"].startswith("application/problem+json")


async def test_calendar_follows_the_county_year_files(
    settings_for: Callable[..., Settings],
) -> None:
    app = create_app(settings_for(calendar_files=[FIXTURE_2027]))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            got = await client.get("/api/v1/public/calendar?from=2027-01-01&to=2027-02-07")
    body = got.json()
    assert body["provisional_years"] == []
    assert body["days_off"][0] == "2027-01-01"  # 元旦 (Friday)
    assert "2027-02-06" in body["working_weekends"]  # 春节 make-up Saturday


async def test_calendar_follows_a_year_the_admin_loads(gateway: Gateway) -> None:
    """A year loaded through the admin API (as into every service) is what the console's
    countdowns count on at once: its holidays and make-up days, no longer provisional."""
    year = {
        "year": 2030,
        "papers": ["测试用：虚构的 2030 年安排"],
        "days": [
            {"name": "元旦", "date": "2030-01-01", "isOffDay": True},
            {"name": "春节", "date": "2030-02-09", "isOffDay": False},
        ],
    }
    url = "/api/v1/admin/calendar/years"
    refused = await gateway.client.post(url, json=year, headers=await gateway.headers("scjg_head"))
    assert refused.status_code == 403
    admin = await gateway.headers("admin")
    loaded = await gateway.client.post(url, json=year, headers=admin)
    assert loaded.status_code == 201, loaded.text
    got = await gateway.client.get("/api/v1/public/calendar?from=2030-01-01&to=2030-02-10")
    body = got.json()
    assert (body["days_off"], body["working_weekends"]) == (["2030-01-01"], ["2030-02-09"])
    assert body["provisional_years"] == []
    listed = await gateway.client.get(url, headers=admin)
    assert 2030 in [y["year"] for y in listed.json()]
