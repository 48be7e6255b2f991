"""The hall's intake and statistics in the console: the intake offers only the windows that
take the chosen item and puts a key project on the green channel (绿色通道), which the
application page marks and the hall's queue lists first; 审批统计 shows one group of figures at
a time by item, department or month, without a sideways scroll on a tablet."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
from playwright.sync_api import expect

from yingshang.testing.steps import post_step

A = "/api/v1/approvals"
TABLET = {"width": 768, "height": 1024}
FOOD, PERMIT, SEAL = "食品经营许可", "建筑工程施工许可证核发", "公章刻制备案"


def _item(api: httpx.Client, name: str) -> dict[str, Any]:
    found = api.get(f"{A}/items", params={"q": name}).json()["items"]
    return dict(next(i for i in found if i["name"] == name))


def _seat_the_clerk(console: Any) -> None:
    """The demo clerk 周静 (ZW2001) at W01, where she takes applications in."""
    with console.api("hall_head") as api:
        clerks = f"{A}/halls/HALL_COUNTY/windows/W01/clerks"
        seated = api.put(clerks, json={"staff_nos": ["ZW2001"]})
        assert seated.is_success, seated.text


def _take_in(api: httpx.Client, item: dict[str, Any]) -> dict[str, Any]:
    """A complete application for ``item`` at W01 through the API (by the seated clerk)."""
    body = {
        "item": item["code"],
        "channel": "window",
        "hall_code": "HALL_COUNTY",
        "window_code": "W01",
        "applicant": {"name": "李四", "phone": "13912345678"},
        "materials": [m["name"] for m in item["materials"]],
    }
    made = api.post(f"{A}/applications", json=body)
    assert made.status_code == 201, made.text
    return dict(made.json())


def _window_choices(page: Any) -> list[str]:
    return list(page.eval_on_selector_all("#f-window_code option", "os => os.map(o => o.value)"))


def test_a_key_project_goes_on_the_green_channel_and_first_in_the_queue(console: Any) -> None:
    _seat_the_clerk(console)
    with console.api("clerk") as api:
        food, permit = _item(api, FOOD), _item(api, PERMIT)
    page = console.new_page()
    console.sign_in(page, "clerk")
    form = page.locator("form[aria-label=收件登记]")
    form.wait_for()
    # a dedicated window takes only its items; the comprehensive ones take any
    page.select_option("#f-item", permit["code"])
    assert {"W01", "W05", "W06"} & set(_window_choices(page)) == {"W01", "W06"}
    page.select_option("#f-item", food["code"])
    assert {"W01", "W05", "W06"} & set(_window_choices(page)) == {"W01", "W05"}

    page.select_option("#f-window_code", "W01")
    for material in form.locator("[data-material]").all():
        material.check()
    name = f"重点项目{uuid.uuid4().hex[:4]}"
    page.fill("#f-name", name)
    page.fill("#f-phone", "13912345678")
    page.select_option("#f-delivery_method", "pickup")
    page.get_by_label("绿色通道（重点项目：优先办理，按绿色通道时限）").check()
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=收件成功")
    expect(page.locator(".case-head .tag.green-channel")).to_have_text("绿色通道")
    fact = page.locator("dl.kv dt:text-is('绿色通道') + dd")
    expect(fact).to_contain_text("优先办理")
    application = page.url.rsplit("/", 1)[-1]
    with console.api("clerk") as api:
        made = api.get(f"{A}/applications/{application}").json()
        # taken in later and due sooner (1 working day): still after the green channel
        later = _take_in(api, _item(api, SEAL))
    assert (made["green_channel"], made["window_code"]) == (True, "W01")
    assert later["due_at"] < made["due_at"]
    # the receipt right under the heading: the number and 查询码 read out together, and they
    # find the application in public tracking
    receipt = page.locator("main .case-head + [aria-label=收件回执]")
    expect(receipt.locator("dt:text-is('办件编号') + dd")).to_have_text(made["number"])
    code = receipt.locator("dt:text-is('查询码') + dd").inner_text()
    with console.api("clerk") as api:
        tracked = api.post(
            f"{A}/public/applications/track", json={"number": made["number"], "query_code": code}
        )
    assert (tracked.status_code, tracked.json()["number"]) == (200, made["number"])

    # the hall's queue: every green-channel application before any other
    page.goto(f"{console.base}/console/home")
    queue = page.locator("section:has(h2:has-text('在办办件')) tbody tr")
    expect(queue.filter(has_text=made["number"])).to_contain_text("绿色通道")
    rows = queue.all_inner_texts()
    greens = [("绿色通道" in text) for text in rows]
    assert greens == sorted(greens, reverse=True), greens
    place = {
        n: next(i for i, text in enumerate(rows) if n in text)
        for n in (made["number"], later["number"])
    }
    assert place[made["number"]] < place[later["number"]]
    console.shot(page, "hall-queue-green-first")


def test_the_hall_reads_approvals_statistics_on_a_tablet(console: Any) -> None:
    _seat_the_clerk(console)
    with console.api("clerk") as api:
        made = _take_in(api, _item(api, FOOD))
    page = console.new_page(TABLET)
    console.sign_in(page, "bureau", path="/console/approvals-stats")
    expect(page.locator("header nav a:text-is('审批统计')")).to_be_visible()
    table = page.locator("section:has(h2:has-text('按事项统计')) table")
    expect(table.locator("thead th")).to_have_text(
        ["事项", "申请量", "网办率", "全程网办（零跑动）", "最多跑一次"]
    )
    expect(table.locator("tbody tr", has_text=FOOD)).to_have_count(1)
    expect(table.locator("tbody tr").last).to_contain_text("合计")

    for view in ("timeliness", "days"):  # every group of figures fits the tablet's width
        page.select_option("#f-view", view)
        page.select_option("#f-by", "month")
        page.click("form[aria-label=统计条件] button[type=submit]")
        months = page.locator("section:has(h2:has-text('按收件月份统计')) table")
        expect(months.locator("tbody tr").first).to_contain_text(made["submitted_at"][:4])
        assert page.eval_on_selector(
            "section:has(h2:has-text('按收件月份统计')) .table-wrap",
            "el => el.scrollWidth <= el.clientWidth",
        ), view
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), view
    expect(months.locator("thead th")).to_contain_text(["收件月份", "已办结", "平均用时"])
    console.shot(page, "approvals-statistics-tablet")


def test_the_intake_starts_at_the_window_the_clerk_is_seated_at(console: Any) -> None:
    """吴倩 (clerk2, ZW2002) sits at W02 (county.yaml): her intake form starts there, not at
    W01; the hall's head sits at no window, so hers starts at 请选择 (no window chosen)."""
    with console.api("clerk2") as api:
        food = _item(api, FOOD)
    page = console.new_page()
    try:
        console.sign_in(page, "clerk2")
        page.locator("form[aria-label=收件登记]").wait_for()
        expect(page.locator("#f-window_code")).to_have_value("W02")
        page.select_option("#f-item", food["code"])  # W02 still takes it: kept
        expect(page.locator("#f-window_code")).to_have_value("W02")
        console.sign_in(page, "hall_head")
        page.locator("form[aria-label=收件登记]").wait_for()
        expect(page.locator("#f-window_code")).to_have_value("")
        expect(page.locator("#f-window_code option:checked")).to_have_text("请选择…")
    finally:
        page.close()


