"""The data the county keeps for its services, kept in the console: the admin loads a year's
holidays into every service that counts deadlines (a document the services refuse and a
service that cannot be reached are each reported for that service, and retried); the hotline
center adds, edits (someone else's edit first is reported and shown, the form keeps the draft
and a second save deliberately overwrites), retires, lists by status and reactivates a
knowledge-base entry that intake then finds; its head edits the dispatch catalogue, whose
history the API keeps, and a county matter sent to a town is refused in Chinese. A
department's staff sees none of these forms and its forged writes are refused. Every step is
checked on the page and again through the API."""

from __future__ import annotations

import json
import uuid
from typing import Any

from playwright.sync_api import expect

SERVICES = {
    "approvals": "政务服务",
    "hotline": "12345热线",
    "complaints": "涉企投诉",
    "visits": "走访挂帮",
    "ratings": "好差评",
    "gateway": "控制台倒计时",  # the gateway's copy, which the console's countdowns count on
}
K = "/api/v1/hotline/knowledge"
C = "/api/v1/hotline/categories"
REFUSED = "县级部门的事项不得下派乡镇，请选择县级承办单位"
STALE = "该事项已被他人修改，页面已更新为最新内容；您填写的内容仍在表单中，请核对后再次提交"


def _unique() -> str:
    return uuid.uuid4().hex[:6]


def _years(service: str) -> str:
    if service == "gateway":
        return "/api/v1/admin/calendar/years"
    return f"/api/v1/{service}/admin/calendar/years"


def _fact(page: Any, name: str) -> str:
    return str(page.locator(f"dl.kv dt:text-is('{name}') + dd").first.inner_text())


def _holiday_file(first_name: str) -> dict[str, Any]:
    """A made-up 2030 schedule as holiday-cn publishes one (元旦, then 春节 2–8 Feb)."""
    days = [{"name": first_name, "date": "2030-01-01", "isOffDay": True}]
    days += [{"name": "春节", "date": f"2030-02-0{d}", "isOffDay": True} for d in range(2, 9)]
    return {"year": 2030, "papers": ["测试用：虚构的 2030 年节假日安排"], "days": days}


def _choose_file(page: Any, document: dict[str, Any]) -> None:
    content = json.dumps(document, ensure_ascii=False).encode()
    page.set_input_files(
        "#f-file", {"name": "2030.json", "mimeType": "application/json", "buffer": content}
    )


def _result(page: Any, service: str) -> Any:
    return page.locator(f".send-results tbody tr:has(td:text-is('{SERVICES[service]}'))")


def _year_row(page: Any, year: int) -> Any:
    return page.locator(
        f"main section:has(h2:text-is('各业务的日历年份')) tr:has(td:text-is('{year} 年'))"
    )


def _unreachable(route: Any) -> None:
    """The visits service cannot be reached for the load (reads still get through)."""
    if route.request.method == "POST":
        route.abort()
    else:
        route.continue_()


