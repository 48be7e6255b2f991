"""The console in a real browser against the whole system (issue 12's acceptance): an operator
takes a ticket, the department head signs it, its overdue stage reaches the bureau's 督办 ledger;
a citizen rates through the SMS link; the bulletin opens and its CSV downloads; a stale page
and an expired session say so in Chinese; every role's home and every public page is captured.
Besides: case details offer exactly the actions the API lists for the user, API errors read in
Chinese, countdowns count working days on the county calendar, public pages name departments,
a licence ready at the window stops its delivery countdown, a clerk takes in a 一件事一次办
package with a material missing and a postal delivery."""

from __future__ import annotations

import random
import re
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import expect

from yingshang.clock import SHANGHAI

STALE = "该事项已被他人修改，页面已更新为最新内容；您填写的内容仍在表单中，请核对后再次提交"
DESKTOP = {"width": 1366, "height": 768}
TABLET = {"width": 768, "height": 1024}


def _unique() -> str:
    return uuid.uuid4().hex[:8]


def _contact_stage_in_seconds(console: Any, page: Any, seconds: int) -> None:
    """The admin edits a time-limit policy in the console (the policies admin API): 联系 (first
    contact) becomes due `seconds` after 签收, so the signed ticket goes overdue while we wait."""
    console.sign_in(page, "admin")
    contact, normal = (page.get_by_role("cell", name=t, exact=True) for t in ("联系", "一般"))
    row = page.locator("tr").filter(has=contact).filter(has=normal)
    row.get_by_role("button", name="修改").click()
    page.fill("#f-amount", str(seconds))
    page.select_option("#f-unit", "natural_seconds")
    page.click("form[aria-label^=修改时限] button[type=submit]")
    page.wait_for_selector("text=已修改时限政策")
    assert f"{seconds} 秒" in row.inner_text()
    console.shot(page, "admin-policy-in-seconds")


def _take_ticket(
    console: Any, page: Any, title: str, phone: str, mistyped: str | None = None
) -> str:
    """The operator's intake form, with the knowledge base answering while she types;
    ``mistyped``: the phone typed wrong first, refused on the field the form calls 来电号码
    (the service's 联系电话) in the service's words, the rest kept as typed."""
    console.sign_in(page, "operator")
    page.select_option("#f-type", "consult")
    page.select_option("#f-category_code", "SCJG_FOOD")
    page.fill("#f-title", title)
    content = "来电人咨询个体工商户营业执照需要哪些材料，在哪里办理。"
    page.fill("#f-content", content)
    page.fill("#f-name", "王先生")
    page.fill("#f-phone", mistyped or phone)
    page.wait_for_selector(".kb-entry")  # the knowledge-base lookup found an answer
    page.click("form[aria-label=受理登记] button[type=submit]")
    if mistyped:
        form = page.locator("form[aria-label=受理登记]")
        expect(form.locator(".form-error")).to_have_text(
            "填写的内容有误：「来电号码」：不是有效的手机或固定电话号码"
        )
        expect(form.locator("#f-phone")).to_have_attribute("aria-invalid", "true")
        expect(form.locator("#f-phone")).to_be_focused()
        expect(form.locator("#f-title")).not_to_have_attribute("aria-invalid", "true")
        assert (form.locator("#f-title").input_value(), form.locator("#f-content").input_value(),
                form.locator("#f-phone").input_value()) == (title, content, mistyped)  # fmt: skip
        page.fill("#f-phone", phone)
        expect(form.locator("#f-phone")).not_to_have_attribute("aria-invalid", "true")
        page.click("form[aria-label=受理登记] button[type=submit]")
    done = page.wait_for_selector("text=已受理：工单")
    number = re.search(r"RX[\d-]+", done.inner_text())
    assert number, done.inner_text()
    console.shot(page, "hotline-ticket-taken")
    return number.group(0)


def _buttons(page: Any) -> list[str]:
    """The action buttons of a case detail (the actions the API listed for this user)."""
    page.wait_for_selector(".case-head")
    return [t.strip() for t in page.locator(".action-buttons button").all_inner_texts()]


def _act(page: Any, label: str, fill: dict[str, str] | None = None) -> None:
    page.click(f".action-buttons button:has-text('{label}')")
    for name, value in (fill or {}).items():
        page.select_option(f".action-form [name={name}]", value)
    page.click(f".action-form button:has-text('确认{label}')")


def _fact(page: Any, name: str) -> str:
    """The value of a case detail's 基本信息 entry ``name``."""
    return str(page.locator(f"dl.kv dt:text-is('{name}') + dd").inner_text())


def _api_act(
    api: httpx.Client, path: str, case: dict[str, Any], action: str, body: Any = None
) -> dict[str, Any]:
    """POST a step with the case's current ETag (``If-Match``); the case as it answers."""
    read = api.get(f"{path}/{case['id']}")
    assert read.status_code == 200, read.text
    done = api.post(
        f"{path}/{case['id']}/{action}", json=body or {}, headers={"If-Match": read.headers["etag"]}
    )
    assert done.status_code == 200, done.text
    return dict(done.json())


def test_signed_ticket_goes_overdue_into_the_bureau_ledger(console: Any) -> None:
    page = console.new_page()
    _contact_stage_in_seconds(console, page, 2)
    # a number no other test calls from: an open ticket from the same phone offers 并单
    phone = f"139{uuid.uuid4().int % 10**8:08d}"
    number = _take_ticket(console, page, f"营业执照办理咨询{_unique()}", phone, "138-1234-56789")
    page.click("text=查看并派单")
    page.wait_for_selector(".case-head")
    assert _fact(page, "诉求人") == f"王先生，{phone}"  # the operator reads the phone in full
    _act(page, "派单", {"department": "SCJGJ"})
    page.wait_for_selector("text=已完成：派单")
    assert _buttons(page) == []  # the operator's part is done: nothing more to offer her
    # The dispatch answered with the requester masked (a write audits nothing): she still
    # sees what her read showed.
    assert _fact(page, "诉求人") == f"王先生，{phone}"
    ticket = page.url.removeprefix(console.base)

    console.sign_in(page, "scjg_staff", ticket)  # the department's staff: only its head signs
    assert _buttons(page) == []
    assert page.get_by_text("您当前的岗位在此状态下没有可办理的操作").is_visible()

    console.sign_in(page, "scjg_head")
    page.click(f"section:has(h2:has-text('待签收')) a:has-text('{number}')")
    assert _buttons(page) == ["签收", "退单", "申请延期"]
    _act(page, "签收")
    page.wait_for_selector("text=已完成：签收")
    assert page.inner_text(".case-head .tag") == "已签收"
    assert _buttons(page) == ["已联系诉求人", "退单", "申请延期"]
    assert "来源：电话" in page.inner_text(".timeline")  # the intake's note, in words
    console.shot(page, "hotline-ticket-signed")

    _wait_for_escalation(console, number)  # the sweeper, the relay and the ratings consumer
    console.sign_in(page, "bureau")
    page.click("header nav a:has-text('督办')")
    row = page.locator(f"tr:has-text('{number}')").first
    expect(row).to_be_visible()
    assert "联系" in row.inner_text()  # the stage: first contact with the requester
    assert "市场监督管理局" in row.inner_text()
    console.shot(page, "escalation-ledger")
    page.goto(console.base + ticket)  # its timeline names the sweeper's steps in the API's words
    expect(page.locator(".timeline")).to_contain_text("升级督办（联系）")  # and whose clock


