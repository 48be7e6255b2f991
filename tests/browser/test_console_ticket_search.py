"""工单查询: an operator types a caller's number into the header's box (as read out: with
blanks) and lands on the ticket search with that caller's tickets, old and new; a word of the
matter leads there too (a number still opens its case); the page's filters are the API's and
fit a 390 px phone. The reason of a step (退单) follows the services' rule in the form too: one
character is refused before anything is sent."""

from __future__ import annotations

import uuid
from typing import Any

from playwright.sync_api import expect

TICKETS = "/api/v1/hotline/tickets"
PHONE = {"width": 390, "height": 844}


def _ticket(console: Any, title: str, phone: str, dispatch: bool = False) -> dict[str, Any]:
    body = {
        "type": "help",
        "category_code": "SCJG_FOOD",
        "title": title,
        "content": "来电人反映小区门口餐馆后厨卫生状况差。",
        "requester": {"name": "王先生", "phone": phone},
    }
    with console.api("operator") as operator:
        made = operator.post(TICKETS, json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
        assert made.status_code == 201, made.text
        ticket = dict(made.json())
        if dispatch:
            read = operator.get(f"{TICKETS}/{ticket['id']}")
            done = operator.post(
                f"{TICKETS}/{ticket['id']}/dispatch",
                json={},
                headers={"If-Match": read.headers["etag"]},
            )
            assert done.status_code == 200, done.text
            ticket = dict(done.json())
    return ticket


def _look_up(page: Any, typed: str) -> None:
    box = page.get_by_role("searchbox", name="案件编号")
    box.fill(typed)
    box.press("Enter")


def test_an_operator_finds_a_callers_tickets_by_phone_or_a_word(console: Any) -> None:
    mark = uuid.uuid4().hex[:6]
    phone = f"139{uuid.uuid4().int % 10**8:08d}"  # a caller no other test has
    first = _ticket(console, f"餐馆卫生{mark}", phone, dispatch=True)
    again = _ticket(console, f"餐馆仍未整改{mark}", phone)
    other = _ticket(console, f"噪音扰民{mark}", f"137{uuid.uuid4().int % 10**8:08d}")
    page = console.new_page(viewport=PHONE)
    console.sign_in(page, "operator")
    expect(page.locator("main h1")).to_be_visible()
    assert page.locator("header nav a:has-text('工单查询')").count() == 1

    _look_up(page, f"{phone[:3]} {phone[3:7]} {phone[7:]}")  # as read out
    page.wait_for_url(f"**/console/tickets?phone={phone}")
    results = page.locator("main section:has(h2:has-text('查询结果')) tbody")
    expect(results.locator("tr")).to_have_count(2)
    expect(results.locator("tr").first).to_contain_text(again["number"])  # newest first
    expect(results.locator("tr").nth(1)).to_contain_text(first["number"])
    form = page.locator("form[aria-label=查询工单]")
    expect(form.locator("[name=phone]")).to_have_value(phone)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    console.shot(page, "ticket-search-phone")

    _look_up(page, f"噪音扰民{mark}")  # a word: the same page, by keyword
    page.wait_for_url("**/console/tickets?q=*")
    expect(results.locator("tr")).to_have_count(1)
    expect(results).to_contain_text(other["number"])
    expect(form.locator("[name=q]")).to_have_value(f"噪音扰民{mark}")
    form.locator("[name=q]").fill(mark)  # the filters: a word and a status
    form.locator("[name=status]").select_option("dispatched")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/console/tickets?q=*&status=dispatched")
    expect(results.locator("tr")).to_have_count(1)
    expect(results).to_contain_text(first["number"])

    _look_up(page, first["number"])  # a number still opens its case
    page.wait_for_url(f"**/console/tickets/{first['id']}")


def test_a_one_character_return_reason_is_refused_in_the_form(console: Any) -> None:
    ticket = _ticket(console, f"餐馆卫生{uuid.uuid4().hex[:6]}", "13800138000", dispatch=True)
    page = console.new_page()
    console.sign_in(page, "scjg_head", f"/console/tickets/{ticket['id']}")
    page.get_by_role("button", name="退单", exact=True).click()
    form = page.locator("form[aria-label=退单]")
    expect(form).to_contain_text("至少 2 个字")
    reason = form.locator("[name=reason]")
    reason.fill("错")
    form.locator("button[type=submit]").click()
    assert reason.evaluate("el => el.validity.tooShort")  # refused before anything is sent
    with console.api("scjg_head") as head:
        assert head.get(f"{TICKETS}/{ticket['id']}").json()["status"] == "dispatched"
    reason.fill("错派，应为卫健局事项")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=已完成：退单")
    expect(page.locator(".case-head .tag")).to_have_text("退单审核中")
