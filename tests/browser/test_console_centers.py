"""The centers' own console pages: the complaints center registers walk-in and phoned complaints
(登记投诉: a matter it does not take answered at once with its referral, the enterprise's other
open complaints shown, a resubmit after a lost answer registered once, the contact masked once
saved); the statistics of complaints, of visits and of the hotline read by whom the APIs allow,
their tables never scrolling sideways, on a phone (390 px) or a tablet."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

CASES = "/api/v1/complaints/cases"
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}
DESKTOP = {"width": 1366, "height": 768}
FORM = "form[aria-label=登记投诉]"
ENTERPRISE = {
    "name": "凤冈县黔茗茶业有限公司",
    "uscc": "91520327MA6DM8Q41N",
    "phone": "13512345678",
}
SIDEWAYS = """() => [document.documentElement, ...document.querySelectorAll('main .table-wrap')]
  .filter((e) => e.scrollWidth > e.clientWidth + 1).length"""


def _unique() -> str:
    return uuid.uuid4().hex[:6]


def _fill(page: Any, title: str, source: str) -> Any:
    form = page.locator(FORM)
    form.locator("#f-source").select_option(label=source)
    form.locator("#f-category").select_option("arbitrary_charges")
    form.locator("#f-respondent").select_option(label="市场监督管理局")
    form.locator("#f-title").fill(title)
    form.locator("#f-facts").fill("执法人员检查时要求企业向指定公司购买检测设备，否则不予通过。")
    form.locator("#f-enterprise_name").fill(ENTERPRISE["name"])
    form.locator("#f-uscc").fill(ENTERPRISE["uscc"])
    form.locator("#f-contact_name").fill("王五")
    form.locator("#f-contact_phone").fill(ENTERPRISE["phone"])
    return form


def _lose_first_answer(page: Any) -> list[str]:
    """The first registration reaches the service and its answer is lost (a 502 to the page);
    returns the Idempotency-Key of each registration the page sends."""
    keys: list[str] = []

    def handle(route: Any) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        keys.append(route.request.headers.get("idempotency-key", ""))
        if len(keys) > 1:
            route.continue_()
            return
        route.fetch()
        route.fulfill(status=502, body="")

    page.route(f"**{CASES}", handle)
    return keys


def test_the_center_registers_walk_ins_and_calls(console: Any) -> None:
    mark = _unique()
    page = console.new_page()
    console.sign_in(page, "complaints")
    page.click("main nav a:has-text('登记投诉')")
    keys = _lose_first_answer(page)
    form = _fill(page, f"指定购买检测设备{mark}", "来访")
    form.locator("button[type=submit]").click()
    expect(form.locator(".form-error")).to_have_text("服务暂时不可用，请稍后再试")
    form.locator("button[type=submit]").click()  # again, as typed: the same key, replayed
    done = page.locator("main .result .notice.ok")
    expect(done).to_contain_text("该投诉此前已提交登记，本次未重复登记")
    expect(done).to_contain_text("135****5678")  # the contact, masked once saved
    assert ENTERPRISE["phone"] not in done.inner_text()
    first = done.locator("h2").inner_text().removeprefix("已登记：")
    assert len(keys) == 2, keys
    assert keys[0] == keys[1], keys
    expect(form.locator("#f-title")).to_have_value("")  # emptied for the next one

    # A call about a matter in litigation: not accepted as it is registered, the usual route
    # offered, the enterprise's open complaint shown.
    # An unpaid bill needs its amount and due date — not when it is not accepted (no claim).
    form = _fill(page, f"起诉中的合同纠纷{mark}", "来电")
    bill = [form.locator("#f-claimed_amount"), form.locator("#f-bill_due_date")]
    expect(bill[0]).to_have_js_property("required", False)  # 乱收费: no bill
    form.locator("#f-category").select_option("unpaid_bills")
    for control in bill:
        expect(control).to_have_js_property("required", True)
    form.locator("#f-exclusion").select_option(label="已进入诉讼程序")
    for control in bill:
        expect(control).to_have_js_property("required", False)
    expect(form.locator("#f-referral")).to_have_value(
        "该事项已进入诉讼程序，请通过受理法院依法主张权利。"
    )
    form.locator("#f-note").fill("企业称已向县人民法院起诉")
    form.locator("button[type=submit]").click()
    refused = page.locator("main .result .notice.warning").first
    expect(refused).to_contain_text("已登记并不予受理")
    expect(refused).to_contain_text("告知企业的解决途径：该事项已进入诉讼程序")
    hints = page.locator("main .result .duplicates")
    expect(hints).to_contain_text("疑似重复")
    expect(hints.locator("a", has_text=first)).to_have_count(1)
    console.shot(page, "complaint-registered-not-accepted")
    with console.api("complaints") as api:
        listed = api.get(CASES, params={"q": mark}).json()["items"]
    assert sorted((c["state"], c["source"]) for c in listed) == [
        ("not_accepted", "phone"),
        ("registered", "walk_in"),
    ]


def _show(page: Any, start: str, end: str) -> None:
    page.fill("form[aria-label=统计条件] [name=from]", start)
    page.fill("form[aria-label=统计条件] [name=to]", end)
    page.click("form[aria-label=统计条件] button[type=submit]")


def _fits(page: Any, name: str) -> None:
    """No sideways scroll at a phone's, a tablet's and a desktop's width."""
    for size in (PHONE, TABLET, DESKTOP):
        page.set_viewport_size(size)
        assert page.evaluate(SIDEWAYS) == 0, (name, size)
    page.set_viewport_size(PHONE)


