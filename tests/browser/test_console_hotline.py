"""The hotline in the console, as a new user found it: the center and the bureau read the
statistics on a page of their own (grouping, date range, Chinese columns, the first round's
on-time rates and the reopened tickets' latest round beside them, a chart, an empty state and
the problem of a reversed range in Chinese); 归档 is offered on a closed ticket only
when the service would take it (no 回访 possible, or its time has run out); a reopened
ticket's clocks say their round, the current one first and the earlier muted."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

import httpx
from playwright.sync_api import expect

from yingshang.clock import SHANGHAI
from yingshang.testing.steps import post_step

TICKETS = "/api/v1/hotline/tickets"
# Three tables (stats.js: none wide enough to scroll sideways): handling with the first round's
# on-time rates, the latest round of the reopened tickets beside them, then the 回访.
STATS_HEADERS = [
    "诉求类型", "受理量", "办结量", "签收按时率（首轮）", "联系按时率（首轮）",
    "办理按时率（首轮）", "反馈按时率（首轮）", "回访按时率（首轮）", "平均办结用时（工作日）",
    "诉求类型", "重办量", "签收按时率（重办）", "联系按时率（重办）", "办理按时率（重办）",
    "反馈按时率（重办）", "回访按时率（重办）",
    "诉求类型", "回访量", "满意度均值（首次回访）", "好评率（首次回访）",
    "最终好评率（最近回访）",
]  # fmt: skip


def _unique() -> str:
    return uuid.uuid4().hex[:8]


def _act(api: httpx.Client, ticket: dict[str, Any], action: str, body: Any = None) -> Any:
    return post_step(api, f"{TICKETS}/{ticket['id']}", action, body)


def _taken(console: Any, body: dict[str, Any], then: str | None = None, step: Any = None) -> Any:
    """A ticket the operator takes (through the API), and its next step by the operator."""
    with console.api("operator") as operator:
        made = operator.post(TICKETS, json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
        assert made.status_code == 201, made.text
        return _act(operator, made.json(), then, step) if then else made.json()


def _answered_consult(console: Any, **requester: Any) -> Any:
    """A 咨询 the operator answers at intake: closed, its 回访 clock running."""
    body = {
        "type": "consult",
        "category_code": "SCJG_FOOD",
        "title": f"食品经营许可咨询{_unique()}",
        "content": "来电人咨询开办小餐馆需要办理哪些许可。",
        "requester": requester or {"name": "王先生", "phone": "13800138000"},
    }
    return _taken(console, body, "answer", {"answer": "请到政务服务中心市场监管窗口办理。"})


def _reopened_and_signed_again(console: Any) -> None:
    """A 咨询 the requester was not satisfied with, reopened, dispatched and signed again: its
    second round has a 签收 with an outcome (on time)."""
    ticket = _answered_consult(console)
    with console.api("operator") as operator:
        ticket = _act(operator, ticket, "revisit", {"level": 1, "comment": "答复不准确"})
    with console.api("hotline_head") as head:
        ticket = _act(head, ticket, "reopen", {"reason": "群众不满意，重新办理"})
    with console.api("operator") as operator:
        ticket = _act(operator, ticket, "dispatch")
    with console.api("scjg_head") as department:
        _act(department, ticket, "sign")


def _buttons(page: Any) -> list[str]:
    page.wait_for_selector(".case-head")
    return [t.strip() for t in page.locator(".action-buttons button").all_inner_texts()]


def _show(page: Any, by: str, start: str, end: str) -> None:
    page.select_option("form[aria-label=统计条件] [name=by]", by)
    page.fill("form[aria-label=统计条件] [name=from]", start)
    page.fill("form[aria-label=统计条件] [name=to]", end)
    page.click("form[aria-label=统计条件] button[type=submit]")


def test_the_center_and_the_bureau_read_the_hotline_statistics(console: Any) -> None:
    ticket = _answered_consult(console)
    with console.api("operator") as operator:
        _act(operator, ticket, "revisit", {"level": 5})  # the 好差评 rating of the ticket
    _reopened_and_signed_again(console)

    page = console.new_page()
    console.sign_in(page, "hotline_head")
    page.click("main a:has-text('热线统计')")  # from the center's home
    page.wait_for_selector("main h1:has-text('12345热线统计')")
    expect(page.locator("main table").first).to_be_visible()
    headers = [t.strip() for t in page.locator("main thead th").all_inner_texts()]
    assert headers == STATS_HEADERS
    consult = page.locator("main tbody tr").filter(
        has=page.get_by_role("cell", name="咨询", exact=True)
    )
    cells = [t.strip() for t in consult.first.locator("td").all_inner_texts()]
    assert int(cells[1]) >= 1  # received
    assert int(cells[2]) >= 1  # closed
    assert re.fullmatch(r"\d+\.\d%", cells[5]), cells  # 办理按时率（首轮）, a percentage
    reopened = [t.strip() for t in consult.nth(1).locator("td").all_inner_texts()]
    assert int(reopened[1]) >= 1, reopened  # 重办量
    assert re.fullmatch(r"\d+\.\d%", reopened[2]), reopened  # 签收按时率（重办）
    revisits = [t.strip() for t in consult.nth(2).locator("td").all_inner_texts()]
    assert re.fullmatch(r"\d+\.\d%", revisits[3]), revisits  # 好评率（首次回访）
    note = page.locator("main p.muted", has_text="首轮按时率")
    expect(note).to_contain_text("最近一轮另计为重办按时率，不计入首轮")
    assert page.locator("main figure.chart svg").count() == 2
    console.shot(page, "hotline-stats")

    year = datetime.now(SHANGHAI).year
    _show(page, "department", f"{year - 1}-01-01", f"{year}-12-31")
    page.wait_for_url(re.compile(r"by=department"))
    expect(page.locator("main thead th").first).to_have_text("承办单位")
    expect(page.locator("main tbody").first).to_contain_text("市场监督管理局")  # a name, not SCJGJ

    _show(page, "month", "2001-01-01", "2001-01-31")  # nothing received then
    expect(page.locator("main .state.empty")).to_contain_text("所选期间没有受理的工单")
    expect(page.locator("main table")).to_have_count(0)

    _show(page, "type", "2026-12-01", "2026-11-01")  # ends before it starts
    expect(page.locator("main .state.error")).to_contain_text("结束时间不晚于开始时间")
    console.shot(page, "hotline-stats-reversed-range")

    console.sign_in(page, "bureau")
    page.click("main a:has-text('查看12345热线统计')")  # from the bureau's home
    page.wait_for_selector("main h1:has-text('12345热线统计')")
    expect(page.locator("main table").first).to_be_visible()
    expect(page.locator("header nav a:has-text('热线统计')")).to_have_count(1)

    console.sign_in(page, "scjg_head")  # a handling department reads no hotline statistics
    page.wait_for_selector("main h1")
    expect(page.locator("header nav a:has-text('热线统计')")).to_have_count(0)


def test_archive_is_offered_before_the_revisit_only_when_none_can_be_made(console: Any) -> None:
    callable_ticket = _answered_consult(console)  # the requester left a number
    anonymous = _answered_consult(console, anonymous=True)  # no number to call back

    page = console.new_page()
    console.sign_in(page, "hotline_head", f"/console/tickets/{callable_ticket['id']}")
    assert _buttons(page) == ["回访"]  # no 归档 before the 回访
    with console.api("hotline_head") as head:
        listed = head.get(f"{TICKETS}/{callable_ticket['id']}").json()["actions"]
    assert "archive" not in listed

    page.goto(f"{console.base}/console/tickets/{anonymous['id']}")
    assert _buttons(page) == ["回访", "归档"]
    page.click(".action-buttons button:has-text('归档')")
    reason = page.locator(".action-form textarea[name=note]")
    assert reason.get_attribute("required") is not None  # the reason no 回访 was made
    expect(page.locator(".action-form")).to_contain_text("未回访原因")
    reason.fill("匿名来电，未留联系电话，无法回访")
    page.click(".action-form button:has-text('确认归档')")
    page.wait_for_selector("text=已完成：归档")
    assert page.inner_text(".case-head .tag") == "已归档"


def test_a_reopened_ticket_marks_the_round_of_each_clock(console: Any) -> None:
    ticket = _answered_consult(console)
    with console.api("operator") as operator:
        ticket = _act(operator, ticket, "revisit", {"level": 1, "comment": "答复不准确"})
    with console.api("hotline_head") as head:
        ticket = _act(head, ticket, "reopen", {"reason": "群众不满意，重新办理"})
    with console.api("operator") as operator:
        ticket = _act(operator, ticket, "dispatch")
    assert [(s["stage"], s["round"]) for s in ticket["stages"]] == [
        ("handle", 1), ("revisit", 1), ("handle", 2), ("sign", 2)
    ]  # fmt: skip

    page = console.new_page()
    console.sign_in(page, "hotline_head", f"/console/tickets/{ticket['id']}")
    clocks = page.locator("section:has(h2:has-text('计时环节'))")
    expect(clocks.locator("thead th").nth(1)).to_have_text("轮次")
    rows = clocks.locator("tbody tr")
    expect(rows).to_have_count(4)
    seen = [[t.strip() for t in row.locator("td").all_inner_texts()[:3]] for row in rows.all()]
    assert seen == [
        ["办理", "第 2 轮（本轮）", "计时中"],
        ["签收", "第 2 轮（本轮）", "计时中"],
        ["办理", "第 1 轮", "已完成"],
        ["回访", "第 1 轮", "已完成"],
    ], seen  # the current round first
    muted = [row.get_attribute("class") == "earlier-round" for row in rows.all()]
    assert muted == [False, False, True, True]
    console.shot(page, "hotline-ticket-reopened-rounds")


def test_the_dispatch_form_offers_only_active_departments(console: Any) -> None:
    """A department deactivated at the gateway (撤并) keeps its name on old tickets but is not
    offered for a new dispatch (the service would refuse it: inactive-department)."""
    code = f"CB{_unique().upper()}"
    name = f"已撤并单位{code}"
    with console.api("admin") as admin:
        made = admin.post(
            "/api/v1/admin/departments",
            json={"code": code, "name": name, "kind": "department"},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        assert made.status_code == 201, made.text
        gone = admin.patch(f"/api/v1/admin/departments/{code}", json={"active": False})
        assert gone.status_code == 200, gone.text
    body = {
        "type": "help",
        "category_code": "ZJ_PROPERTY",
        "title": f"小区路灯不亮{_unique()}",
        "content": "小区路灯损坏一个月无人维修",
    }
    ticket = _taken(console, body)
    page = console.new_page()
    console.sign_in(page, "operator", f"/console/tickets/{ticket['id']}")
    page.click(".action-buttons button:has-text('派单')")
    offered = page.locator(".action-form [name=department] option").all_inner_texts()
    assert "住房和城乡建设局" in offered
    assert name not in offered


def test_the_center_head_finds_an_extension_request_and_a_lapsed_one_reads_so(
    console: Any,
) -> None:
    """A department head's 申请延期 is in the center head's 待审核 list on the 工作台, saying
    延期申请 and the days asked; left undecided until the ticket is closed, it reads as lapsed."""
    body = {
        "type": "help",
        "category_code": "SCJG_FOOD",
        "title": f"餐馆油烟扰民{_unique()}",
        "content": "楼下餐馆油烟直排，多次反映未解决。",
        "requester": {"name": "李女士", "phone": "13900139000"},
    }
    ticket = _taken(console, body, "dispatch")
    with console.api("scjg_head") as department:
        ticket = _act(department, ticket, "sign")
        ticket = _act(department, ticket, "extension", {"days": 3, "reason": "需委托检测"})

    page = console.new_page()
    console.sign_in(page, "hotline_head")
    review = page.locator("section:has(h2:has-text('待审核'))")
    row = review.locator(f"tbody tr:has-text('{ticket['number']}')")
    expect(row).to_contain_text("延期申请（3 个工作日）")
    expect(review.locator("thead")).to_contain_text("待审核事项")

    with console.api("scjg_head") as department:
        ticket = _act(department, ticket, "contact", {"note": "已电话联系"})
        ticket = _act(department, ticket, "reply", {"body": "经核查，已责令安装油烟净化设施。"})
    with console.api("hotline_head") as head:
        ticket = _act(head, ticket, "review", {"approve": True})
    page.goto(f"{console.base}/console/tickets/{ticket['id']}")
    page.wait_for_selector(".case-head")
    expect(page.locator("main")).to_contain_text("未经审核，已失效（3 个工作日）")
    expect(page.locator("main")).not_to_contain_text("已申请")
    page.close()


def test_the_lead_department_reads_the_phone_in_full_giving_a_reason(console: Any) -> None:
    """The department must 联系 the requester within 1 working day: 查看完整号码 asks for a
    reason and shows the number; the phone of a confidential requester offers no such button."""
    made = []
    for requester in (
        {"name": "赵先生", "phone": "13700137000"},
        {"name": "钱女士", "phone": "13600136000", "confidential": True},
    ):
        body = {
            "type": "help",
            "category_code": "SCJG_FOOD",
            "title": f"超市售卖过期食品{_unique()}",
            "content": "附近超市货架上有过期食品。",
            "requester": requester,
        }
        made.append(_taken(console, body, "dispatch"))
    plain, secret = made

    page = console.new_page()
    console.sign_in(page, "scjg_head", f"/console/tickets/{plain['id']}")
    page.wait_for_selector(".case-head")
    facts = page.locator("dl.kv")
    expect(facts).to_contain_text("137****7000")
    page.click("button:has-text('查看完整号码')")
    form = page.locator("form[aria-label=查看完整号码]")
    expect(form.locator("textarea[name=reason]")).to_have_attribute("required", "")
    form.locator("textarea[name=reason]").fill("签收后电话联系诉求人")
    form.locator("button:has-text('确认查看')").click()
    expect(facts).to_contain_text("13700137000")
    expect(facts).to_contain_text("本次查看已记入审计日志")

    page.goto(f"{console.base}/console/tickets/{secret['id']}")
    page.wait_for_selector(".case-head")
    expect(page.locator("dl.kv")).to_contain_text("诉求人要求保密")
    expect(page.locator("button:has-text('查看完整号码')")).to_have_count(0)
    page.close()


def _listed_clock(page: Any, section: str, number: str) -> Any:
    """The 时限 cell of a ticket's row in a home page's list."""
    row = page.locator(f"section:has(h2:has-text('{section}')) tbody tr:has-text('{number}')")
    expect(row).to_have_count(1)
    return row.locator(".due")


def test_the_header_counts_the_limit_due_first(console: Any) -> None:
    """A department head reads the limit it must meet next: 签收 while the ticket waits for
    签收, then 联系 (one working day), not the 办理 limit days away — on the ticket's page and
    in the home page's lists (待签收, 待办理) alike."""
    body = {
        "type": "help",
        "category_code": "SCJG_FOOD",
        "title": f"菜市场秤不准{_unique()}",
        "content": "菜市场有摊贩使用不准的秤。",
        "requester": {"name": "孙先生", "phone": "13500135000"},
    }
    ticket = _taken(console, body, "dispatch")
    page = console.new_page()
    try:
        console.sign_in(page, "scjg_head", f"/console/tickets/{ticket['id']}")
        clock = page.locator(".case-head .head-clock")
        expect(clock).to_contain_text("签收时限：")
        signing = clock.locator("[data-due]").get_attribute("data-due")
        page.goto(f"{console.base}/console/home")
        listed = _listed_clock(page, "12345 待签收", ticket["number"])
        expect(listed).to_contain_text("签收 ")
        assert listed.locator("[data-due]").get_attribute("data-due") == signing
        assert signing != ticket["due_at"]  # the 办理 limit runs from receipt, days away

        with console.api("scjg_head") as department:
            _act(department, ticket, "sign")
        page.goto(f"{console.base}/console/tickets/{ticket['id']}")
        expect(clock).to_contain_text("联系时限：")
        contact = clock.locator("[data-due]").get_attribute("data-due")
        page.goto(f"{console.base}/console/home")
        listed = _listed_clock(page, "12345 待办理", ticket["number"])
        expect(listed).to_contain_text("联系 ")
        assert listed.locator("[data-due]").get_attribute("data-due") == contact
    finally:
        page.close()


