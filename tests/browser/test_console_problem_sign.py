"""一把手亲自接单 in the console: a 交办单 handed to 市场监管局 waits for its head's 签收. The
department's staff is told so and offered nothing; the head (冯涛) signs for it on the page,
which then names the signer and shows the 签收 clock done and the 联系 clock running; the staff
records the contact with the enterprise, after which the proposal is offered.

抽查回访 in the console: a 差评's rectification the rater has judged is offered to the bureau's
head to spot-check; a failed check with its reason sends it back to 整改中, and the rated
department is offered no spot check."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import expect

from yingshang.testing.steps import post_step

V = "/api/v1/visits"
PROBLEMS = f"{V}/problems"
TICKETS = "/api/v1/hotline/tickets"
RECTIFICATIONS = "/api/v1/ratings/rectifications"


def _handed_to_scjgj(console: Any) -> dict[str, Any]:
    """A problem registered at the center and handed to 市场监督管理局 (through the API)."""
    with console.api("enterprise") as center:
        enterprise = center.get(f"{V}/enterprises", params={"limit": 1}).json()["items"][0]
        body = {
            "enterprise_id": enterprise["id"],
            "title": f"食品经营许可变更慢{uuid.uuid4().hex[:6]}",
            "description": "企业新增经营项目，许可变更申请两周未办结。",
        }
        made = center.post(PROBLEMS, json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
        assert made.status_code == 201, made.text
        read = center.get(f"{PROBLEMS}/{made.json()['id']}")
        done = center.post(
            f"{PROBLEMS}/{made.json()['id']}/assign",
            json={"department": "SCJGJ"},
            headers={"If-Match": read.headers["etag"]},
        )
    assert done.status_code == 200, done.text
    return dict(done.json())


def _open(console: Any, page: Any, username: str, path: str) -> None:
    """``path`` (a case page) in ``page``, signed in as ``username``: each person of a test
    takes the same tab in turn."""
    console.sign_in(page, username, path)
    page.wait_for_selector(".case-head")


def _buttons(page: Any) -> list[str]:
    return [t.strip() for t in page.locator(".action-buttons button").all_inner_texts()]


def _clock(page: Any, stage: str) -> tuple[str, bool]:
    """A clock's 状态 and whether it counts down, from the 时限 table."""
    row = page.locator(f"section:has(h2:has-text('计时环节')) tbody tr:has(td:text-is('{stage}'))")
    expect(row).to_have_count(1)
    return row.locator("td").nth(1).inner_text().strip(), row.locator("[data-due]").count() > 0


def _act(page: Any, label: str) -> None:
    page.click(f".action-buttons button:has-text('{label}')")


def _confirm(page: Any, label: str) -> None:
    page.click(f".action-form button:has-text('确认{label}')")
    page.wait_for_selector(f"text=已完成：{label}")