def test_a_supervision_by_hand_enters_the_bureau_ledger(console: Any) -> None:
    """The bureau's 督办 of a ticket no clock has made late: the 督办 ledger lists it, at the
    bureau's level, against the 办理 time limit (until the ticket is 办结)."""
    page = console.new_page()
    phone = f"139{uuid.uuid4().int % 10**8:08d}"
    number = _take_ticket(console, page, f"营业执照办理咨询{_unique()}", phone)
    page.click("text=查看并派单")
    _act(page, "派单", {"department": "SCJGJ"})
    page.wait_for_selector("text=已完成：派单")
    ticket = page.url.removeprefix(console.base)

    console.sign_in(page, "bureau", ticket)
    page.click(".action-buttons button:has-text('催办/督办')")
    page.check(".action-form [name=supervise]")
    page.click(".action-form button:has-text('确认催办/督办')")
    page.wait_for_selector("text=已完成：催办/督办")
    assert _fact(page, "催办次数") == "1（已督办）"

    _wait_for_escalation(console, number)  # the relay and the ratings consumer
    page.click("header nav a:has-text('督办')")
    row = page.locator(f"tr:has-text('{number}')").first
    expect(row).to_be_visible()
    assert "办理" in row.inner_text()  # the stage: the ticket's 办理 time limit
    assert "二级" in row.inner_text()  # the bureau's level


def _wait_for_escalation(console: Any, number: str, timeout: float = 60.0) -> None:
    """Until the ratings service's 督办 ledger holds the ticket (then one page load shows it)."""
    deadline = time.monotonic() + timeout
    with console.api("bureau") as api:
        while time.monotonic() < deadline:
            listed = api.get("/api/v1/ratings/escalations", params={"limit": 200})
            assert listed.status_code == 200, listed.text
            if any(e.get("case_number") == number for e in listed.json()["items"]):
                return
            time.sleep(0.25)
    raise AssertionError(f"{number} did not reach the 督办 ledger")


def _finish_at_the_window(console: Any, page: Any) -> str:
    with console.api("hall_head") as api:  # the clerk must sit at the window she takes in at
        window = "/api/v1/approvals/halls/HALL_COUNTY/windows/W01/clerks"
        assert api.put(window, json={"staff_nos": ["ZW2001"]}).is_success
    console.sign_in(page, "clerk")
    page.wait_for_selector("form[aria-label=收件登记]")
    options = page.eval_on_selector_all("#f-item option", "os => os.map(o => [o.value, o.text])")
    page.select_option("#f-item", next(value for value, text in options if "即办" in text))
    page.select_option("#f-window_code", "W01")
    for material in page.locator("form[aria-label=收件登记] [data-material]").all():
        material.check()  # every material handed in: the 即办件 is decided on the spot
    page.fill("#f-name", "李四")
    page.fill("#f-phone", "13912345678")
    page.click("form[aria-label=收件登记] button[type=submit]")
    page.wait_for_selector("text=收件成功")
    assert "query_code" not in page.url  # shown once, never put in a URL (history, logs)
    number = page.inner_text(".case-head h1").split()[-1]
    _act(page, "即办办结")
    page.wait_for_selector("text=已完成：即办办结")
    return number


def _intake(page: Any, title: str, phone: str) -> Any:
    page.select_option("#f-type", "help")
    page.select_option("#f-category_code", "ZJ_PROPERTY")
    page.fill("#f-title", title)
    page.fill("#f-content", "小区电梯停运三天，物业不维修，请相关部门督促处理。")
    page.fill("#f-phone", phone)
    page.click("form[aria-label=受理登记] button[type=submit]")
    return page.wait_for_selector("text=已受理：工单")


def test_operator_sees_duplicate_hints_and_merges_the_later_ticket(console: Any) -> None:
    phone = f"139{uuid.uuid4().int % 10**8:08d}"
    page = console.new_page()
    console.sign_in(page, "operator")
    first = _intake(page, f"电梯故障{_unique()}", phone).inner_text()
    first_number = re.search(r"RX[\d-]+", first).group(0)  # type: ignore[union-attr]
    to_dispatch = page.locator("section:has(h2:has-text('待派单'))")
    expect(to_dispatch).to_contain_text(first_number)  # the queue shows it without a reload
    page.goto(f"{console.base}/console/home")
    _intake(page, f"电梯又坏了{_unique()}", phone)
    hints = page.locator(".notice .duplicates")
    expect(hints).to_contain_text(first_number)
    expect(hints).to_contain_text("同一来电号码")
    console.shot(page, "hotline-duplicate-hints")
    page.click("text=查看并派单")
    # No 直接答复 for a 求助, no 转办 without an enterprise; 并单 with the earlier ticket.
    assert _buttons(page) == ["派单", "并单"]
    _act(page, "派单", {"department": "LONGQUAN"})  # a county matter pushed down to a town
    refused = page.locator(".action-form .form-error")
    expect(refused).to_have_text(
        "县级部门的事项不得下派乡镇，请选择县级承办单位"
    )  # the 422, in Chinese
    page.click(".action-buttons button:has-text('并单')")
    earlier = page.locator(".action-form [name=into_ticket_id] option")
    assert earlier.all_inner_texts() == ["请选择…", first_number]  # a choice, never a default
    page.click(".action-form button:has-text('确认并单')")
    assert page.locator(".action-form [name=into_ticket_id]:invalid").count() == 1  # refused
    page.select_option(".action-form [name=into_ticket_id]", label=first_number)
    page.click(".action-form button:has-text('确认并单')")
    page.wait_for_selector("text=已完成：并单")
    assert page.inner_text(".case-head .tag") == "已并单"
    assert _buttons(page) == []
    expect(page.locator("[data-due]")).to_have_count(0)  # its clocks are cancelled: no countdown