def test_admin_loads_a_year_into_every_service_and_each_answers_for_itself(console: Any) -> None:
    page = console.new_page()
    console.sign_in(page, "admin")
    page.click("header nav a:has-text('节假日安排')")
    expect(_year_row(page, 2027).locator(".tag:text-is('已导入')")).to_have_count(6)  # the file
    expect(_year_row(page, 2030)).to_have_count(0)

    # A file whose 元旦 is named too long: every service refuses it, each row says why.
    _choose_file(page, _holiday_file("元旦" * 21))
    page.wait_for_selector("h2:text-is('预览：2030 年节假日安排')")
    page.click("button:has-text('发送到全部 6 个业务')")
    expect(page.locator(".send-summary .notice.danger")).to_contain_text("6 个业务未导入")
    for service in SERVICES:
        refused = "失败 拒收：2030-01-01 的节日名称最多 40 个字符"
        expect(_result(page, service)).to_contain_text(refused)
    expect(page.locator(".send-results")).not_to_contain_text("成功")
    with console.api("admin") as api:
        for service in SERVICES:
            assert 2030 not in [y["year"] for y in api.get(_years(service)).json()]

    # Fixed in the table, with the make-up Saturday (调休) added by hand; the visits service
    # cannot be reached: the others load, it alone fails, and its retry loads it.
    page.fill("#f-days-0-name", "元旦")
    page.click("button:has-text('添加一天')")
    page.fill("#f-days-8-date", "2030-02-09")
    page.fill("#f-days-8-name", "春节")
    assert page.locator("#f-days-8-kind option").first.inner_text() == "请选择…"
    page.select_option("#f-days-8-kind", "work")
    page.route("**/api/v1/visits/admin/calendar/years", _unreachable)
    page.click("form[aria-label=逐日填写节假日安排] button[type=submit]")
    expect(page.locator("main")).to_contain_text("放假 8 天、调休上班 1 天。")
    saturday = page.locator("section:has(h2:has-text('预览')) tr:has(td:text-is('2030-02-09'))")
    expect(saturday).to_contain_text("星期六")
    expect(saturday).to_contain_text("调休上班")
    console.shot(page, "calendar-year-preview")
    page.click("button:has-text('发送到全部 6 个业务')")
    expect(page.locator(".send-summary .notice.danger")).to_have_text(
        "1 个业务未导入（走访挂帮）：这些业务在 2030 年仍按原日历计算期限。请排除原因后逐个重试。"
    )
    expect(_result(page, "visits")).to_contain_text("网络连接失败")
    for service in set(SERVICES) - {"visits"}:
        expect(_result(page, service)).to_contain_text("成功 已导入：放假 8 天、调休上班 1 天")
    console.shot(page, "calendar-year-partial")
    page.unroute("**/api/v1/visits/admin/calendar/years")
    page.click("button:has-text('重试走访挂帮')")
    expect(page.locator(".send-summary .notice.ok")).to_contain_text("已导入全部 6 个业务")
    expect(_year_row(page, 2030).locator(".tag:text-is('已导入')")).to_have_count(6)
    console.shot(page, "calendar-year-loaded")

    with console.api("admin") as api:
        for service in SERVICES:
            listed = {y["year"]: y for y in api.get(_years(service)).json()}
            assert listed[2030]["source"] == "county-file", (service, listed)
            days = api.get(f"{_years(service)}/2030").json()["days"]
            assert {"name": "春节", "date": "2030-02-09", "isOffDay": False} in days, service
            assert (days[0]["name"], len(days)) == ("元旦", 9), service
        # and the console's countdowns count on it: the make-up Saturday is a working day
        week = api.get("/api/v1/public/calendar", params={"from": "2030-02-04", "to": "2030-02-10"})
        assert week.json()["working_weekends"] == ["2030-02-09"]
        assert week.json()["provisional_years"] == []