def test_the_department_head_signs_for_a_problem_in_the_console(console: Any) -> None:
    problem = _handed_to_scjgj(console)

    page = console.new_page()  # the staff, the head, then the staff again: one tab
    _open(console, page, "scjg_staff", f"/console/problems/{problem['id']}")
    assert page.inner_text(".case-head .tag") == "已交办"
    expect(page.locator("[data-hint=sign]")).to_have_text(
        "待市场监督管理局一把手签收（一把手亲自接单）。"
    )
    assert _buttons(page) == []
    assert _clock(page, "签收") == ("计时中", True)
    expect(page.locator(".case-head .head-clock")).to_contain_text("签收时限：")

    console.sign_in(page, "scjg_head")  # the head's home lists it to sign for, with its limit
    waiting = page.locator(
        f"section:has(h2:has-text('企业诉求 待签收')) tr:has-text('{problem['title']}')"
    )
    expect(waiting).to_have_count(1)
    expect(waiting.locator("[data-due]")).to_have_count(1)
    waiting.locator("a").first.click()
    page.wait_for_selector(".case-head")
    assert _buttons(page) == ["签收", "退回"]
    expect(page.locator("[data-hint=sign]")).to_have_count(0)
    _act(page, "签收")
    expect(page.locator(".action-form")).to_contain_text("一把手亲自接单")
    page.fill(".action-form [name=note]", "已阅，安排专人办理。")
    _confirm(page, "签收")
    assert page.inner_text(".case-head .tag") == "已签收"
    signed = page.locator("dl.kv dt:text-is('签收') + dd").inner_text()
    assert signed.endswith("冯涛（SC5000）"), signed
    assert _clock(page, "签收") == ("已完成", False)
    assert _clock(page, "联系") == ("计时中", True)
    # the header names the stage it counts: 联系 now (its limit may fall at 签收's instant)
    expect(page.locator(".case-head .head-clock")).to_contain_text("联系时限：")
    expect(page.locator(".case-head .head-clock [data-due]")).to_have_count(1)
    expect(page.locator(".timeline")).to_contain_text("签收")
    console.shot(page, "problem-signed")

    console.sign_in(page, "scjg_staff")  # signed: among the department's 交办单 now
    handled = page.locator(
        f"section:has(h2:has-text('企业诉求 交办单')) tr:has-text('{problem['title']}')"
    )
    expect(handled).to_have_count(1)
    expect(handled).to_contain_text("已签收")
    handled.locator("a").first.click()
    page.wait_for_selector(".case-head")
    assert _buttons(page) == ["联系企业"]  # no proposal before the enterprise is contacted
    _act(page, "联系企业")
    page.select_option(".action-form [name=channel]", "on_site")
    _confirm(page, "联系企业")
    assert page.inner_text(".case-head .tag") == "已联系企业"
    assert _clock(page, "联系") == ("已完成", False)
    assert "提出解决方案" in _buttons(page)
    expect(page.locator(".case-head .head-clock")).not_to_contain_text("联系时限")

    with console.api("scjg_staff") as department:
        read = department.get(f"{PROBLEMS}/{problem['id']}").json()
    assert (read["state"], read["signed_by_staff_no"], read["contact_channel"]) == (
        "contacted",
        "SC5000",
        "on_site",
    )


def _step(api: httpx.Client, path: str, case_id: str, action: str, body: Any = None) -> Any:
    return post_step(api, f"{path}/{case_id}", action, body)


def _eventually(check: Callable[[], Any], what: str, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.1)
    return found


