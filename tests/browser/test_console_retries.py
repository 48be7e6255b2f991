"""A console write that is retried or overtaken neither overwrites nor duplicates: a time-limit
policy is saved against the version its form was opened with (someone else's change first is a
412 that keeps the draft and says so); a creation resubmitted after its answer was lost (the
request reached the service, the browser saw a 502) is made once, the hotline intake's direct
answer included; a session that ends under a filled-in form gives the draft back after signing
in again. Every step is checked on the page and again through the API."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import expect

KEPT = "该事项已被他人修改，页面已更新为最新内容；您填写的内容仍在表单中，请核对后再次提交"
TICKETS = "/api/v1/hotline/tickets"
POLICIES = "/api/v1/visits/policies"
SESSION_KEY = "ys.console.session"  # where the console keeps the tokens of this tab
DRAFTS_KEY = "ys.console.drafts"


def _unique() -> str:
    return uuid.uuid4().hex[:8]


def _tickets(console: Any, mark: str) -> list[dict[str, Any]]:
    with console.api("operator") as api:
        listed = api.get(TICKETS, params={"q": mark})
    assert listed.status_code == 200, listed.text
    return list(listed.json()["items"])


def _fail_first(page: Any, matches: Callable[[str, str], bool], *, reach: bool) -> list[str]:
    """The first request that `matches(method, url)` answers 502 to the page: after reaching
    the service when `reach` (its effect is committed, its answer lost), else without. Returns
    the Idempotency-Key of every matching request."""
    keys: list[str] = []

    def handle(route: Any) -> None:
        request = route.request
        if not matches(request.method, request.url):
            route.continue_()
            return
        keys.append(request.headers.get("idempotency-key", ""))
        if len(keys) > 1:
            route.continue_()
            return
        if reach:
            route.fetch()
        route.fulfill(status=502, body="")

    page.route("**/api/v1/**", handle)
    return keys


def _creates_tickets(method: str, url: str) -> bool:
    return method == "POST" and url.split("?")[0].endswith(TICKETS)


def _intake(page: Any, title: str) -> Any:
    form = page.locator("form[aria-label=受理登记]")
    form.locator("#f-type").select_option("consult")
    form.locator("#f-title").fill(title)
    form.locator("#f-content").fill("来电人咨询个体工商户营业执照需要哪些材料，在哪里办理。")
    form.locator("#f-name").fill("赵女士")
    form.locator("#f-phone").fill("13900139000")
    return form


def _policy(api: httpx.Client, stage: str) -> tuple[int, dict[str, Any]]:
    """The row of the visits service's policy for `stage` (the console lists them in order)."""
    listed = api.get(POLICIES)
    assert listed.status_code == 200, listed.text
    rows = listed.json()
    index = next(n for n, p in enumerate(rows) if p["stage"] == stage)
    return index, dict(rows[index])


def _edit_policy(api: httpx.Client, policy_id: int, changes: dict[str, Any]) -> None:
    read = api.get(f"{POLICIES}/{policy_id}")
    saved = api.patch(
        f"{POLICIES}/{policy_id}", json=changes, headers={"If-Match": read.headers["etag"]}
    )
    assert saved.status_code == 200, saved.text


def test_a_policy_saved_after_someone_elses_change_keeps_the_draft(console: Any) -> None:
    with console.api("admin") as api:
        index, policy = _policy(api, "progress")  # 交办单 monthly progress: 30 natural days
    original = {"amount": policy["amount"], "unit": policy["unit"]}
    theirs, mine = policy["amount"] + 1, policy["amount"] + 2
    page = console.new_page()
    try:
        console.sign_in(page, "admin", "/console/home?service=visits")
        row = page.locator("tbody tr").nth(index)
        row.get_by_role("button", name="修改").click()
        form = page.locator(f"form[aria-label='修改时限 {policy['id']}']")
        form.locator("#f-amount").fill(str(mine))
        with console.api("admin") as api:  # another admin saves first
            _edit_policy(api, policy["id"], {"amount": theirs})
        form.locator("button[type=submit]").click()
        expect(form.locator(".form-error")).to_have_text(KEPT)
        assert form.locator("#f-amount").input_value() == str(mine)  # the draft, as typed
        expect(row).to_contain_text(f"{theirs} 自然日")  # the current version, around the form
        with console.api("admin") as api:
            assert api.get(f"{POLICIES}/{policy['id']}").json()["amount"] == theirs  # kept
        console.shot(page, "policy-draft-kept-after-412")
        form.locator("button[type=submit]").click()  # again: with the version now shown
        page.wait_for_selector(f"text=已修改时限政策 #{policy['id']}")
        expect(row).to_contain_text(f"{mine} 自然日")
        with console.api("admin") as api:
            assert api.get(f"{POLICIES}/{policy['id']}").json()["amount"] == mine
    finally:
        with console.api("admin") as api:
            _edit_policy(api, policy["id"], original)