def _step(api: httpx.Client, app: dict[str, Any], action: str, body: Any = None) -> None:
    post_step(api, f"{A}/applications/{app['id']}", action, body)


def test_a_paused_clock_reads_as_paused_with_what_is_left(console: Any) -> None:
    """审查补正中 the handling clock stands still: the header says so (已暂停计时) with the
    working days left, not a green countdown."""
    _seat_the_clerk(console)
    with console.api("clerk") as api:
        app = _take_in(api, _item(api, FOOD))  # 承诺件: 8 working days
        _step(api, app, "accept")
    with console.api("scjg_staff") as api:
        _step(api, app, "request-supplement", {"missing": ["平面图（修订）"]})
    page = console.new_page()
    try:
        console.sign_in(page, "clerk", f"/console/applications/{app['id']}")
        expect(page.locator(".case-head .tag").first).to_have_text("审查补正中")
        clock = page.locator(".case-head .countdown")
        expect(clock).to_have_text(re.compile(r"^已暂停计时（剩余 \d+ 个工作日）$"))
        expect(clock).not_to_have_class(re.compile(r"\bok\b"))
    finally:
        page.close()


def test_a_legal_person_without_a_credit_code_is_told_on_that_field(console: Any) -> None:
    """A refused applicant field is named by the form's label with the service's own reason
    (统一社会信用代码应为 18 位, not 「…」未填写完整或不符合要求), marked and focused, the
    rest kept as typed; a check across fields (法人 without 企业名称) and 法人 without
    统一社会信用代码 are told on those fields the same way."""
    _seat_the_clerk(console)
    with console.api("clerk") as api:
        food, registration = _item(api, FOOD), _item(api, "企业设立登记（营业执照）")
    page = console.new_page()
    try:
        console.sign_in(page, "clerk")
        form = page.locator("form[aria-label=收件登记]")
        form.wait_for()
        page.select_option("#f-item", food["code"])
        for material in form.locator("[data-material]").all():
            material.check()
        page.select_option("#f-type", "legal_person")
        page.fill("#f-name", "张三")
        page.fill("#f-phone", "138-1234-56789")
        page.fill("#f-uscc", "91520327MA6DM8Q41")  # 17 characters
        page.select_option("#f-delivery_method", "pickup")
        form.locator("button[type=submit]").click()
        error = form.locator(".form-error")
        expect(error).to_have_text(
            "填写的内容有误：「联系电话」：不是有效的手机或固定电话号码；"
            "「统一社会信用代码」：统一社会信用代码应为 18 位"
        )
        for refused in ("#f-phone", "#f-uscc"):
            expect(form.locator(refused)).to_have_attribute("aria-invalid", "true")
        expect(form.locator("#f-name")).not_to_have_attribute("aria-invalid", "true")
        expect(form.locator("#f-phone")).to_be_focused()  # the first in the form
        assert form.locator("#f-uscc").evaluate("el => getComputedStyle(el).borderColor") != (
            form.locator("#f-name").evaluate("el => getComputedStyle(el).borderColor")
        )
        assert [form.locator(f).input_value() for f in ("#f-name", "#f-phone", "#f-uscc")] == [
            "张三", "138-1234-56789", "91520327MA6DM8Q41"
        ]  # fmt: skip
        console.shot(page, "intake-fields-refused")
        page.fill("#f-phone", "13912345678")
        page.fill("#f-uscc", "")
        form.locator("button[type=submit]").click()
        expect(error).to_have_text("填写的内容有误：「企业名称」：法人申请须填写企业名称")
        expect(form.locator("#f-enterprise_name")).to_have_attribute("aria-invalid", "true")
        expect(form.locator("#f-enterprise_name")).to_be_focused()
        expect(form.locator("#f-uscc")).not_to_have_attribute("aria-invalid", "true")
        page.fill("#f-enterprise_name", "凤冈县锌硒茶业有限公司")
        form.locator("button[type=submit]").click()
        expect(error).to_contain_text("「统一社会信用代码」：法人申请须填写统一社会信用代码")
        expect(form.locator("#f-uscc")).to_have_attribute("aria-invalid", "true")
        # 企业设立登记 forms the company: applied for before it has its code
        page.select_option("#f-item", registration["code"])
        for material in form.locator("[data-material]").all():
            material.check()
        page.select_option("#f-delivery_method", "pickup")
        form.locator("button[type=submit]").click()
        page.wait_for_selector("text=收件成功")
        application = page.url.rsplit("/", 1)[-1]
        with console.api("clerk") as api:
            made = api.get(f"{A}/applications/{application}").json()
        assert (made["item_code"], made["uscc"]) == (registration["code"], None)
    finally:
        page.close()


def test_public_tracking_tells_what_the_supplement_asks_for(console: Any) -> None:
    """Waiting for 补正, the public lookup says which materials and the clerk's note."""
    _seat_the_clerk(console)
    note = f"申请书未签字，请签字后提交{uuid.uuid4().hex[:4]}"
    with console.api("clerk") as api:
        food = _item(api, FOOD)
        made = _take_in(api, food)
        _step(
            api,
            made,
            "request-supplement",
            {"missing": [food["materials"][0]["name"]], "note": note},
        )
    page = console.new_page({"width": 768, "height": 1024})
    try:
        page.goto(f"{console.base}/console/public/track")
        page.fill("#f-number", made["number"])
        page.fill("#f-query_code", made["query_code"])
        page.click("form[aria-label=办件查询] button[type=submit]")
        told = page.locator("[aria-label=补正告知]")
        expect(told.locator("li")).to_have_text([food["materials"][0]["name"]])
        expect(told).to_contain_text(f"说明：{note}")
        expect(told).to_contain_text("受理前需补正以下材料")
        assert "李四" not in page.inner_text("main")  # the applicant's name is not shown
        console.shot(page, "public-track-supplement")
    finally:
        page.close()