def test_hotline_center_keeps_its_knowledge_base(console: Any) -> None:
    mark = _unique()
    question = f"食品小作坊如何办理登记证（{mark}）？"
    page = console.new_page()
    console.sign_in(page, "hotline_head")
    page.click("header nav a:has-text('知识库')")
    page.click("main button:has-text('新增条目')")
    form = page.locator("form[aria-label=新增知识库条目]")
    form.locator("#f-question").fill(question)
    form.locator("#f-answer").fill("向县市场监督管理局申请食品小作坊登记证，材料齐全的当场办结。")
    form.locator("#f-category_code").select_option("SCJG_FOOD")
    form.locator("#f-department").select_option("SCJGJ")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=已新增知识库条目")
    assert page.inner_text(".case-head .tag") == "有效"
    assert (_fact(page, "问题"), _fact(page, "主管单位")) == (question, "市场监督管理局")
    entry_id = page.url.rstrip("/").rsplit("/", 1)[-1]

    # Someone else saves while the form is open: the page's save (If-Match) is refused.
    page.click(".action-buttons button:has-text('编辑')")
    with console.api("hotline_head") as api:
        read = api.get(f"{K}/{entry_id}")
        other = {k: read.json()[k] for k in ("question", "category_code", "department")}
        other["answer"] = "另一位同事先保存的答复。"
        saved = api.put(f"{K}/{entry_id}", json=other, headers={"If-Match": read.headers["ETag"]})
        assert saved.status_code == 200, saved.text
    answer = f"到县政务服务中心市场监管窗口申请登记证，当场办结（{mark}）。"
    edit = page.locator("form[aria-label=编辑知识库条目]")
    edit.locator("#f-answer").fill(answer)
    edit.locator("button[type=submit]").click()
    expect(edit.locator(".form-error")).to_have_text(STALE)
    assert _fact(page, "答复内容") == other["answer"]  # the current version, shown again
    assert edit.locator("#f-answer").input_value() == answer  # and the draft, kept
    edit.locator("button[type=submit]").click()  # again: overwrites the version now shown
    page.wait_for_selector("text=已保存知识库条目")
    assert _fact(page, "答复内容") == answer
    with console.api("hotline_head") as api:
        read = api.get(f"{K}/{entry_id}").json()
        found = api.get(f"{K}/search", params={"q": mark}).json()["items"]
    assert (read["question"], read["answer"], read["category_code"]) == (
        question,
        answer,
        "SCJG_FOOD",
    )
    assert [e["id"] for e in found] == [entry_id]

    page.click("header nav a:has-text('知识库')")  # the center's listing, by keyword
    page.fill("form[aria-label=筛选知识库] #f-q", mark)
    page.click("form[aria-label=筛选知识库] button[type=submit]")
    expect(page.locator("main tbody tr")).to_have_count(1)
    expect(page.locator("main tbody tr")).to_contain_text(question)
    expect(page.locator("main tbody tr .tag")).to_have_text("有效")
    page.click("header nav a:has-text('工作台')")  # intake finds it as the operator types
    page.fill("form[aria-label=受理登记] #f-title", question)
    expect(page.locator(f".kb-entry:has-text('{question}')")).to_contain_text(answer)
    console.shot(page, "knowledge-found-at-intake")
    with page.expect_popup() as opened:  # the knowledge base in a tab of its own ...
        page.click("main a:has-text('打开知识库')")
    opened.value.close()
    expect(page.locator("form[aria-label=受理登记] #f-title")).to_have_value(question)  # ... kept

    page.goto(f"{console.base}/console/knowledge/{entry_id}")
    page.click(".action-buttons button:has-text('停用')")
    page.click("form[aria-label=停用知识库条目] button[type=submit]")
    page.wait_for_selector("text=已停用知识库条目")
    assert page.inner_text(".case-head .tag") == "已停用"
    expect(page.locator(".action-buttons button")).to_have_text(["重新启用"])  # no edit
    with console.api("hotline_head") as api:
        assert api.get(f"{K}/{entry_id}").json()["active"] is False
        assert api.get(f"{K}/search", params={"q": mark}).json()["items"] == []

    # Listed among the retired entries (search no longer finds it), and reactivated.
    page.click("header nav a:has-text('知识库')")
    page.select_option("form[aria-label=筛选知识库] #f-status", "retired")
    page.fill("form[aria-label=筛选知识库] #f-q", mark)
    page.click("form[aria-label=筛选知识库] button[type=submit]")
    row = page.locator("main tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator(".tag")).to_have_text("已停用")
    console.shot(page, "knowledge-retired-listed")
    row.locator(f"a:text-is('{question}')").click()
    page.click(".action-buttons button:has-text('重新启用')")
    page.click("form[aria-label=重新启用知识库条目] button[type=submit]")
    page.wait_for_selector("text=已重新启用知识库条目")
    assert page.inner_text(".case-head .tag") == "有效"
    console.shot(page, "knowledge-reactivated")
    with console.api("hotline_head") as api:
        assert api.get(f"{K}/{entry_id}").json()["status"] == "valid"
        assert [e["id"] for e in api.get(f"{K}/search", params={"q": mark}).json()["items"]] == [
            entry_id
        ]


def test_head_edits_the_dispatch_catalogue_and_a_town_is_refused(console: Any) -> None:
    code, name = f"TEST_{_unique().upper()}", f"测试/目录维护{_unique()}"
    page = console.new_page()
    console.sign_in(page, "hotline_head")
    page.click("header nav a:has-text('派单目录')")
    expect(page.locator("main tbody tr:has-text('SCJG_FOOD')")).to_contain_text("卫生健康局")
    page.click("main button:has-text('新增分类')")
    form = page.locator("form[aria-label=新增派单目录分类]")
    assert form.locator("#f-level option").first.inner_text() == "请选择…"  # no default level
    form.locator("#f-code").fill(code)
    form.locator("#f-name").fill(name)
    form.locator("#f-level").select_option("county")
    form.locator("#f-lead_department").select_option("SCJGJ")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"text=已新增派单目录分类：{name}")
    assert _fact(page, "牵头单位") == "市场监督管理局"

    edit = page.locator("form[aria-label=修改派单目录分类]")
    edit.locator("#f-lead_department").select_option("ZJJ")
    edit.locator("button:has-text('添加协办单位')").click()
    edit.locator("#f-co-0-department").select_option("RSJ")
    edit.locator("button[type=submit]").click()
    page.wait_for_selector("text=已保存派单目录分类")
    assert (_fact(page, "牵头单位"), _fact(page, "协办单位")) == (
        "住房和城乡建设局",
        "人力资源和社会保障局",
    )
    versions = page.locator("section:has(h2:text-is('历史版本')) tbody tr")
    expect(versions).to_have_count(2)
    expect(versions.first).to_contain_text("第 2 版")
    expect(versions.first).to_contain_text("修改牵头单位、协办单位")
    expect(versions.first).to_contain_text("本人")

    # A county matter pushed down to a town: refused, said in Chinese, nothing changed.
    edit = page.locator("form[aria-label=修改派单目录分类]")
    edit.locator("#f-lead_department").select_option("LONGQUAN")
    edit.locator("button[type=submit]").click()
    expect(edit.locator(".form-error")).to_have_text(REFUSED)
    console.shot(page, "catalogue-town-refused")
    with console.api("hotline_head") as api:
        category = api.get(f"{C}/{code}").json()
        revisions = api.get(f"{C}/{code}/revisions").json()
    assert (category["lead_department"], category["co_departments"], category["revision"]) == (
        "ZJJ",
        ["RSJ"],
        2,
    )
    assert [r["snapshot"]["lead_department"] for r in revisions] == ["SCJGJ", "ZJJ"]
    assert revisions[0]["changed_by"] == revisions[1]["changed_by"] is not None