def test_a_ticket_resubmitted_after_a_lost_answer_is_taken_once(console: Any) -> None:
    mark = _unique()
    page = console.new_page()
    console.sign_in(page, "operator")
    keys = _fail_first(page, _creates_tickets, reach=True)
    form = _intake(page, f"营业执照办理咨询{mark}")
    form.locator("button[type=submit]").click()
    expect(form.locator(".form-error")).to_have_text("服务暂时不可用，请稍后再试")
    assert form.locator("#f-title").input_value() == f"营业执照办理咨询{mark}"  # kept to retry
    assert len(_tickets(console, mark)) == 1  # the service did take it
    form.locator("button[type=submit]").click()
    done = page.locator(".result .notice.ok")
    expect(done).to_contain_text("已受理：工单")
    tickets = _tickets(console, mark)
    assert len(tickets) == 1, [t["number"] for t in tickets]
    expect(done).to_contain_text(tickets[0]["number"])
    assert keys[0]
    assert keys == [keys[0], keys[0]]  # the resubmit carried the first one's key
    assert form.locator("#f-title").input_value() == ""  # reset for the next call
    # The next call, word for word the same, is another ticket: the reset form has a new key.
    _intake(page, f"营业执照办理咨询{mark}").locator("button[type=submit]").click()
    taken = done.locator("strong").first
    expect(taken).not_to_have_text(f"已受理：工单 {tickets[0]['number']}")
    expect(taken).to_contain_text("已受理：工单")
    assert len(_tickets(console, mark)) == 2
    assert len(set(keys)) == 2


def test_a_direct_answer_that_failed_is_retried_on_the_ticket_already_taken(
    console: Any,
) -> None:
    mark = _unique()
    page = console.new_page()
    console.sign_in(page, "operator")
    form = _intake(page, f"营业执照办理咨询{mark}")
    entry = page.locator(".kb-entry").first  # the knowledge base found an answer
    answer = entry.locator("p").inner_text()
    entry.get_by_role("button", name="引用此答复（直接答复）").click()

    def answers(method: str, url: str) -> bool:
        return method == "POST" and url.endswith("/answer")

    _fail_first(page, answers, reach=False)
    form.locator("button[type=submit]").click()
    expect(form.locator(".form-error")).to_contain_text("直接答复未成功")
    done = page.locator(".result .notice.ok")
    expect(done).to_contain_text("已受理：工单")  # taken: its number and query code shown
    (ticket,) = _tickets(console, mark)
    assert ticket["status"] == "received"
    form.locator("button[type=submit]").click()  # retry: the answer only
    expect(done).to_contain_text("已直接答复办结")
    expect(done).to_contain_text(ticket["number"])
    tickets = _tickets(console, mark)
    assert [t["id"] for t in tickets] == [ticket["id"]], [t["number"] for t in tickets]
    with console.api("operator") as api:
        read = api.get(f"{TICKETS}/{ticket['id']}").json()
    assert (read["status"], read["answer"]) == ("closed", answer)


def test_a_session_ending_under_a_filled_form_gives_the_draft_back(console: Any) -> None:
    mark = _unique()
    page = console.new_page()
    console.sign_in(page, "operator")
    form = _intake(page, f"营业执照办理咨询{mark}")
    tokens: dict[str, Any] = page.evaluate(f"JSON.parse(sessionStorage.getItem('{SESSION_KEY}'))")
    logout = {"refresh_token": tokens["refresh"]}  # logged out elsewhere: no refresh either
    assert page.request.post(f"{console.base}/auth/logout", form=logout).status == 204
    page.route(  # and the access token has run out
        "**/api/v1/**",
        lambda route: (
            route.fulfill(status=401, body="")
            if _creates_tickets(route.request.method, route.request.url)
            else route.continue_()
        ),
    )
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/console/login?next=%2Fconsole%2Fhome")
    expect(page.locator("main")).to_contain_text("登录已过期")
    page.unroute("**/api/v1/**")
    console.login(page, "operator")  # through the form, as the person signs in again
    form = page.locator("form[aria-label=受理登记]")
    expect(form).to_contain_text("登录过期前填写的内容已恢复")
    assert form.locator("#f-title").input_value() == f"营业执照办理咨询{mark}"
    assert form.locator("#f-phone").input_value() == "13900139000"
    assert form.locator("#f-type").input_value() == "consult"
    assert page.evaluate(f"sessionStorage.getItem('{DRAFTS_KEY}')") is None  # given back once
    assert _tickets(console, mark) == []
    form.locator("button[type=submit]").click()
    expect(page.locator(".result .notice.ok")).to_contain_text("已受理：工单")
    assert len(_tickets(console, mark)) == 1


STALE_DRAFT = """([key, minutesAgo]) => {
  const access = JSON.parse(sessionStorage.getItem("ys.console.session")).access;
  const sub = JSON.parse(atob(access.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).sub;
  const forms = {"受理登记": {title: "过期草稿里的标题", phone: "13900139000"}};
  const at = Date.now() - minutesAgo * 60 * 1000;
  sessionStorage.setItem(key, JSON.stringify({user: sub, route: "/console/home", forms, at}));
}"""


def test_a_draft_older_than_half_an_hour_is_forgotten(console: Any) -> None:
    """A kept draft may hold a caller's name and phone: after 30 minutes nobody gets it back."""
    page = console.new_page()
    console.sign_in(page, "operator")
    form = page.locator("form[aria-label=受理登记]")
    expect(form).to_be_visible()
    page.evaluate(STALE_DRAFT, [DRAFTS_KEY, 31])
    page.reload()
    expect(form).to_be_visible()
    assert form.locator("#f-title").input_value() == ""
    expect(form).not_to_contain_text("登录过期前填写的内容已恢复")
    assert page.evaluate(f"sessionStorage.getItem('{DRAFTS_KEY}')") is None
    page.evaluate(STALE_DRAFT, [DRAFTS_KEY, 29])  # within the half hour: given back
    page.reload()
    expect(form).to_contain_text("登录过期前填写的内容已恢复")
    assert form.locator("#f-title").input_value() == "过期草稿里的标题"