COMPLAINT_BUTTONS = {"accept": "受理", "reject": "不予受理", "assign": "交办", "urge": "催办/督办"}


def test_an_enterprise_complains_and_the_center_is_offered_only_its_steps(console: Any) -> None:
    citizen = console.new_page(TABLET)
    citizen.goto(f"{console.base}/console/public/complaint")
    citizen.select_option("#f-category", "unpaid_bills")
    citizen.select_option("#f-respondent", label="市场监督管理局")  # by name, not by code
    citizen.fill("#f-title", f"工程款拖欠一年未付{_unique()}")
    citizen.fill("#f-facts", "我公司承建的市场监管所办公楼维修工程已验收，工程款至今未支付。")
    citizen.fill("#f-enterprise_name", "凤冈县某某建筑有限公司")
    citizen.fill("#f-uscc", "91520327MA6DM8Q41N")
    citizen.fill("#f-contact_name", "赵经理")
    citizen.fill("#f-contact_phone", "13700001111")
    submit = "form[aria-label=涉企侵权投诉] button[type=submit]"
    citizen.click(submit)  # an unpaid bill without its amount and due date: marked required
    expect(citizen.locator("#f-claimed_amount:invalid, #f-bill_due_date:invalid")).to_have_count(2)
    expect(citizen.locator(".form-error")).to_have_text("")  # refused before it is sent
    citizen.fill("#f-claimed_amount", "380000")
    citizen.fill("#f-bill_due_date", "2025-10-31")
    citizen.click(submit)
    number = citizen.wait_for_selector(".notice .mono").inner_text()
    console.shot(citizen, "public-complaint-submitted-tablet")

    page = citizen  # the center, at a desk, in the same tab
    page.set_viewport_size(DESKTOP)
    console.sign_in(page, "complaints")
    page.click(f"section:has(h2:has-text('待受理')) a:has-text('{number}')")
    buttons = _buttons(page)
    case_id = page.url.rsplit("/", 1)[-1]
    with console.api("complaints") as api:
        listed = api.get(f"/api/v1/complaints/cases/{case_id}").json()["actions"]
    assert "accept" in listed
    assert buttons == [COMPLAINT_BUTTONS[name] for name in listed]  # exactly what the API lists
    assert "市场监督管理局" in page.inner_text("main")  # 被投诉单位 by name
    expect(page.locator(".timeline li")).not_to_have_count(0)
    complainant = "凤冈县某某建筑有限公司，91520327MA6DM8Q41N，赵经理，13700001111"
    assert _fact(page, "投诉企业") == complainant  # the center reads the contact in full
    console.shot(page, "complaint-detail")
    page.get_by_role("button", name="不予受理").click()  # its 说明 reaches the enterprise: said so
    refusal = page.locator("form.action-form[aria-label=不予受理]")
    expect(refusal).to_contain_text("告知企业的说明")
    expect(refusal).to_contain_text("投诉企业查询时可见")
    refusal.get_by_role("button", name="取消").click()
    page.get_by_role("button", name="受理", exact=True).click()  # not 不予受理
    # accepting as 拖欠账款 takes the amount (to the fen) and the due date on the same form
    amount = page.locator(".action-form [name=claimed_amount]")
    assert (
        amount.get_attribute("step"),
        page.locator(".action-form [name=bill_due_date]").get_attribute("type"),
    ) == ("0.01", "date")
    page.click(".action-form button:has-text('确认受理')")
    page.wait_for_selector("text=已完成：受理")
    assert _fact(page, "投诉企业") == complainant  # not the write's masked answer

    with console.api("complaints") as api:  # 交办 to the unit complained about
        case = {"id": case_id}
        assert _api_act(api, "/api/v1/complaints/cases", case, "assign")["department"] == "SCJGJ"
    # the respondent's staff: nothing of who complained
    console.sign_in(page, "scjg_staff", f"/console/complaints/{case_id}")
    page.wait_for_selector(".case-head")
    assert _fact(page, "投诉企业") == "已隐去（被投诉单位和责任单位不可见投诉人身份）"
    assert "redacted" not in page.inner_text("main")


def test_citizen_rates_through_the_sms_link(console: Any) -> None:
    number = _finish_at_the_window(console, console.new_page())
    link = console.sms_link(number)
    assert link.startswith(f"{console.base}/console/public/rate/")  # whole: a text message

    citizen = console.new_page(TABLET)  # another tab (no staff session), a tablet
    citizen.goto(link)
    citizen.wait_for_selector("form[aria-label=评价]")
    assert number in citizen.inner_text("main")
    assert "凤冈县政务服务中心大厅 · 综合受理窗口1" in citizen.inner_text("main")  # not W01
    console.shot(citizen, "public-rate")
    citizen.click("label.level-4")
    citizen.fill("#f-comment", "窗口办事很快")
    citizen.click("button:has-text('提交评价')")
    citizen.wait_for_selector("text=感谢您的评价")
    console.shot(citizen, "public-rate-thanks")

    with console.api("bureau") as api:
        ratings = api.get("/api/v1/ratings/ratings", params={"service": "approvals"}).json()
    mine = [r for r in ratings["items"] if r["case_number"] == number]
    assert [(r["level"], r["channel"], r["comment"]) for r in mine] == [(4, "sms", "窗口办事很快")]
    citizen.reload()
    citizen.wait_for_selector("text=该办件已评价")

    # A cut-off link (too short for a token: 422) and an unknown one (404) read the same.
    for bogus in ("abc", "x" * 32):
        citizen.goto(f"{console.base}/console/public/rate/{bogus}")
        expect(citizen.locator(".state.error")).to_contain_text("评价链接无效或已过期")