def _some_figures(console: Any) -> None:
    """A complaint, a hotline ticket and an enterprise's problem handed to a unit."""
    key = {"Idempotency-Key": str(uuid.uuid4())}
    complaint = {"real_name": False, "respondent": "SCJGJ", "category": "inaction",
                 "title": "许可申请逾期未答复",
                 "facts": "申请材料齐全，逾期两个月未作决定。"}  # fmt: skip
    ticket = {"source": "phone", "type": "consult", "urgency": "normal", "title": "咨询开办企业",
              "content": "开办企业需要哪些材料", "requester": {"phone": "13800138000"}}  # fmt: skip
    problem = {"title": "用电增容审批进度慢", "category": "infrastructure",
               "description": "新上生产线需增容，申请两个月未批复。"}  # fmt: skip
    with console.api("complaints") as api:
        assert api.post(CASES, json=complaint, headers=key).status_code == 201
    with console.api("operator") as api:
        assert api.post("/api/v1/hotline/tickets", json=ticket, headers=key).status_code == 201
    with console.api("enterprise") as api:
        [enterprise] = api.get("/api/v1/visits/enterprises", params={"limit": 1}).json()["items"]
        problem["enterprise_id"] = enterprise["id"]
        made = api.post("/api/v1/visits/problems", json=problem, headers=key)
        assert made.status_code == 201, made.text
        assign = {"department": "GXJ"}
        etag = {"If-Match": made.headers["etag"]}
        url = f"/api/v1/visits/problems/{made.json()['id']}/assign"
        assert api.post(url, json=assign, headers=etag).status_code == 200


def test_the_statistics_fit_a_phone_and_show_whom_the_api_allows(console: Any) -> None:
    _some_figures(console)
    page = console.new_page(PHONE)
    console.sign_in(page, "bureau")  # the bureau reads all three
    # On a phone the staff header is one row: the pages (the bureau has fifteen) and the user
    # open under 菜单.
    page.wait_for_selector("main h1")
    assert page.locator("header.top").bounding_box()["height"] <= 60
    expect(page.get_by_role("searchbox", name="案件编号")).to_be_visible()
    expect(page.locator("header nav")).to_be_hidden()
    menu = page.get_by_role("button", name="菜单")
    expect(menu).to_have_attribute("aria-expanded", "false")
    pages = [("热线统计", "12345热线统计", "办理情况"), ("投诉统计", "涉企投诉统计", "按投诉类别"),
             ("走访统计", "走访与企业诉求统计", "承办单位")]  # fmt: skip
    for link, title, table in pages:
        page.get_by_role("button", name="菜单").click()
        expect(page.locator("header .user")).to_be_visible()
        page.click(f"header nav a:has-text('{link}')")
        page.wait_for_selector(f"main h1:has-text('{title}')")
        rows = page.locator(f"main section:has(h2:text-is('{table}')) tbody tr")
        expect(rows).not_to_have_count(0)
        _fits(page, title)
        console.shot(page, f"stats-{link}-phone")
    _show(page, "2001-01-01", "2001-01-31")  # the visits page: nothing then
    expect(page.locator("main .state.empty")).to_contain_text("暂无统计数据")

    page.get_by_role("button", name="菜单").click()
    page.click("header nav a:has-text('投诉统计')")
    page.select_option("form[aria-label=统计条件] [name=by]", "respondent")
    page.click("form[aria-label=统计条件] button[type=submit]")
    expect(page.locator("main section:has(h2:text-is('按被投诉单位')) tbody")).to_contain_text(
        "市场监督管理局"
    )
    for user, shown, hidden in (("complaints", "投诉统计", "走访统计"),
                                ("enterprise", "走访统计", "投诉统计"),
                                ("scjg_head", None, "投诉统计")):  # fmt: skip
        other = console.new_page()
        console.sign_in(other, user)
        nav = other.locator("header nav")
        expect(nav.locator("a:has-text('工作台')")).to_have_count(1)
        if shown:
            expect(nav.locator(f"a:has-text('{shown}')")).to_have_count(1)
        expect(nav.locator(f"a:has-text('{hidden}')")).to_have_count(0)


