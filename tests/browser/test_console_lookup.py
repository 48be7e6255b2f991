"""案件查询 in the staff header: a caller reads out a number, the operator types it (as the
input method gives it: lower case, full-width, the hyphen left out) and Enter opens the case;
a department gets 未找到 for another department's ticket, exactly as for no ticket at all; a
number of no known shape says what numbers look like; the box fits a 390 px phone."""

from __future__ import annotations

import uuid
from typing import Any

from playwright.sync_api import expect

TICKETS = "/api/v1/hotline/tickets"
NOT_FOUND = "未找到该编号，或您无权查看"


def _dispatched_ticket(console: Any) -> dict[str, Any]:
    """A 求助 the operator took and dispatched to 市场监管局 (the category's lead department)."""
    body = {
        "type": "help",
        "category_code": "SCJG_FOOD",
        "title": f"餐馆后厨卫生问题{uuid.uuid4().hex[:8]}",
        "content": "来电人反映小区门口餐馆后厨卫生状况差。",
        "requester": {"name": "王先生", "phone": "13800138000"},
    }
    with console.api("operator") as operator:
        made = operator.post(TICKETS, json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
        assert made.status_code == 201, made.text
        ticket = made.json()
        read = operator.get(f"{TICKETS}/{ticket['id']}")
        done = operator.post(
            f"{TICKETS}/{ticket['id']}/dispatch",
            json={},
            headers={"If-Match": read.headers["etag"]},
        )
        assert done.status_code == 200, done.text
        assert done.json()["department"] == "SCJGJ"
        return dict(done.json())


def _look_up(page: Any, typed: str) -> None:
    box = page.get_by_role("searchbox", name="案件编号")
    box.fill(typed)
    box.press("Enter")


def test_an_operator_opens_a_ticket_by_its_number(console: Any) -> None:
    ticket = _dispatched_ticket(console)
    number = ticket["number"]  # RX20261128-00042
    page = console.new_page()
    console.sign_in(page, "operator")
    expect(page.locator("main h1")).to_be_visible()
    typed = "".join(chr(ord(c) + 0xFEE0) for c in number.replace("-", "").lower())
    _look_up(page, f" {typed} ")
    page.wait_for_url(f"**/console/tickets/{ticket['id']}")
    expect(page.locator("main")).to_contain_text(number)
    # the box is there on the case's page too, empty for the next call
    expect(page.get_by_role("searchbox", name="案件编号")).to_have_value("")
    _look_up(page, "XY20261128-00001")
    status = page.locator("header .lookup [role=status]")
    expect(status).to_contain_text("无法识别该编号")
    expect(status).to_contain_text("RX（12345工单）")
    console.shot(page, "lookup-unknown-prefix")


def test_a_department_finds_its_own_ticket_but_not_another_departments(console: Any) -> None:
    ticket = _dispatched_ticket(console)
    other = console.new_page()
    console.sign_in(other, "rsj_head")  # 人社局: not the ticket's department
    expect(other.locator("main h1")).to_be_visible()
    _look_up(other, ticket["number"])
    expect(other.locator("header .lookup [role=status]")).to_have_text(NOT_FOUND)
    assert "/console/tickets/" not in other.url
    _look_up(other, "RX20001231-99999")  # none at all: the same answer
    expect(other.locator("header .lookup [role=status]")).to_have_text(NOT_FOUND)

    phone = console.new_page(viewport={"width": 390, "height": 844})
    console.sign_in(phone, "scjg_staff")
    expect(phone.locator("main h1")).to_be_visible()  # the header drawn again with the unit's name
    box = phone.get_by_role("searchbox", name="案件编号")
    expect(box).to_be_visible()
    button = phone.locator("header .lookup button[type=submit]")
    for shown in (box.bounding_box(), button.bounding_box()):
        assert shown is not None
        assert 0 <= shown["x"] <= shown["x"] + shown["width"] <= 390, shown
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    console.shot(phone, "lookup-phone")
    _look_up(phone, ticket["number"])
    phone.wait_for_url(f"**/console/tickets/{ticket['id']}")
    expect(phone.locator("main")).to_contain_text(ticket["number"])


def test_a_number_typed_while_the_page_loads_stays_in_the_box(console: Any) -> None:
    """The header is drawn again once the units' names arrive: a number typed before that (a
    caller reads it out as the page opens) is still there, the box still focused."""
    page = console.new_page()
    held: list[Any] = []
    page.route("**/api/v1/admin/departments*", lambda route: held.append(route))  # names wait
    try:
        console.sign_in(page, "operator")
        box = page.get_by_role("searchbox", name="案件编号")
        box.click()
        box.press_sequentially("RX20261128")
        expect(page.locator("main h1")).to_have_count(0)  # the page still waits for the names
        for route in held:
            route.continue_()
        page.unroute("**/api/v1/admin/departments*")  # later requests go straight through
        expect(page.locator("main h1")).to_be_visible()
        expect(box).to_have_value("RX20261128")
        expect(box).to_be_focused()
    finally:
        page.close()


def test_a_clerk_opens_a_package_application_by_its_number(console: Any) -> None:
    """一件事: the package's code (KBQY) leads its 办件编号, not a 31-character implementation
    code; the box opens it all the same. The shapes it tells of name each kind once."""
    app = console.take_package({"name": "赵六", "phone": "13912345678"})
    with console.api("clerk") as api:
        listed = api.get("/api/v1/approvals/applications", params={"number": app["number"]})
        assert listed.status_code == 200, listed.text
    page = console.new_page()
    console.sign_in(page, "clerk")
    expect(page.locator("main h1")).to_be_visible()
    _look_up(page, f" {app['number'].lower()} ")
    page.wait_for_url(f"**/console/applications/{app['id']}")
    expect(page.locator("main")).to_contain_text(app["number"])

    _look_up(page, "KB-1")
    status = page.locator("header .lookup [role=status]")
    expect(status).to_contain_text("无法识别该编号")
    expect(status).to_contain_text("套餐代码")
    told = status.inner_text()
    assert told.count("暗访问题") == 1, told  # AZ only: ZG numbers 差评整改 now
    assert "ZG（差评整改）" in told, told
