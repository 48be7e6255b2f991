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


PHONE = {"width": 390, "height": 844}
FOOD = "食品经营许可"  # a 承诺件 promising 最多跑一次 (trips_needed 1)
SIDEWAYS = """() => [document.documentElement, ...document.querySelectorAll('main .table-wrap')]
  .filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.className || e.tagName)"""
# How large a bar chart's labels are drawn on screen (the SVG scales with its width).
LABEL_PX = """(svg) => {
  const label = svg.querySelector('.chart-label');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return scale * parseFloat(getComputedStyle(label).fontSize);
}"""


def _food_licence_at_w01(console: Any) -> dict[str, Any]:
    """A 食品经营许可 (a 43-character 办件编号) taken in and accepted at W01, then rated."""
    with console.api("hall_head") as api:
        window = f"{A}/halls/{HALL}/windows/W01/clerks"
        assert api.put(window, json={"staff_nos": ["ZW2001"]}).is_success
    with console.api("clerk") as api:
        found = api.get(f"{A}/items", params={"q": FOOD}).json()["items"]
        item = next(i for i in found if i["name"] == FOOD)
        body = {
            "item": item["code"],
            "channel": "window",
            "hall_code": HALL,
            "window_code": "W01",
            "applicant": {"name": "王五", "phone": "13912345678"},
            "materials": [m["name"] for m in item["materials"]],
        }
        made = api.post(f"{A}/applications", json=body)
        assert made.status_code == 201, made.text
        path = f"{A}/applications/{made.json()['id']}"
        etag = api.get(path).headers["ETag"]
        assert api.post(f"{path}/accept", json={}, headers={"If-Match": etag}).is_success
    app = dict(made.json())
    assert len(app["number"]) == 43, app["number"]
    token = console.sms_link(app["number"]).rsplit("/", 1)[-1]
    with httpx.Client(base_url=console.base, timeout=30) as public:
        rated = public.post(f"/api/v1/ratings/invitations/{token}/rating", json={"level": 4})
    assert rated.status_code == 201, rated.text
    return app


def test_long_numbers_and_charts_fit_a_phone(console: Any) -> None:
    """390 px: a 43-character 办件编号 breaks inside its card rather than pushing the table
    past it, on the clerk's, the hall head's and the department head's home and the 好差评
    list; the bureau's bar chart keeps its labels readable (≥ 11 px)."""
    number = _food_licence_at_w01(console)["number"]
    for user, path in (
        ("clerk", "/console/home"),
        ("hall_head", "/console/home"),
        ("scjg_head", "/console/home"),
        ("bureau", "/console/ratings"),
    ):
        page = console.new_page(PHONE)
        console.sign_in(page, user, path)
        expect(page.locator("main .table-wrap", has_text=number).first).to_be_visible()
        assert page.evaluate(SIDEWAYS) == [], (user, path)
        console.shot(page, f"phone-numbers-{user}")
        page.close()

    home = console.new_page(PHONE)
    console.sign_in(home, "bureau")
    chart = home.locator("figure.chart svg[aria-label='在办督办事项（按级别）']")  # 督办级别分布
    expect(chart).to_be_visible()
    assert chart.evaluate(LABEL_PX) >= 11
    console.shot(home, "phone-bureau-chart")


def test_the_intake_form_suggests_free_postage_instead_of_a_second_trip(console: Any) -> None:
    """Window pickup of what promises 零跑腿 or 最多跑一次 is a second trip (审批统计 counts the
    intake and the pickup): the form suggests free postal delivery, for an item or a package."""
    page = console.new_page()
    console.sign_in(page, "clerk")
    form = page.locator("form[aria-label=收件登记]")
    expect(form).to_be_visible()
    options = page.eval_on_selector_all("#f-item option", "os => os.map(o => [o.value, o.text])")
    form.locator("#f-item").select_option(next(v for v, text in options if text == FOOD))
    advice = form.locator(".delivery-advice")
    expect(advice).to_be_hidden()  # nothing chosen yet
    form.locator("#f-delivery_method").select_option("pickup")
    expect(advice).to_be_visible()
    expect(advice).to_contain_text("最多跑一次")
    expect(advice).to_contain_text("免费邮寄")
    form.locator("#f-delivery_method").select_option("postal")
    expect(advice).to_be_hidden()
    expect(form.locator("#f-postal_address")).to_be_visible()
    form.locator("#f-kind").select_option("package")
    form.locator("#f-package").select_option("KBQY")
    form.locator("#f-delivery_method").select_option("pickup")
    expect(advice).to_contain_text("零跑腿")  # its items promise no trip at all
    console.shot(page, "intake-postage-advice")