def test_a_revisit_at_basically_satisfied_offers_a_reopen(console: Any) -> None:
    """基本满意就是基本不满意: after a 回访 at 3 the center head is offered 重新办理."""
    ticket = _answered_consult(console)
    with console.api("operator") as operator:
        _act(operator, ticket, "revisit", {"level": 3, "comment": "基本满意"})
    page = console.new_page()
    try:
        console.sign_in(page, "hotline_head", f"/console/tickets/{ticket['id']}")
        assert "重新办理" in _buttons(page)
        expect(page.locator("dl.kv")).to_contain_text("基本满意")
    finally:
        page.close()


def test_a_transferred_ticket_counts_no_limit_in_its_header(console: Any) -> None:
    """已转办: the complaints center times the linked case and the ticket's 办理 clock is
    cancelled, so the header counts down nothing (the clock reads 已取消 in 计时环节)."""
    body = {
        "type": "complaint",
        "category_code": "YS_INFRINGE",
        "title": f"某局要求企业购买指定产品{_unique()}",
        "content": "某局多次到企业检查并要求购买指定产品。",
        "requester": {"name": "吴先生", "phone": "13400134000",
                      "enterprise_name": "凤冈县绿源茶业有限公司"},
    }  # fmt: skip
    ticket = _taken(console, body, "transfer", {})
    assert ticket["status"] == "transferred"
    page = console.new_page()
    try:
        console.sign_in(page, "hotline_head", f"/console/tickets/{ticket['id']}")
        page.wait_for_selector(".case-head")
        clocks = page.locator("section:has(h2:has-text('计时环节'))")
        expect(clocks.locator("tbody tr")).to_have_count(1)
        expect(clocks.locator("tbody tr")).to_contain_text("已取消")
        expect(page.locator(".case-head .head-clock")).to_have_count(0)
    finally:
        page.close()


def test_a_department_reads_the_content_without_a_confidential_requester(console: Any) -> None:
    """A confidential requester named in the 诉求内容 is hidden there too: the department
    reads [已隐去] for the name and the number."""
    body = {
        "type": "report",
        "category_code": "SCJG_FOOD",
        "title": f"举报食品作坊{_unique()}",
        "content": "我是周九，电话136 5555 6666，举报某食品作坊无证生产。",
        "requester": {"name": "周九", "phone": "13655556666", "confidential": True},
    }
    ticket = _taken(console, body, "dispatch")
    page = console.new_page()
    try:
        console.sign_in(page, "scjg_head", f"/console/tickets/{ticket['id']}")
        facts = page.locator("dl.kv")
        expect(facts).to_contain_text("我是[已隐去]，电话[已隐去]，举报某食品作坊无证生产。")
        shown = page.inner_text("body")
        assert "周九" not in shown, shown
        assert "5555" not in shown, shown
    finally:
        page.close()