CLIENT_POST = """async (path) => {
  const { request } = await import("/console/js/api.js");
  try {
    await request(path, { method: "POST", json: { year: 2031, papers: [], days: [] } });
    return "accepted";
  } catch (error) {
    return `${error.status} ${error.message}`;
  }
}"""


def test_a_department_sees_none_of_these_forms_and_its_forged_writes_are_refused(
    console: Any,
) -> None:
    page = console.new_page()
    console.sign_in(page, "scjg_staff")
    page.wait_for_selector("main h1:has-text('工作台')")
    for text in ("节假日安排", "知识库", "派单目录"):
        assert page.locator(f"header nav a:text-is('{text}')").count() == 0
    page.goto(f"{console.base}/console/calendar")
    expect(_year_row(page, 2027)).to_have_count(1)  # readable: where each service stands
    assert page.locator("#f-file, form[aria-label=逐日填写节假日安排]").count() == 0
    expect(page.locator("main")).to_contain_text(
        "节假日安排由系统管理员导入；您当前的岗位只能查看。"
    )
    page.goto(f"{console.base}/console/knowledge?q=营业执照")
    page.wait_for_selector("main tbody tr")  # any staff may search
    assert page.locator("main button:has-text('新增条目')").count() == 0
    page.click("main tbody tr a")
    page.wait_for_selector("text=您当前的岗位只能查看知识库。")
    assert page.locator(".action-buttons").count() == 0
    page.goto(f"{console.base}/console/catalogue/SCJG_FOOD")
    page.wait_for_selector("h2:text-is('历史版本')")
    assert page.locator("form[aria-label=修改派单目录分类]").count() == 0
    page.goto(f"{console.base}/console/catalogue")
    page.wait_for_selector("main tbody tr")
    assert page.locator("main button:has-text('新增分类')").count() == 0
    refused = page.evaluate(CLIENT_POST, _years("hotline"))
    assert refused == "403 您当前的岗位无权进行此操作"
    console.shot(page, "catalogue-readonly-department")

    year = {
        "year": 2031,
        "papers": [],
        "days": [{"name": "元旦", "date": "2031-01-01", "isOffDay": True}],
    }
    entry = {"question": "伪造的知识库条目", "answer": "无"}
    category = {"name": "伪造分类", "lead_department": "SCJGJ", "level": "county"}
    forged = f"FORGED_{_unique().upper()}"
    for username in ("scjg_staff", "operator"):  # a department; the center's operator
        with console.api(username) as api:
            if username == "scjg_staff":
                for service in SERVICES:
                    assert api.post(_years(service), json=year).status_code == 403, service
            assert api.post(K, json=entry).status_code == 403, username
            assert api.put(f"{C}/{forged}", json=category).status_code == 403, username
    with console.api("admin") as api:
        assert 2031 not in [y["year"] for y in api.get(_years("hotline")).json()]
        assert api.get(f"{C}/{forged}").status_code == 404
        assert api.get(f"{K}/search", params={"q": "伪造的知识库条目"}).json()["items"] == []
