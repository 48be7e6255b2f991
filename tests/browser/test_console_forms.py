"""What a user typed into a console form survives a refused submit: someone else's change
first (412, the page sent If-Match with the version it showed) shows the current version and
keeps the draft in the form, whose second submit then goes through — on a case's action form,
the dispatch catalogue's editor and a score correction (a thing versioned on its own); a
refusal of the content (422) keeps every field as typed. The public complaint form, the staff's
lists and case page and the complaints service name each category in the same words. Every
step is checked on the page and again through the API."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from playwright.sync_api import expect

KEPT = "该事项已被他人修改，页面已更新为最新内容；您填写的内容仍在表单中，请核对后再次提交"
CASES = "/api/v1/complaints/cases"
C = "/api/v1/hotline/categories"
INDICATORS = "/api/v1/visits/indicators"


def _unique() -> str:
    return uuid.uuid4().hex[:6]


def _fact(page: Any, name: str) -> str:
    return str(page.locator(f"dl.kv dt:text-is('{name}') + dd").first.inner_text())


def _register(api: httpx.Client, title: str, category: str, **extra: Any) -> dict[str, Any]:
    """An anonymous complaint the center registers (about 市场监督管理局)."""
    body = {
        "real_name": False,
        "respondent": "SCJGJ",
        "category": category,
        "title": title,
        "facts": "办理过程中多次往返，窗口以各种理由拖延，至今没有结果。",
        **extra,
    }
    made = api.post(CASES, json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert made.status_code == 201, made.text
    return dict(made.json())


def _api_act(api: httpx.Client, case_id: str, action: str, body: dict[str, Any]) -> None:
    read = api.get(f"{CASES}/{case_id}")
    done = api.post(
        f"{CASES}/{case_id}/{action}", json=body, headers={"If-Match": read.headers["etag"]}
    )
    assert done.status_code == 200, done.text


def test_a_case_action_form_keeps_what_was_typed_through_a_422_and_a_412(console: Any) -> None:
    mark = _unique()
    with console.api("complaints") as api:
        case = _register(api, f"审批拖延{mark}", "approval_delay")
    page = console.new_page()
    console.sign_in(page, "complaints", f"/console/complaints/{case['id']}")
    page.get_by_role("button", name="受理", exact=True).click()
    form = page.locator("form[aria-label=受理]")
    note = "经核实，企业反映的账款确未支付，予以受理。"
    form.locator("[name=category]").select_option("unpaid_bills")
    form.locator("[name=note]").fill(note)
    form.locator("button[type=submit]").click()  # an unpaid bill without its amount: 422
    # named by the form's own labels, in the service's words, each field marked
    expect(form.locator(".form-error")).to_have_text(
        "填写的内容有误：「拖欠金额（元，拖欠账款类）」：拖欠企业账款的投诉须填写涉及金额和账款约定支付日期；"
        "「账款约定支付日期（拖欠账款类）」：拖欠企业账款的投诉须填写涉及金额和账款约定支付日期"
    )
    for refused in ("claimed_amount", "bill_due_date"):
        expect(form.locator(f"[name={refused}]")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("[name=claimed_amount]")).to_be_focused()
    assert form.locator("[name=category]").input_value() == "unpaid_bills"  # as typed
    assert form.locator("[name=note]").input_value() == note
    with console.api("complaints") as api:
        read = api.get(f"{CASES}/{case['id']}").json()
    assert (read["state"], read["category"]) == ("registered", "approval_delay")  # nothing kept
    form.locator("[name=claimed_amount]").fill("120000")
    form.locator("[name=bill_due_date]").fill("2025-06-30")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=已完成：受理")
    with console.api("complaints") as api:
        _api_act(api, case["id"], "assign", {})

    # The unit's staff writes up the investigation while its head records one first.
    console.sign_in(page, "scjg_staff", f"/console/complaints/{case['id']}")
    page.click(".action-buttons button:has-text('调查核实')")
    form = page.locator("form[aria-label=调查核实]")
    draft = f"已调取窗口台账，账款审批卡在财务科（{mark}）。"
    form.locator("[name=note]").fill(draft)
    with console.api("scjg_head") as head:
        _api_act(head, case["id"], "investigate", {"note": "已责成财务科说明情况。"})
    form.locator("button[type=submit]").click()
    expect(form.locator(".form-error")).to_have_text(KEPT)
    assert form.locator("[name=note]").input_value() == draft  # the draft, not a fresh form
    expect(page.locator(".case-head .tag")).to_have_text("调查核实中")  # the current version
    expect(page.locator(".timeline")).to_contain_text("已责成财务科说明情况。")
    console.shot(page, "case-form-kept-after-412")
    form.locator("button[type=submit]").click()  # again: with the version now shown
    page.wait_for_selector("text=已完成：调查核实")
    expect(page.locator("form[aria-label=调查核实]")).to_have_count(0)  # done: the form closed
    with console.api("complaints") as api:
        read = api.get(f"{CASES}/{case['id']}").json()
    notes = [n["body"] for n in read["notes"] if n["kind"] == "investigation"]
    assert notes == ["已责成财务科说明情况。", draft]
    assert (read["state"], read["category"], read["claimed_amount"]) == (
        "investigating",
        "unpaid_bills",
        "120000.00",
    )


def test_the_catalogue_editor_keeps_its_draft_when_someone_else_saved_first(
    console: Any,
) -> None:
    code, name = f"FORMS_{_unique().upper()}", f"测试/草稿保留{_unique()}"
    with console.api("hotline_head") as api:
        body = {"name": name, "level": "county", "lead_department": "SCJGJ", "co_departments": []}
        made = api.put(f"{C}/{code}", json=body)
        assert made.status_code in (200, 201), made.text
    page = console.new_page()
    console.sign_in(page, "hotline_head", f"/console/catalogue/{code}")
    form = page.locator("form[aria-label=修改派单目录分类]")
    mine = f"{name}（本人修改）"
    form.locator("#f-name").fill(mine)
    form.locator("#f-lead_department").select_option("ZJJ")
    form.locator("button:has-text('添加协办单位')").click()
    form.locator("#f-co-0-department").select_option("RSJ")
    with console.api("hotline_head") as api:
        read = api.get(f"{C}/{code}")
        theirs = {**body, "name": f"{name}（他人修改）", "lead_department": "FGJ"}
        saved = api.put(f"{C}/{code}", json=theirs, headers={"If-Match": read.headers["ETag"]})
        assert saved.status_code == 200, saved.text
    form.locator("button[type=submit]").click()
    expect(form.locator(".form-error")).to_have_text(KEPT)
    assert form.locator("#f-name").input_value() == mine
    assert form.locator("#f-lead_department").input_value() == "ZJJ"
    assert form.locator("#f-co-0-department").input_value() == "RSJ"  # the added row too
    assert _fact(page, "分类名称") == theirs["name"]  # the current version, above the form
    expect(page.locator("section:has(h2:text-is('历史版本')) tbody tr")).to_have_count(2)
    console.shot(page, "catalogue-draft-kept-after-412")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=已保存派单目录分类")
    assert (_fact(page, "分类名称"), _fact(page, "牵头单位")) == (mine, "住房和城乡建设局")
    with console.api("hotline_head") as api:
        category = api.get(f"{C}/{code}").json()
    assert (category["name"], category["lead_department"], category["co_departments"]) == (
        mine,
        "ZJJ",
        ["RSJ"],
    )
    assert category["revision"] == 3


def test_a_score_correction_keeps_its_draft_against_its_own_version(console: Any) -> None:
    code = f"FORMS_{_unique().upper()}"
    with console.api("bureau") as api:
        indicator = {"code": code, "name": f"草稿保留{code[-6:]}", "lead_department": "SCJGJ"}
        made = api.post(
            INDICATORS,
            json={**indicator, "owner_name": "冯涛"},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        assert made.status_code == 201, made.text
        scored = api.post(
            f"{INDICATORS}/{code}/scores",
            json={"period": "2025-Q3", "score": "80"},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        assert scored.status_code == 201, scored.text
    page = console.new_page()
    console.sign_in(page, "bureau", f"/console/indicators/{code}")
    scores = page.locator("section:has(h2:text-is('评分记录')) tbody tr")
    scores.locator("button:has-text('更正')").click()
    form = page.locator("form[aria-label='更正 2025-Q3 评分']")
    form.locator("#f-score").fill("91.5")
    form.locator("#f-note").fill("按省评估中心更正通知")
    with console.api("bureau") as api:
        read = api.get(f"{INDICATORS}/{code}/scores/2025-Q3")
        other = {"score": "85", "note": "他人先行更正"}
        saved = api.put(
            f"{INDICATORS}/{code}/scores/2025-Q3",
            json=other,
            headers={"If-Match": read.headers["ETag"]},
        )
        assert saved.status_code == 200, saved.text
    form.locator("button[type=submit]").click()
    expect(form.locator(".form-error")).to_have_text(KEPT)
    assert (form.locator("#f-score").input_value(), form.locator("#f-note").input_value()) == (
        "91.5",
        "按省评估中心更正通知",
    )
    expect(scores).to_contain_text("他人先行更正")  # the current score, next to the draft
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=已更正 2025-Q3 评分")
    expect(scores).to_contain_text("91.5")
    with console.api("bureau") as api:
        score = api.get(f"{INDICATORS}/{code}/scores/2025-Q3").json()
    assert (score["score"], score["note"]) == ("91.50", "按省评估中心更正通知")


def test_a_complaint_category_reads_the_same_on_the_public_form_and_for_the_staff(
    console: Any,
) -> None:
    page = console.new_page()  # the public form first, then the center in the same tab
    page.goto(f"{console.base}/console/public/complaint")
    options = page.locator("#f-category option:not([value=''])")  # after 请选择…
    expect(options).not_to_have_count(0)
    offered = dict(
        zip(
            [str(v) for v in options.evaluate_all("(os) => os.map((o) => o.value)")],
            options.all_inner_texts(),
            strict=True,
        )
    )
    mark = _unique()
    extra: dict[str, dict[str, str]] = {
        "unpaid_bills": {"claimed_amount": "1000", "bill_due_date": "2025-06-30"},
        "other": {"category_other": "强制捐赠"},
    }
    with console.api("complaints") as api:
        service = {
            code: _register(api, f"类别{mark}{code}", code, **extra.get(code, {}))
            for code in offered
        }
    # The service names every category the form offers in the form's words.
    assert {code: case["category_label"] for code, case in service.items()} == offered

    console.sign_in(page, "complaints")
    waiting = page.locator(f"section:has(h2:has-text('待受理')) tbody tr:has-text('类别{mark}')")
    expect(waiting).to_have_count(len(offered))
    for code, case in service.items():
        row = waiting.filter(has_text=case["number"])
        expect(row.locator("td[data-label=类别]")).to_have_text(offered[code])
    case = service["approval_delay"]
    waiting.locator("a", has_text=case["number"]).click()  # to the case page
    page.wait_for_selector(".case-head")
    assert _fact(page, "类别") == offered["approval_delay"]
    page.get_by_role("button", name="受理", exact=True).click()
    corrected = page.locator("form[aria-label=受理] [name=category] option:not([value=''])")
    assert corrected.all_inner_texts() == list(offered.values())  # the accept form's choices


HOTLINE_TEXT = {"#f-title": "路灯不亮", "#f-content": "小区路灯损坏一个月无人维修"}
COMPLAINT_FACTS = "执法人员要求本企业向指定供应商购买设备。"
COMPLAINT_TEXT = {"#f-title": "检查中要求购买设备", "#f-facts": COMPLAINT_FACTS}
PUBLIC_CHOICES = [  # (page, the choice, its label on the form, the fields a person fills in)
    ("hotline", "type", "诉求类型", HOTLINE_TEXT),
    ("complaint", "category", "投诉类别", COMPLAINT_TEXT),
]


def test_the_public_forms_preselect_no_type_and_send_none_without_one(console: Any) -> None:
    """The 12345 form's type and the complaint form's category start at "请选择": a person who
    skips them is stopped by the form, and were the form bypassed, the service's 422 is shown
    as the field that must be filled (nothing is recorded under the first option)."""
    page = console.new_page()
    for path, name, label, filled in PUBLIC_CHOICES:
        page.goto(f"{console.base}/console/public/{path}")
        choice = page.locator(f"#f-{name}")
        expect(choice).to_have_value("")
        assert choice.locator("option").first.inner_text() == "请选择…"
        for selector, text in filled.items():
            page.fill(selector, text)
        page.check("input[name=anonymous]")
        page.click("form button[type=submit]")
        expect(page.locator(f"#f-{name}:invalid")).to_have_count(1)  # the browser refuses
        choice.evaluate("(el) => { el.required = false; }")  # as if the check were not there
        page.click("form button[type=submit]")
        refused = page.locator("form .form-error")
        expect(refused).to_have_text(f"填写的内容有误：「{label}」必须填写")
        expect(choice).to_have_attribute("aria-invalid", "true")
        expect(page.locator(".notice.ok")).to_have_count(0)