def _rated_very_dissatisfied(console: Any) -> str:
    """A 12345 complaint handled by 市场监管局 and rated 1 at its 回访: its rectification id."""
    body = {
        "type": "complaint",
        "category_code": "SCJG_FOOD",
        "title": f"餐馆卫生问题{uuid.uuid4().hex[:6]}",
        "content": "来电人反映某餐馆后厨卫生条件差，请相关部门核查处理。",
        "requester": {"name": "张三", "phone": "13812345678"},
    }
    with console.api("operator") as operator:
        made = operator.post(TICKETS, json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
        assert made.status_code == 201, made.text
        ticket = made.json()
        _step(operator, TICKETS, ticket["id"], "dispatch")
    with console.api("scjg_head") as head:
        _step(head, TICKETS, ticket["id"], "sign")
    with console.api("scjg_staff") as staff:
        _step(staff, TICKETS, ticket["id"], "contact", {"note": "已电话联系来电人"})
        _step(staff, TICKETS, ticket["id"], "reply", {"body": "已责令该餐馆整改。"})
    with console.api("hotline_head") as center:
        _step(center, TICKETS, ticket["id"], "review", {"approve": True})
    with console.api("operator") as operator:
        _step(operator, TICKETS, ticket["id"], "revisit", {"level": 1, "comment": "没有整改"})

    with console.api("bureau") as bureau:

        def rating() -> Any:
            params = {"channel": "hotline", "level": 1, "limit": 200}
            items = bureau.get("/api/v1/ratings/ratings", params=params).json()["items"]
            return [r for r in items if r["case_number"] == ticket["number"]]

        [rated] = _eventually(rating, "the 回访 as a 差评 in ratings")
    assert rated["rectification_id"], "a 差评 opens a rectification"
    return str(rated["rectification_id"])


def test_the_bureau_spot_checks_a_rectification_in_the_console(console: Any) -> None:
    rect_id = _rated_very_dissatisfied(console)
    with console.api("bureau_staff") as center:  # the county's ratings center: the bureau
        called = {"reached": True, "verified": True, "note": "已联系评价人"}
        _step(center, RECTIFICATIONS, rect_id, "call-back", called)
        _step(center, RECTIFICATIONS, rect_id, "classify", {"classification": "deadline"})
    with console.api("scjg_staff") as department:
        _step(department, RECTIFICATIONS, rect_id, "complete", {"note": "已督促餐馆整改"})
        _step(department, RECTIFICATIONS, rect_id, "feed-back", {"note": "已电话反馈"})
    with console.api("bureau_staff") as center:
        _step(center, RECTIFICATIONS, rect_id, "verdict", {"verdict": "satisfied"})

    page = console.new_page()
    _open(console, page, "scjg_head", f"/console/rectifications/{rect_id}")
    assert page.inner_text(".case-head .tag") == "待抽查回访"
    assert _buttons(page) == []  # the rated department does not check itself

    _open(console, page, "bureau", f"/console/rectifications/{rect_id}")
    assert page.inner_text(".case-head .tag") == "待抽查回访"
    assert _buttons(page) == ["抽查回访合格", "抽查回访不合格"]
    _act(page, "抽查回访不合格")
    reason = "抽查回访评价人：后厨卫生仍未改善"
    page.fill(".action-form [name=note]", reason)
    _confirm(page, "抽查回访不合格")
    assert page.inner_text(".case-head .tag") == "整改中"
    assert page.locator("dl.kv dt:text-is('抽查回访') + dd").inner_text().startswith("不合格")
    assert page.locator("dl.kv dt:text-is('抽查回访说明') + dd").inner_text() == reason
    expect(page.locator(".timeline")).to_contain_text("抽查回访不合格")
    # the 整改 clock's entries name the stage in the staff's words, not its code
    expect(page.locator(".timeline")).to_contain_text("开始计时（整改）")
    expect(page.locator(".timeline")).not_to_contain_text("（rectify）")
    console.shot(page, "rectification-spot-check-failed")

    with console.api("scjg_staff") as department:
        read = department.get(f"{RECTIFICATIONS}/{rect_id}").json()
    assert (read["state"], read["spot_check_result"], read["on_time"]) == (
        "rectifying",
        "failed",
        False,
    )
    assert "complete" in read["actions"]


def _no_such_case(page: Any) -> Any:
    missing = page.locator("main .not-found")
    expect(missing.locator("h1")).to_have_text("未找到该案件")
    expect(missing.locator("a")).to_have_text("返回工作台")
    expect(page.locator("main")).not_to_contain_text("填写的内容有误")
    return missing


def test_a_case_address_naming_no_case_says_so_with_a_way_back(console: Any) -> None:
    """A malformed id or one of no case, on any kind's case page (casepage.js): 未找到该案件
    and a link back to the workbench, not a field error."""
    page = console.new_page()
    console.sign_in(page, "operator", "/console/tickets/not-a-uuid")
    _no_such_case(page)
    page.goto(f"{console.base}/console/tickets/{uuid.uuid4()}")
    _no_such_case(page).locator("a").click()
    page.wait_for_url("**/console/home")
    console.sign_in(page, "complaints", "/console/complaints/not-a-uuid")
    _no_such_case(page)
    page.goto(f"{console.base}/console/complaints/{uuid.uuid4()}")
    _no_such_case(page)