# the page's own words: a choice of units (被投诉单位) lists each by its directory name
# The console's own words: choices, tables and the 岗位 line (您正在以「…」岗位) name units by
# their directory names (admin data, the formal name included).
PROSE = """() => { const main = document.querySelector("main").cloneNode(true);
  main.querySelectorAll("select, table, .whoami").forEach((e) => e.remove());
  return main.textContent; }"""


def _center_names(page: Any) -> list[str]:
    """Every name the page gives the complaints center (the longest reading at each place)."""
    return re.findall(r"(?:非公有制经济发展)?(?:侵权)?投诉中心", page.evaluate(PROSE))


def test_the_complaints_center_goes_by_one_name(console: Any) -> None:
    """DOMAIN.md's formal name once where the public meets it, 侵权投诉中心 everywhere else: on
    the public complaint form, the center's workbench, the bureau's home and the message to a
    position that may not register complaints."""
    page = console.new_page()
    page.goto(f"{console.base}/console/public/complaint")
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("main")).to_contain_text("以下简称侵权投诉中心")
    public = _center_names(page)
    assert public[0] == "非公有制经济发展侵权投诉中心", public
    assert set(public[1:]) == {"侵权投诉中心"}, public
    for user, path, shown in (
        ("complaints", "/console/home", "侵权投诉中心 · 工作台"),
        ("bureau", "/console/home", "侵权投诉中心被投诉案件"),
        ("bureau", "/console/complaints/new", "投诉由侵权投诉中心登记"),
    ):
        console.sign_in(page, user, path)
        expect(page.locator("main")).to_contain_text(shown)
        assert set(_center_names(page)) == {"侵权投诉中心"}, (user, path)


def test_each_list_of_the_center_exports_as_it_filters(console: Any) -> None:
    """导出 CSV on each list of the center's workbench: the export of that list's own filters
    (``GET /api/v1/complaints/cases/export``), named after the list."""
    mark = _unique()
    numbers = []
    with console.api("complaints") as api:
        for title in (f"许可申请逾期未答复{mark}", f"检查收费标准未公示{mark}"):
            complaint = {"real_name": False, "respondent": "SCJGJ", "category": "inaction",
                         "title": title, "facts": "申请材料齐全，逾期两个月未作决定。"}  # fmt: skip
            key = {"Idempotency-Key": str(uuid.uuid4())}
            made = api.post(CASES, json=complaint, headers=key)
            assert made.status_code == 201, made.text
            numbers.append(made.json()["number"])
        url = f"{CASES}/{made.json()['id']}/accept"  # the second one leaves 待受理
        accepted = api.post(url, json={}, headers={"If-Match": made.headers["etag"]})
        assert accepted.status_code == 200, accepted.text
    waiting, taken = numbers
    page = console.new_page()
    console.sign_in(page, "complaints")
    listed = page.locator("section:has(h2:has-text('待受理'))")
    expect(listed.locator(f"a:has-text('{waiting}')")).to_be_visible()
    with page.expect_download() as info:
        listed.get_by_role("button", name="导出 CSV").click()
    assert info.value.suggested_filename == "涉企投诉-待受理.csv"
    exported = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert waiting in exported
    assert taken not in exported  # accepted: another list's
    handling = page.locator("section:has(h2:has-text('办理中'))")
    with page.expect_download() as info:
        handling.get_by_role("button", name="导出 CSV").click()
    exported = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert taken in exported
    assert waiting not in exported