def test_bulletin_opens_with_charts_prints_and_its_csv_downloads(console: Any) -> None:
    page = console.new_page()
    console.sign_in(page, "bureau")
    page.click("header nav a:has-text('月通报')")
    page.wait_for_selector("h2:has-text('部门排名')")
    assert page.locator("figure.chart svg").count() == 3
    console.shot(page, "bulletin")
    with page.expect_download() as info:
        page.click("button:has-text('下载 CSV')")
    download = info.value
    assert re.fullmatch(r"bulletin-\d{4}-\d{2}\.csv", download.suggested_filename)
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert header[:3] == ["月份", "范围", "编码"]  # read by county staff: in Chinese
    assert {"评价数", "好评率%(县规则)", "好评率%(国家规则)"} <= set(header)
    assert ",全县,*," in text
    windows = page.locator("section:has(h2:has-text('窗口排名')) tbody")
    expect(windows).to_contain_text("凤冈县政务服务中心大厅 · 综合受理窗口1")  # rated above
    expect(windows).not_to_contain_text("HALL_COUNTY")  # by name, never the code
    expect(page.locator("footer a:has-text('接口文档')")).to_be_visible()  # staff see the docs
    page.emulate_media(media="print")  # printable: no navigation or buttons on paper
    assert not page.locator("header.top").is_visible()
    assert page.locator("h2:has-text('部门排名')").is_visible()


def _past_months(count: int) -> list[str]:
    """Months no other test reads (one stack serves the session), for a test closing them."""
    picked = random.sample(range(19 * 12), count)
    return [f"{2001 + n // 12}-{n % 12 + 1:02d}" for n in picked]


