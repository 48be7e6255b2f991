"""The bureau keeps the indicators (指标长) and the joint meetings (联席会议) in the console: it
records an indicator's score for a period, records a meeting whose one decision becomes a
交办单 handed to the indicator's lead unit, and that 交办单 shows on the indicator's page.
Every step is checked on the page and again through the API."""

from __future__ import annotations

import uuid
from typing import Any

from playwright.sync_api import expect

V = "/api/v1/visits"
CODE = "STARTING_BUSINESS"  # 开办企业, led by 市场监督管理局 (the demo county's seed)


def _fact(page: Any, name: str) -> str:
    return str(page.locator(f"dl.kv dt:text-is('{name}') + dd").first.inner_text())


def test_the_bureau_scores_an_indicator_and_a_meeting_decision_becomes_its_task(
    console: Any,
) -> None:
    page = console.new_page()
    console.sign_in(page, "bureau")
    page.click("header nav a:has-text('指标长')")
    row = page.locator("main tbody tr:has-text('开办企业')")
    expect(row).to_contain_text("市场监督管理局")
    expect(row).to_contain_text("冯涛")
    row.locator("a:has-text('开办企业')").click()
    page.click(".action-buttons button:has-text('登记评分')")
    score = page.locator("form[aria-label=登记评分]")
    score.locator("#f-period").fill("2025-Q4")
    score.locator("#f-score").fill("86.5")
    score.locator("#f-rank").fill("3")
    score.locator("#f-rank_of").fill("14")
    score.locator("button[type=submit]").click()
    page.wait_for_selector("text=已登记 2025-Q4 评分")
    assert _fact(page, "最新评分") == "86.5 分（2025-Q4，第 3/14 名）"
    expect(page.locator("section:has(h2:text-is('评分记录')) tbody tr")).to_have_count(1)
    console.shot(page, "indicator-scored")

    page.click("header nav a:has-text('联席会议')")
    page.click("main a:has-text('记录联席会议')")
    form = page.locator("form[aria-label=记录联席会议]")
    decision = f"企业开办压缩至一日办结{uuid.uuid4().hex[:6]}"
    form.locator("#f-title").fill("开办企业指标定期研判会")
    form.locator("#f-kind").select_option("review")
    form.locator("#f-chaired_by").fill("王志明")
    form.locator("#f-minutes").fill("开办企业指标排名靠后，环节多、时间长，需压缩。")
    form.locator("#f-participants-0-department").select_option("SCJGJ")
    form.locator(f"#f-indicator-{CODE}").check()
    form.locator("button:has-text('添加决定事项')").click()
    form.locator("#f-decisions-0-title").fill(decision)
    form.locator("#f-decisions-0-department").select_option("SCJGJ")
    form.locator("#f-decisions-0-indicator_code").select_option(CODE)
    form.locator("#f-decisions-0-description").fill("梳理开办环节，实现一网通办、一日办结。")
    console.shot(page, "meeting-form")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=形成交办单 1 件并已交办")
    decided = page.locator("section:has(h2:has-text('决定事项')) tbody tr")
    expect(decided).to_have_count(1)
    for text in (decision, "市场监督管理局", "开办企业", "已交办"):
        expect(decided).to_contain_text(text)
    console.shot(page, "meeting-recorded")

    decided.locator("a").first.click()  # the 交办单 the decision became
    expect(page.locator(".case-head .tag")).to_have_text("已交办")
    assert _fact(page, "来源") == "联席会议交办"
    expect(page.locator("dl.kv dt:text-is('关联指标') + dd")).to_have_text("开办企业")
    problem_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    page.click("dl.kv dt:text-is('关联指标') + dd a")  # and the indicator lists it
    tasks = page.locator(f"section:has(h2:has-text('关联交办单')) tbody tr:has-text('{decision}')")
    expect(tasks).to_have_count(1)
    expect(tasks).to_contain_text("已交办")

    with console.api("bureau") as api:
        problem = api.get(f"{V}/problems/{problem_id}").json()
        indicator = api.get(f"{V}/indicators/{CODE}").json()
    assert (problem["source"], problem["indicator_code"], problem["enterprise"]) == (
        "meeting",
        CODE,
        None,
    )
    assert (problem["department"], problem["state"], problem["title"]) == (
        "SCJGJ",
        "assigned",
        decision,
    )
    assert {s["stage"] for s in problem["stages"] if s["status"] == "running"} == {
        "sign",  # the lead unit's head signs for it (签收)
        "proposal",
        "resolution",
    }
    latest = indicator["latest_score"]
    assert (latest["period"], latest["score"], latest["rank"]) == ("2025-Q4", "86.50", 3)
    assert indicator["tasks"]["open"] >= 1
    with console.api("scjg_head") as department:  # handed on: the lead unit sees its task
        assert department.get(f"{V}/problems/{problem_id}").status_code == 200
