"""The public pages as a citizen or an enterprise meets them, on a phone or a tablet: tracking
takes a number however it was typed and says what was promised, an enterprise answers a result
only by a choice it made (a dispute with its reason), the center's 受理 说明 reaches it as the
center's words, an anonymous complaint is followed up as the form says, and a phone's header
leaves room for the page."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
from playwright.sync_api import expect

from yingshang.testing.steps import post_step

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}
COMPLAINTS = "/api/v1/complaints/cases"
# Where the header's parts sit: the brand and the login on one row, the shown page links on
# one row below them.
ROWS = """(header) => {
  const box = (el) => el.getBoundingClientRect();
  const brand = box(header.querySelector(".brand"));
  const login = box(header.querySelector(".login-link"));
  const links = [...header.querySelectorAll("nav a")].filter((a) => a.offsetParent).map(box);
  return {
    brandBesideLogin: login.top < brand.bottom && brand.top < login.bottom,
    navRows: new Set(links.map((a) => Math.round(a.top))).size,
    navBelow: links.every((a) => a.top >= Math.max(brand.bottom, login.bottom)),
  };
}"""


def _act(api: httpx.Client, case_id: str, action: str, body: dict[str, Any] | None = None) -> None:
    post_step(api, f"{COMPLAINTS}/{case_id}", action, body)


def _anonymous_complaint(console: Any) -> dict[str, Any]:
    """An anonymous complaint about 市场监督管理局, registered by the center (its number and
    query code are what the enterprise was told)."""
    body = {
        "real_name": False,
        "respondent": "SCJGJ",
        "category": "approval_delay",
        "title": f"审批拖延{uuid.uuid4().hex[:6]}",
        "facts": "办理过程中多次往返，窗口以各种理由拖延，至今没有结果。",
    }
    with console.api("complaints") as api:
        made = api.post(COMPLAINTS, json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert made.status_code == 201, made.text
    return dict(made.json())


def _track(console: Any, page: Any, kind: str, number: str, code: str) -> None:
    """The tracking form, the number typed as a person may type it."""
    page.goto(f"{console.base}/console/public/track")
    page.fill("#f-number", number)
    expect(page.locator("#f-kind")).to_have_value(kind)  # the number's shape chose it
    page.fill("#f-query_code", code)
    page.click("form[aria-label=办件查询] button[type=submit]")
    page.wait_for_selector("h2:has-text('查询结果')")


def test_an_anonymous_enterprise_follows_its_complaint_and_answers_the_result_by_choice(
    console: Any,
) -> None:
    case = _anonymous_complaint(console)
    number, code = case["number"], case["query_code"]

    staff = console.new_page()  # the center accepts in the console: its 说明 is for the enterprise
    console.sign_in(staff, "complaints", f"/console/complaints/{case['id']}")
    staff.get_by_role("button", name="受理", exact=True).click()
    note = staff.locator(".action-form label.field:has([name=note])")
    expect(note).to_contain_text("告知企业")
    note.locator("[name=note]").fill("属受理范围")
    staff.click(".action-form button:has-text('确认受理')")
    staff.wait_for_selector("text=已完成：受理")
    with console.api("complaints") as center, console.api("scjg_staff") as unit_staff:
        _act(center, case["id"], "assign")
        _act(unit_staff, case["id"], "investigate", {"note": "已调取审批记录。"})
    with console.api("scjg_head") as head, console.api("complaints") as center:
        _act(head, case["id"], "reply", {"reply": "已督促窗口限时办结。"})
        _act(center, case["id"], "resolve", {"result": "经核查属实，已督促办结。"})

    page = console.new_page(TABLET)
    page.goto(f"{console.base}/console/public/complaint")
    anonymous = page.locator("label.check:has(input[name=anonymous])")
    assert "无法回复" not in anonymous.inner_text()  # it is answered: online, by the code
    expect(anonymous).to_contain_text("查询码")

    _track(console, page, "complaint", f" {number.lower()} ", code)  # lower case, blanks around it
    told = page.locator("main p.reply").all_inner_texts()
    assert told[0].endswith("您反映的问题已受理，将交责任单位调查处理。投诉中心说明：属受理范围")
    form = page.locator("form[aria-label=对办理结果的意见]")
    verdict, reason = form.locator("[name=verdict]"), form.locator("[name=reason]")
    expect(verdict).to_have_value("")  # nothing chosen for the enterprise
    assert verdict.locator("option").first.inner_text() == "请选择…"
    expect(reason).to_be_hidden()  # a reason only for a dispute
    submit = form.locator("button[type=submit]")
    submit.click()
    expect(form.locator("[name=verdict]:invalid")).to_have_count(1)  # refused: nothing sent
    verdict.select_option("disputed")
    expect(form.locator("label.field:has([name=reason])")).to_contain_text("异议理由")
    submit.click()
    expect(form.locator("[name=reason]:invalid")).to_have_count(1)  # a dispute says why
    reason.fill("窗口至今仍未出具批复。")
    submit.click()
    expect(form).to_have_count(0)  # answered: nothing awaits the enterprise's answer now
    with console.api("complaints") as center:
        answered = center.get(f"{COMPLAINTS}/{case['id']}").json()
    assert answered["state"] == "disputed"

    # The center reads the answer in its own words: no code of the service behind it.
    staff.reload()
    expect(staff.locator("dl.kv dt:text-is('企业评价') + dd")).to_have_text("有异议")
    objection = staff.locator("tr:has(td:text-is('企业异议'))")
    expect(objection).to_contain_text("投诉企业（凭查询码）")
    timeline = staff.locator("ol.timeline")
    expect(timeline).to_contain_text("企业对办理结果有异议，转营商局督办（第 2 级）")
    who = timeline.locator("li:has-text('企业有异议') .who").first
    expect(who).to_have_text("投诉企业（凭查询码）")
    for code in ("SYSTEM", "enterprise", "disputed"):
        assert code not in staff.locator("main").inner_text(), code


def test_a_12345_request_is_tracked_by_a_lower_case_number_with_its_promised_time(
    console: Any,
) -> None:
    request = {
        "type": "suggestion",
        "title": f"建议增加公交班次{uuid.uuid4().hex[:6]}",
        "content": "早高峰公交车太挤，建议增加班次。",
        "requester": {"anonymous": True},
    }
    made = console.http.post(
        "/api/v1/hotline/public/tickets",
        json=request,
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert made.status_code == 201, made.text
    number, code = made.json()["number"], made.json()["query_code"]
    page = console.new_page(PHONE)
    _track(console, page, "hotline", number.lower(), code)
    due = page.locator("dl.kv dt:text-is('承诺办结时限') + dd")  # as an application shows it
    expect(due).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"))


def test_a_phones_public_header_takes_two_rows(console: Any) -> None:
    """At 390 px: the brand and the login on one row, the pages on the next — not four rows
    and a login button before anything of the page."""
    page = console.new_page(PHONE)
    page.goto(f"{console.base}/console/public")
    page.wait_for_selector("main .tiles")
    console.shot(page, "public-portal-phone")
    header = page.locator("header.top")
    height = header.evaluate("(el) => el.getBoundingClientRect().height")
    rows = header.evaluate(ROWS)
    assert rows == {"brandBesideLogin": True, "navRows": 1, "navBelow": True}
    assert height <= 100, height
    for link in ("12345诉求", "涉企投诉", "办件查询", "服务事项", "四公开"):
        expect(page.locator(f"header nav a:has-text('{link}')")).to_be_in_viewport()
    overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
    assert overflow <= 0


def test_a_package_is_tracked_by_its_number_and_rated_as_the_enterprise_it_served(
    console: Any,
) -> None:
    # for a company being formed: a 法人 without its code yet, accepted (受理) at W01
    applicant = {
        "type": "legal_person",
        "name": "刘记",
        "phone": "13912340004",
        "enterprise_name": f"刘记餐饮店{uuid.uuid4().hex[:4]}",
    }
    app = console.take_package(applicant, accept=True)
    number, code = app["number"], app["query_code"]
    page = console.new_page(PHONE)
    _track(console, page, "application", f" {number.lower()} ", code)
    result = page.locator("main section:has(h2:has-text('查询结果'))")
    expect(result).to_contain_text(number)
    expect(result).to_contain_text("开办企业")

    # the SMS link is whole (a text message has no page to be relative to); its form starts
    # from the applicant's type: a 法人 rates as one, and may still change it
    link = console.sms_link(number)
    assert link.startswith(f"{console.base}/console/public/rate/"), link
    page.goto(link)
    form = page.locator("form[aria-label=评价]")
    expect(form.locator("[name=rater_type]")).to_have_value("legal_person")
    form.locator("[name=rater_type]").select_option("person")
    form.locator("[name=rater_type]").select_option("legal_person")
    page.click("label.level-4")
    form.get_by_role("button", name="提交评价").click()
    expect(page.locator(".thanks")).to_contain_text("感谢您的评价")
    with console.api("bureau") as api:
        rated = api.get("/api/v1/ratings/ratings", params={"channel": "sms", "limit": 200})
    assert rated.status_code == 200, rated.text
    mine = [r for r in rated.json()["items"] if r["case_number"] == number]
    assert [(r["level"], r["rater_type"]) for r in mine] == [(4, "legal_person")], mine