def test_the_bureau_closes_a_month_after_confirming_and_reads_who_closed_it(
    console: Any,
) -> None:
    """关账 on the 月通报 page, for the positions the API allows: a confirmation first; a
    refusal in the API's words (a colleague closed the month meanwhile); once closed, the page
    and every line of the CSV name the closer and say 已关账. The current month cannot be closed
    yet; the committee reads the bulletin but is offered no 关账."""
    raced, month = _past_months(2)
    page = console.new_page()
    console.sign_in(page, "bureau", f"/console/bulletin?month={raced}")
    page.get_by_role("button", name="关账", exact=True).click()
    confirm = page.locator("[role=group][aria-label^='关账']")
    expect(confirm).to_contain_text("关账不能撤销")
    with console.api("bureau_staff") as api:  # meanwhile, a colleague
        closed = api.post(f"/api/v1/ratings/reports/monthly/{raced}/close")
        assert closed.status_code == 201, closed.text
    confirm.get_by_role("button", name="确认关账").click()
    expect(confirm.locator(".form-error")).to_have_text(f"无法关账：{raced} 已结账")

    page.goto(f"{console.base}/console/bulletin?month={month}")
    page.get_by_role("button", name="关账", exact=True).click()
    page.get_by_role("button", name="取消").click()  # nothing closed
    expect(page.locator(".kv")).to_contain_text("实时统计，未关账")
    page.get_by_role("button", name="关账", exact=True).click()
    page.get_by_role("button", name="确认关账").click()
    expect(page.locator(".notice.ok")).to_contain_text(f"{month} 已关账")
    expect(page.locator(".kv")).to_contain_text("已关账")
    expect(page.locator(".kv dd").last).to_have_text("王建国")  # 关账人, not an account id
    expect(page.get_by_role("button", name="关账", exact=True)).to_have_count(0)
    with page.expect_download() as info:
        page.click("button:has-text('下载 CSV')")
    header, *lines = Path(info.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert header.endswith(",状态,统计时间,关账人")
    assert lines
    assert all(",已关账," in line and line.endswith(",王建国") for line in lines)

    page.goto(f"{console.base}/console/bulletin")  # this month: not yet
    expect(page.locator(".toolbar")).to_contain_text("本月结束后方可关账")
    console.sign_in(page, "committee", f"/console/bulletin?month={raced}")
    page.wait_for_selector("h2:has-text('部门排名')")
    expect(page.locator(".toolbar button:has-text('关账')")).to_have_count(0)


def test_a_stale_page_says_someone_else_changed_the_case(console: Any) -> None:
    with console.api("operator2") as api:
        body = {
            "type": "help",
            "category_code": "ZJ_PROPERTY",
            "title": f"小区电梯故障{_unique()}",
            "content": "小区电梯停运三天，物业不维修",
        }
        key = {"Idempotency-Key": str(uuid.uuid4())}
        made = api.post("/api/v1/hotline/tickets", json=body, headers=key)
        assert made.status_code == 201, made.text
        ticket = made.json()
        page = console.new_page()
        console.sign_in(page, "operator", f"/console/tickets/{ticket['id']}")
        page.click(".action-buttons button:has-text('派单')")
        # Meanwhile a colleague dispatches the same ticket.
        moved = api.post(
            f"/api/v1/hotline/tickets/{ticket['id']}/dispatch",
            json={"department": "ZJJ"},
            headers={"If-Match": made.headers["etag"]},
        )
        assert moved.status_code == 200, moved.text
    page.select_option(".action-form [name=department]", "SCJGJ")
    page.click(".action-form button:has-text('确认派单')")
    expect(page.locator(".action-form .form-error")).to_have_text(STALE)
    assert page.inner_text(".case-head .tag") == "已派单"  # read again: the colleague's version
    assert "住房和城乡建设局" in page.inner_text("main")
    # and the form as the operator filled it in, not a fresh one
    assert page.locator(".action-form [name=department]").input_value() == "SCJGJ"


TICKETS, PROBLEMS = "/api/v1/hotline/tickets", "/api/v1/visits/problems"


# The bureau's 部门考核 columns, as they read a unit with nothing received, finished or timed.
IDLE_UNIT_ROW = """async () => {
  const { SCORECARD_COLUMNS } = await import("/console/js/pages/home-bureau.js");
  const ratings = { county_good_rate: null, bad: 0, rank: null, flagged: false };
  const card = { department: "FGJ", received: {}, closed: {}, stages: [], on_time_rate: null,
    overdue_now: 0, escalations: {}, ratings };
  return SCORECARD_COLUMNS.map((column) => [column.label, String(column.value(card))]);
}"""


def _wait_for_scorecard(console: Any, department: str, timeout: float = 60.0) -> None:
    """Until the ratings service's scorecards of this month hold ``department``."""
    month = f"{datetime.now(SHANGHAI):%Y-%m}"
    deadline = time.monotonic() + timeout
    with console.api("bureau") as api:
        while time.monotonic() < deadline:
            listed = api.get("/api/v1/ratings/scorecards", params={"month": month})
            assert listed.status_code == 200, listed.text
            if any(c["department"] == department for c in listed.json()["items"]):
                return
            time.sleep(0.25)
    raise AssertionError(f"no scorecard of {department} in {month}")


def test_scorecards_count_a_ticket_from_its_dispatch_and_say_what_their_rate_is(
    console: Any,
) -> None:
    """A ticket waiting for 派单 names no 承办单位 in the operator's queue (its category's
    department has not received it; 部门考核 counts it for the 12345 center). The scorecards'
    rate is that of the timed stages completed in the month, as its column and note say, and
    a unit with none reads "—"."""
    with console.api("operator2") as api:
        body = {
            "type": "complaint",
            "category_code": "SCJG_FOOD",  # the dispatch catalogue leads to 市场监督管理局
            "title": f"餐馆卫生问题{_unique()}",
            "content": "某餐馆后厨卫生条件差，请相关部门核查处理。",
        }
        made = api.post(TICKETS, json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
        assert made.status_code == 201, made.text
    number = made.json()["number"]
    page = console.new_page()
    console.sign_in(page, "operator")
    row = page.locator(f"section:has(h2:has-text('待派单')) tr:has-text('{number}')")
    expect(row).to_be_visible()
    assert "市场监督管理局" not in row.inner_text()
    assert row.locator("td").nth(4).inner_text() == "—"  # 承办单位

    _wait_for_scorecard(console, "HOTLINE_CENTER")  # the ticket counted: the table has rows
    console.sign_in(page, "bureau")
    cards = page.locator("section:has(h2:has-text('部门考核'))")
    expect(cards.locator("th:text-is('环节按时率')")).to_be_visible()
    expect(cards).not_to_contain_text("按时办结率")
    expect(cards.locator(".scorecard-note")).to_contain_text("未派单")
    idle = dict(page.evaluate(IDLE_UNIT_ROW))
    assert (idle["本月受理"], idle["本月办结"], idle["环节按时率"]) == ("0", "0", "—")


def _new_ticket(api: httpx.Client, kind: str, title: str) -> dict[str, Any]:
    body = {
        "type": kind,
        "category_code": "SCJG_FOOD",  # the dispatch catalogue sends it to 市场监督管理局
        "title": title,
        "content": "来电人反映某餐馆后厨卫生条件差，请相关部门核查处理。",
        "requester": {"name": "张三", "phone": "13812345678"},
    }
    made = api.post(TICKETS, json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert made.status_code == 201, made.text
    return dict(made.json())


def _handled_ticket(console: Any) -> dict[str, Any]:
    """派单 → 签收 → 联系 → 回复 → 审核通过: the accepted reply becomes the ticket's answer."""
    with console.api("operator") as operator:
        ticket = _new_ticket(operator, "complaint", f"餐馆卫生问题{_unique()}")
        ticket = _api_act(operator, TICKETS, ticket, "dispatch")
    with console.api("scjg_head") as head:
        ticket = _api_act(head, TICKETS, ticket, "sign")
    with console.api("scjg_staff") as staff:
        ticket = _api_act(staff, TICKETS, ticket, "contact", {"note": "已电话联系来电人"})
        ticket = _api_act(staff, TICKETS, ticket, "reply", {"body": "经核查，已责令该餐馆整改。"})
    with console.api("hotline_head") as center:
        ticket = _api_act(center, TICKETS, ticket, "review", {"approve": True})
    assert (ticket["status"], ticket["outcome"]) == ("closed", "resolved"), ticket
    return ticket


def _solved_problem(console: Any) -> dict[str, Any]:
    """登记 → 交办 → 签收 → 联系 → 提出方案 → 办结: five clocks done, the enterprise's
    confirmation running."""
    with console.api("enterprise") as center:
        listed = center.get("/api/v1/visits/enterprises", params={"limit": 1})
        assert listed.status_code == 200, listed.text
        body = {
            "enterprise_id": listed.json()["items"][0]["id"],
            "title": f"厂区用电增容审批慢{_unique()}",
            "description": "企业扩建需要用电增容，申请一个月未答复。",
        }
        made = center.post(PROBLEMS, json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
        assert made.status_code == 201, made.text
        problem = _api_act(center, PROBLEMS, made.json(), "assign", {"department": "SCJGJ"})
    with console.api("scjg_head") as head:
        problem = _api_act(head, PROBLEMS, problem, "sign")
    with console.api("scjg_staff") as staff:
        problem = _api_act(staff, PROBLEMS, problem, "contact", {"channel": "phone"})
        problem = _api_act(staff, PROBLEMS, problem, "propose", {"proposal": "协调供电所办理。"})
        problem = _api_act(staff, PROBLEMS, problem, "solve", {"resolution": "已完成增容。"})
    assert problem["state"] == "solved", problem
    return problem


def _stage_rows(page: Any) -> dict[str, tuple[str, str, str, bool]]:
    """The clocks table: stage → (状态, 时限, 完成时间, has a live countdown)."""
    rows = page.locator("section:has(h2:has-text('计时环节')) tbody tr")
    expect(rows).not_to_have_count(0)
    out = {}
    for row in rows.all():
        cells = [t.strip() for t in row.locator("td").all_inner_texts()]
        out[cells[0]] = (cells[1], cells[2], cells[3], row.locator("[data-due]").count() > 0)
    return out


APPLICATIONS = "/api/v1/approvals/applications"


def _approved_food_licence(console: Any) -> dict[str, Any]:
    """A food licence taken in at the county hall, 受理'd, and approved (准予许可) by 市场监管局."""
    with console.api("hall_head") as hall:
        found = hall.get("/api/v1/approvals/items", params={"q": "食品经营许可"}).json()["items"]
        [item] = [i for i in found if i["name"] == "食品经营许可"]
        body = {
            "item": item["code"],
            "hall_code": "HALL_COUNTY",
            "window_code": "W01",
            "applicant": {"name": "李四", "phone": "13912345678"},
            "materials": [m["name"] for m in item["materials"]],
        }
        made = hall.post(APPLICATIONS, json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
        assert made.status_code == 201, made.text
        application = _api_act(hall, APPLICATIONS, made.json(), "accept")
    with console.api("scjg_staff") as staff:
        return _api_act(staff, APPLICATIONS, application, "approve")


def test_a_licence_ready_at_the_window_stops_its_delivery_clock(console: Any) -> None:
    """After 准予许可 the application counts down its delivery limit (送达, 行政许可法 art. 44)
    and states it; 通知领取 stops that clock: no countdown, and when the applicant was told."""
    application = _approved_food_licence(console)
    page = console.new_page()
    console.sign_in(page, "clerk", f"/console/applications/{application['id']}")
    assert _buttons(page) == ["通知领取", "送达"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} 24:00", _fact(page, "送达时限"))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} 24:00", _fact(page, "承诺办结时限"))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", _fact(page, "决定时间"))
    expect(page.locator(".case-head [data-due]")).to_have_count(1)
    _act(page, "通知领取")
    page.wait_for_selector("text=已完成：通知领取")
    assert _buttons(page) == ["送达"]
    expect(page.locator(".case-head [data-due]")).to_have_count(0)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", _fact(page, "通知领取时间"))
    console.shot(page, "application-ready-for-pickup")


SEAL, TAX = "公章刻制备案", "税务登记及发票申领"  # both ask 营业执照副本 and 法定代表人身份证明


def _seal_and_tax_package(console: Any) -> tuple[str, str]:
    """A package the admin bundles with no list of its own (its items' materials apply); the
    demo clerk 周静 (ZW2001) seated at W01. Its code and name."""
    code, name = f"HALL_{_unique().upper()}", f"刻章办税一件事{_unique()}"
    with console.api("admin") as admin:
        codes = []
        for item in (SEAL, TAX):
            found = admin.get("/api/v1/approvals/items", params={"q": item}).json()["items"]
            codes += [i["code"] for i in found if i["name"] == item]
        body = {"code": code, "name": name, "lead_department": "GAJ", "item_codes": codes}
        made = admin.post(
            "/api/v1/approvals/packages", json=body, headers={"Idempotency-Key": str(uuid.uuid4())}
        )
        assert made.status_code == 201, made.text
    with console.api("hall_head") as head:
        window = "/api/v1/approvals/halls/HALL_COUNTY/windows/W01/clerks"
        assert head.put(window, json={"staff_nos": ["ZW2001"]}).is_success
    return code, name


def test_a_clerk_takes_in_a_package_missing_a_material_for_postal_delivery(console: Any) -> None:
    """一件事一次办 at the window: the clerk picks a package and sees its items and one list
    of materials (a material both items need, once); she ticks what was handed in, and the
    one left out becomes the 补正 notice (一次性告知); the applicant's postal choice and
    address are recorded, the address shown masked until she asks for it (audited)."""
    code, name = _seal_and_tax_package(console)
    page = console.new_page()
    console.sign_in(page, "clerk")
    form = page.locator("form[aria-label=收件登记]")
    form.wait_for()
    page.select_option("#f-kind", "package")
    page.select_option("#f-package", code)
    materials = form.locator("fieldset[aria-label=收到的材料]")
    expect(materials).to_contain_text("公安局")  # the package's items and their departments
    expect(materials.locator("[data-material]")).to_have_count(4)
    shared = materials.locator("tbody tr", has_text="营业执照副本")
    expect(shared.locator("td[data-label=用于事项]")).to_have_text(f"{SEAL}、{TAX}")
    for material in ("营业执照副本", "法定代表人身份证明", "纳税人首次办税补充信息表"):
        page.get_by_label(f"已收到：{material}").check()
    expect(materials.get_by_role("status")).to_contain_text("缺少必需材料 1 项：印章刻制申请表")
    page.select_option("#f-window_code", "W01")
    page.select_option("#f-type", "legal_person")
    page.fill("#f-name", "张三")
    page.fill("#f-phone", "13812345678")
    page.fill("#f-enterprise_name", "凤冈县锌硒茶业有限公司")
    page.fill("#f-uscc", "91350100M000100Y43")
    expect(page.locator("#f-postal_address")).to_be_hidden()  # asked only for a postal delivery
    page.select_option("#f-delivery_method", "postal")
    page.fill("#f-postal_address", "贵州省遵义市凤冈县龙泉镇新街12号")
    console.shot(page, "hall-package-intake")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=收件成功")

    assert page.inner_text(".case-head .tag") == "待补正"
    assert _fact(page, "事项").startswith(name)
    assert _fact(page, "待补正材料") == "印章刻制申请表"
    assert _fact(page, "送达方式") == "免费邮寄"
    assert _fact(page, "邮寄地址") == "贵州省遵义市" + "*" * 11
    parts = page.locator("section:has(h2:has-text('一件事一次办')) tbody tr")
    expect(parts).to_have_count(2)  # one application, each item decided by its department
    assert "补正材料接收" in _buttons(page)
    assert "一次性告知补正" not in _buttons(page)  # given at 收件: one notice, all at once
    page.click("button:has-text('查看完整联系信息')")
    contact = page.locator("section:has(h2:has-text('申请人联系信息'))")
    expect(contact).to_contain_text("贵州省遵义市凤冈县龙泉镇新街12号")
    expect(contact).to_contain_text("本次查看已记入审计日志")
    console.shot(page, "hall-package-awaiting-materials")
    application = page.url.rsplit("/", 1)[-1]
    with console.api("clerk") as clerk:
        made = clerk.get(f"{APPLICATIONS}/{application}").json()
    assert (made["package"], made["item_code"], made["delivery_method"]) == (True, code, "postal")
    assert made["materials_received"] == sorted(
        ["营业执照副本", "法定代表人身份证明", "纳税人首次办税补充信息表"]
    )

    page.click(".action-buttons button:has-text('补正材料接收')")  # the applicant brings it
    page.locator(".action-form").get_by_label("印章刻制申请表").check()
    page.click(".action-form button:has-text('确认补正材料接收')")
    page.wait_for_selector("text=已完成：补正材料接收")
    assert page.inner_text(".case-head .tag") == "已收件"
    expect(page.locator("dl.kv dt:text-is('待补正材料')")).to_have_count(0)
    assert "受理" in _buttons(page)


def test_closed_work_reads_as_closed_answers_and_finished_clocks(console: Any) -> None:
    """A ticket closed on the department's accepted reply is not a 直接答复 (an answer from the
    knowledge base at intake); a problem's finished clocks (the visits service says `status`,
    no completion time) show their limit, not a countdown, and every stage has its name."""
    handled = _handled_ticket(console)
    with console.api("operator") as operator:
        direct = _new_ticket(operator, "consult", f"食品经营许可咨询{_unique()}")
        answer = {"answer": "食品经营许可在政务服务中心市场监管窗口办理。"}
        direct = _api_act(operator, TICKETS, direct, "answer", answer)
    problem = _solved_problem(console)

    page = console.new_page()
    console.sign_in(page, "bureau", f"/console/tickets/{handled['id']}")  # reads all three
    page.wait_for_selector(".case-head")
    assert _fact(page, "办理答复") == "经核查，已责令该餐馆整改。"
    expect(page.locator("dl.kv dt:text-is('直接答复')")).to_have_count(0)
    page.goto(f"{console.base}/console/tickets/{direct['id']}")
    page.wait_for_selector(".case-head")
    assert _fact(page, "直接答复") == answer["answer"]

    page.goto(f"{console.base}/console/problems/{problem['id']}")
    page.wait_for_selector(".case-head")
    stages = _stage_rows(page)
    assert set(stages) == {"签收", "联系", "提出方案", "解决", "月度进展", "企业确认"}, stages
    for name in ("签收", "联系", "提出方案", "解决", "月度进展"):
        state, due, completed, counting = stages[name]
        assert (state, counting) == ("已完成", False), (name, stages[name])
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", due), (name, due)
    state, due, completed, counting = stages["企业确认"]
    assert (state, completed, counting) == ("计时中", "—", True), stages["企业确认"]
    assert due.startswith("剩余")
    console.shot(page, "problem-detail")


SESSION_KEY = "ys.console.session"  # where the console keeps the tokens of this tab


def _break_access_token(page: Any) -> dict[str, Any]:
    session: dict[str, Any] = page.evaluate(f"JSON.parse(sessionStorage.getItem('{SESSION_KEY}'))")
    broken = {**session, "access": "not-a-token"}
    page.evaluate(f"s => sessionStorage.setItem('{SESSION_KEY}', JSON.stringify(s))", broken)
    return session


def test_a_refused_token_is_refreshed_then_an_ended_session_returns_to_login(
    console: Any,
) -> None:
    page = console.new_page()
    console.sign_in(page, "operator")
    _break_access_token(page)
    page.reload()  # the API answers 401; the refresh token gets a new access token
    page.wait_for_selector("main h1:has-text('12345热线工作台')")
    _settled(page)
    assert page.locator(".state.error").count() == 0

    session = _break_access_token(page)
    form = {"refresh_token": session["refresh"]}  # logged out elsewhere: refresh refused too
    assert page.request.post(f"{console.base}/auth/logout", form=form).status == 204
    page.reload()
    page.wait_for_url("**/console/login**")
    expect(page.locator("main")).to_contain_text("登录已过期")


ROLE_HOMES = [
    ("operator", "home-hotline-operator", "12345热线工作台"),
    ("hotline_head", "home-hotline-head", "待审核"),
    ("scjg_head", "home-department-head", "待签收"),
    ("scjg_staff", "home-department-staff", "待办理"),
    ("clerk", "home-hall-clerk", "今日预约"),
    ("hall_head", "home-hall-head", "窗口人员安排"),
    ("complaints", "home-complaints-center", "待受理"),
    ("enterprise", "home-enterprise-center", "挂帮企业"),
    ("bureau", "home-bureau", "督办级别分布"),
    ("committee_head", "home-committee", "部门考核"),
    ("admin", "home-admin", "时限政策"),
]


def _settled(page: Any) -> None:
    """Every section has answered (no loading state left)."""
    expect(page.locator(".state.loading")).to_have_count(0)


def test_every_role_home_page_renders_in_chinese(console: Any) -> None:
    """One tab signing in and out through the login form (the console's modules load once:
    signing in each in a new tab would load them all again)."""
    page = console.new_page()
    for username, name, heading in ROLE_HOMES:
        console.login(page, username)
        page.wait_for_selector(f"main :text('{heading}')")
        _settled(page)
        console.shot(page, name)
        errors = page.locator(".state.error").all_inner_texts()
        assert errors == [], (username, errors)
        console.logout(page)
    page.set_viewport_size(TABLET)  # the bureau's home (charts, wide tables) on a tablet
    console.login(page, "bureau")
    page.wait_for_selector("main :text('督办级别分布')")
    _settled(page)
    _no_sideways_scroll(page, "home-bureau-tablet")
    console.shot(page, "home-bureau-tablet")
    console.logout(page)
    page.set_viewport_size(DESKTOP)
    console.login(page, "gsl_chair")  # 交叉挂职: two positions, pick one
    page.wait_for_selector("text=请选择本次办理业务的岗位")
    console.shot(page, "positions")
    page.click("button.position:has-text('营商环境建设局')")
    page.wait_for_selector("text=督办级别分布")
    assert "营商环境建设局" in page.inner_text("header .user-position")
    # every API call says which post the chairman acts in: the services narrow to it
    with page.expect_request(lambda r: "/api/v1/ratings/" in r.url) as seen:
        page.reload()
    assert seen.value.headers.get("x-acting-position") == "BUREAU/staff"


PUBLIC_PAGES = [  # (screenshot, navigation link, heading); the portal links to each
    ("public-hotline", "12345诉求", "网上诉求"),
    ("public-complaint", "涉企投诉", "侵权投诉"),
    ("public-track", "办件查询", "办件查询"),
    ("public-catalog", "服务事项", "事项目录"),
    ("public-disclosure", "四公开", "四公开"),
]


def _no_sideways_scroll(page: Any, name: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
    assert overflow <= 0, (name, overflow)


def _department_codes(console: Any) -> set[str]:
    listed = console.http.get("/api/v1/public/departments")
    assert listed.status_code == 200, listed.text
    return {d["code"] for d in listed.json()}


def _no_department_codes(page: Any, codes: set[str], name: str) -> None:
    """Public pages name departments (市场监督管理局), never by their codes (SCJGJ)."""
    cells = page.locator("main td, main dd, main summary").all_inner_texts()
    shown = {part.strip() for cell in cells for part in re.split(r"[、，,\s]+", cell)}
    assert not shown & codes, (name, sorted(shown & codes))


def _visit_public_pages(
    console: Any, page: Any, size: dict[str, int], suffix: str, names: set[str]
) -> None:
    """The portal at ``size``, then each named page through the navigation, checked and
    captured."""
    codes = _department_codes(console)
    page.set_viewport_size(size)
    page.goto(f"{console.base}/console/public")
    page.wait_for_selector("main .tiles")
    console.shot(page, "public-portal" + suffix)
    for name, link, heading in PUBLIC_PAGES:
        if name not in names:
            continue
        page.click(f"header nav a:has-text('{link}')")
        page.wait_for_selector(f"main h1:has-text('{heading}')")
        _settled(page)
        assert page.locator(".state.error").count() == 0, name
        _no_sideways_scroll(page, name + suffix)
        _no_department_codes(page, codes, name + suffix)
        console.shot(page, name + suffix)


def test_every_public_page_renders_at_desktop_and_tablet_width(console: Any) -> None:
    missing = console.http.get("/console/js/no-such-module.js")
    assert missing.status_code == 404  # only page paths fall back to the app, never assets
    page = console.new_page()
    _visit_public_pages(console, page, DESKTOP, "", {name for name, _, _ in PUBLIC_PAGES})
    for staff_only in ("接口文档", "事件目录"):  # no API docs in the citizens' footer
        expect(page.locator(f"footer a:has-text('{staff_only}')")).to_be_hidden()
    page.click("header nav a:has-text('服务事项')")
    page.wait_for_selector("main td")
    assert "市场监督管理局" in page.inner_text("main")  # the 实施部门 column
    _visit_public_pages(console, page, TABLET, "-tablet", {"public-hotline", "public-catalog"})
    page.click("main a:has-text('营业执照')")  # a catalog item's page
    page.wait_for_selector("h2:has-text('申请材料')")
    _no_sideways_scroll(page, "public-catalog-item-tablet")
    _no_department_codes(page, _department_codes(console), "public-catalog-item-tablet")
    console.shot(page, "public-catalog-item-tablet")
    page.goto(f"{console.base}/console/public/disclosure?tab=powers")
    page.wait_for_selector("a.current:has-text('权责清单')")
    _settled(page)
    console.shot(page, "public-disclosure-powers-tablet")
    page.goto(f"{console.base}/console/public/kiosk?window=HALL_COUNTY/W01")
    page.wait_for_selector("input[name=code]")
    assert "综合受理窗口1" in page.inner_text("main header")
    console.shot(page, "public-kiosk-tablet")


def test_a_citizen_submits_a_request_and_tracks_it(console: Any) -> None:
    page = console.new_page({"width": 768, "height": 1024})
    page.goto(f"{console.base}/console/public/hotline")
    page.select_option("#f-type", "suggestion")
    page.fill("#f-title", f"建议增加公交班次{_unique()}")
    page.fill("#f-content", "早高峰公交车太挤，建议增加班次。")
    page.check("input[name=anonymous]")
    page.click("main form button[type=submit]")
    done = page.wait_for_selector("text=诉求已提交")
    receipt = done.evaluate("e => e.closest('.notice').innerText")
    number, code = re.findall(r"[:：]\s*(\S+)", receipt)[:2]
    page.click("text=去查询进度")
    page.fill("#f-number", number)
    page.fill("#f-query_code", code)
    page.click("main form button[type=submit]")
    page.wait_for_selector("h2:has-text('查询结果')")
    assert "已受理" in page.inner_text("main")
    console.shot(page, "public-track-result")


COUNT_ON_THE_CALENDAR = """async () => {
  const calendar = await import("/console/js/calendar.js");
  const format = await import("/console/js/format.js");
  await calendar.loadCalendar("2026-12-01", 120);
  const count = (due, now) => {
    const at = Date.parse(now);
    const days = format.workingDaysUntil(due, at);
    return [days, format.countdown(due, at).text, format.calendarKnown(due, at)];
  };
  return {
    newYear: count("2027-01-05T16:00:00Z", "2026-12-30T02:00:00Z"),
    springFestival: count("2027-02-17T16:00:00Z", "2027-02-05T02:00:00Z"),
    unpublished: count("2028-03-01T16:00:00Z", "2028-02-01T02:00:00Z"),
    dueShown: [format.dueTime("2027-01-05T16:00:00Z"), format.dueTime("2027-01-05T08:30:00Z")],
  };
}"""

# How late a case is, on the same calendar: due 2026-09-29 24:00 (a Tuesday), across the
# National Day week; the page loaded as every console page is (a year back from today).
COUNT_LATE = """async () => {
  const calendar = await import("/console/js/calendar.js");
  const format = await import("/console/js/format.js");
  await calendar.loadCalendar("2026-09-01", 120);
  const due = "2026-09-29T16:00:00Z";
  const late = (now) => format.countdown(due, Date.parse(now)).text;
  const counted = {
    sameNight: late("2026-09-30T13:30:00Z"),
    afterTheHolidays: late("2026-10-08T02:00:00Z"),
    bulletin: late("2026-10-13T02:00:00Z"),
    walked: late("2026-11-28T14:00:00Z"),
  };
  await calendar.loadClockCalendar(format.today());
  const yearAgo = new Date(Date.now() - 300 * 86_400_000).toISOString();
  return { ...counted, yearAgo: format.countdown(yearAgo) };
}"""


def test_countdowns_count_working_days_on_the_county_calendar(console: Any) -> None:
    """The stack loads a county holiday file for 2027; the console's countdown counts with it
    (the gateway's public calendar), as the services count deadlines."""
    page = console.new_page()
    page.goto(f"{console.base}/console/public")
    page.wait_for_selector("main .tiles")
    counted = page.evaluate(COUNT_ON_THE_CALENDAR)
    # From Wednesday 30 Dec to the end of Tuesday 5 Jan: 31 Dec, 4 and 5 Jan (元旦 1 Jan off).
    assert counted["newYear"] == [3, "剩余 3 个工作日", True]
    # From Friday 5 Feb to the end of Wednesday 17 Feb: Saturday 6 Feb is a make-up working
    # day, 7–13 Feb are 春节, then 15–17 Feb (Monday–Friday alone would say 8).
    assert counted["springFestival"] == [4, "剩余 4 个工作日", True]
    # 2028 has no holiday file: Monday–Friday, and the countdown says it is an estimate.
    assert counted["unpublished"][2] is False
    # a limit ending at midnight ends at 24:00 of its last day, as people write it
    assert counted["dueShown"] == ["2027-01-05 24:00", "2027-01-05 16:30"]
    late = page.evaluate(COUNT_LATE)
    # under one whole working day late: hours, as the time left is shown
    assert late["sameNight"] == "已超时 21:30:00"
    # 30 Sep worked; 1–7 Oct 国庆 off: one working day late, not 8 days 10 hours
    assert late["afterTheHolidays"] == "已超时 1 个工作日"
    # 30 Sep, 8, 9, 10 (a make-up Saturday) and 12 Oct: five, when the 通报 is due
    assert late["bulletin"] == "已超时 5 个工作日"
    # the walkthrough's ticket at 22:00 on 28 Nov (59 days 22 hours): 39 working days
    assert late["walked"] == "已超时 39 个工作日"
    # a page counts on the county calendar a year back (no Monday–Friday estimate)
    assert re.fullmatch(r"已超时 \d+ 个工作日", late["yearAgo"]["text"]), late
    assert (late["yearAgo"]["tone"], late["yearAgo"]["note"]) == ("danger", ""), late
