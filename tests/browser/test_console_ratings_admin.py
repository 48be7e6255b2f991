"""The bureau's oversight pages in the console, walked through the real stack.

好差评: the bureau's head reveals a rater only by giving a reason (audited), the rated
department sees no part of the rater. 申诉复核: the rated department appeals a 差评 from the
rating's page (a second appeal is refused in the form), the bureau upholds it and the rating
leaves the statistics; an appeal typed as the session ended is given back after signing in.
暗访: the complaints center records an inspection whose finding goes to the department. 三为主:
a department records a penalty and sees its mix; the bureau reads it and records nothing. Each
position gets the navigation its API allows."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from playwright.sync_api import expect

from yingshang.settings import DEMO_PASSWORD

RATINGS = "/api/v1/ratings/ratings"
NAV = "header nav a"
APPEAL_FORM = "form[aria-label='提出申诉']"
SESSION_KEY = "ys.console.session"  # where the console keeps the tokens of this tab


def _bad_rating_of_scjgj(console: Any, department: str = "SCJGJ", **case: Any) -> dict[str, Any]:
    """A 差评 of 市场监管局 (or ``department``) pushed by the provincial platform with the
    rater's real name (``case``: more or other fields of the rated 办件 and node)."""
    form = {"grant_type": "client_credentials", "client_id": "province"}
    token = console.http.post("/auth/token", data={**form, "client_secret": DEMO_PASSWORD})
    assert token.status_code == 200, token.text
    body = {
        "external_id": f"GZ{uuid.uuid4().hex[:12]}",
        "case": {
            "case_number": f"SCJG{uuid.uuid4().hex[:8].upper()}",
            "node": "finish",
            "service": "approvals",
            "case_kind": "application",
            "case_id": str(uuid.uuid4()),
            "department": department,
            "item_name": "食品经营许可",
            **case,
        },
        "level": 1,
        "comment": "窗口人员态度差，材料一次说不清",
        "channel": "web",
        "rater": {"name": "李四海", "phone": "13900004321"},
        "rated_at": datetime.now(UTC).isoformat(),
    }
    headers = {
        "Authorization": f"Bearer {token.json()['access_token']}",
        "Idempotency-Key": str(uuid.uuid4()),
    }
    made = console.http.post(RATINGS, json=body, headers=headers)
    assert made.status_code == 201, made.text
    return dict(made.json())


def _open(console: Any, username: str, path: str, ready: str = ".case-head") -> Any:
    page = console.new_page()
    console.sign_in(page, username, path)
    page.wait_for_selector(ready)
    return page


def _buttons(page: Any) -> list[str]:
    return [t.strip() for t in page.locator(".action-buttons button").all_inner_texts()]


def test_the_bureau_reveals_a_rater_with_a_reason_the_department_sees_none(console: Any) -> None:
    rating = _bad_rating_of_scjgj(console)
    department = _open(console, "scjg_staff", "/console/ratings?level=bad", "h1")
    row = department.locator("tr", has_text=rating["case_number"])
    expect(row).to_contain_text("不向被评价单位显示")
    row.locator("a").click()
    department.wait_for_selector(".case-head")
    assert _buttons(department) == ["提出申诉"]  # no 查看评价人身份 for the rated party
    expect(department.locator("main")).not_to_contain_text("1390000")
    department.close()

    page = _open(console, "bureau", f"/console/ratings/{rating['id']}")
    rater = page.locator("section:has(h2:text-is('评价人'))")
    expect(rater).to_contain_text("139****4321")
    page.click(".action-buttons button:has-text('查看评价人身份')")
    reason = "核实差评真实性，需回访评价人"
    page.fill("form[aria-label='查看评价人身份'] [name=reason]", reason)
    page.click("form[aria-label='查看评价人身份'] button[type=submit]")
    expect(rater).to_contain_text("13900004321")
    expect(rater).to_contain_text("李四海")
    expect(page.locator(".notice.ok")).to_contain_text("记入审计日志")
    assert _buttons(page) == []
    console.shot(page, "rating-unmasked")

    with console.api("admin") as admin:
        params = {"object_kind": "rating", "object_id": rating["id"]}
        entries = admin.get("/api/v1/ratings/admin/audit", params=params).json()["items"]
    assert [e["detail"].get("reason") for e in entries] == [reason]


def test_a_department_appeals_a_bad_rating_and_the_bureau_upholds_it(console: Any) -> None:
    rating = _bad_rating_of_scjgj(console)
    page = _open(console, "scjg_staff", f"/console/ratings/{rating['id']}")
    appeal_form = APPEAL_FORM
    reason = "评价人所述材料问题系省平台系统故障所致"
    page.click(".action-buttons button:has-text('提出申诉')")
    page.fill(f"{appeal_form} [name=reason]", reason)
    page.click(f"{appeal_form} button[type=submit]")
    page.wait_for_url("**/console/appeals/*")
    expect(page.locator(".notice.ok")).to_contain_text("申诉已提交")
    assert page.inner_text(".case-head .tag") == "待复核"
    assert _buttons(page) == []  # the unit does not decide its own appeal
    page.go_back()  # a second appeal while the first is pending: refused in the form
    page.click(".action-buttons button:has-text('提出申诉')")
    page.fill(f"{appeal_form} [name=reason]", "再次申诉")
    page.click(f"{appeal_form} button[type=submit]")
    expect(page.locator(f"{appeal_form} .form-error")).to_have_text("该评价的申诉正在审核中")
    page.close()

    bureau = _open(console, "bureau_staff", "/console/appeals", "h1")
    row = bureau.locator("tr", has_text=reason)
    expect(row).to_contain_text("待复核")
    row.locator("a").click()
    bureau.wait_for_selector(".case-head")
    expect(bureau.locator("section:has(h2:text-is('被申诉的评价'))")).to_contain_text("1 星")
    assert _buttons(bureau) == ["申诉成立", "驳回申诉"]
    bureau.click(".action-buttons button:has-text('申诉成立')")
    bureau.fill(".action-form [name=note]", "经核实，系省平台故障，申诉成立")
    bureau.click(".action-form button:has-text('确认申诉成立')")
    bureau.wait_for_selector("text=已完成：申诉成立")
    assert bureau.inner_text(".case-head .tag") == "申诉成立"
    console.shot(bureau, "appeal-upheld")

    with console.api("bureau") as api:
        assert api.get(f"{RATINGS}/{rating['id']}").json()["excluded"] is True


def test_an_appeal_typed_as_the_session_ended_is_given_back_after_signing_in(
    console: Any,
) -> None:
    rating = _bad_rating_of_scjgj(console)
    path = f"/console/ratings/{rating['id']}"
    page = _open(console, "scjg_staff", path)
    page.click(".action-buttons button:has-text('提出申诉')")
    reason = "该差评所指窗口当日未开放，评价对象有误"
    page.fill(f"{APPEAL_FORM} [name=reason]", reason)
    tokens = page.evaluate(f"JSON.parse(sessionStorage.getItem('{SESSION_KEY}'))")
    logout = {"refresh_token": tokens["refresh"]}  # logged out elsewhere: no refresh either
    assert page.request.post(f"{console.base}/auth/logout", form=logout).status == 204
    page.route("**/appeals", lambda route: route.fulfill(status=401, body=""))  # token ran out
    page.click(f"{APPEAL_FORM} button[type=submit]")
    page.wait_for_url("**/console/login?next=**")
    page.unroute("**/appeals")
    page.fill("#f-username", "scjg_staff")
    page.fill("#f-password", DEMO_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"**{path}")
    form = page.locator(APPEAL_FORM)  # opened again by itself, with what was typed
    expect(form).to_contain_text("登录过期前填写的内容已恢复")
    assert form.locator("[name=reason]").input_value() == reason


def test_the_complaints_center_records_an_inspection_with_a_finding(console: Any) -> None:
    page = _open(console, "complaints", "/console/inspections", "h1")
    scope = f"县政务服务中心市场监管窗口{uuid.uuid4().hex[:6]}"
    page.click("button:has-text('记录暗访')")
    form = "form[aria-label='记录暗访']"
    page.fill(f"{form} [name=scope]", scope)
    page.fill(f"{form} [name='team.0.name']", "王明")
    page.click(f"{form} button:has-text('添加问题')")
    page.select_option(f"{form} [name='findings.0.department']", "SCJGJ")
    page.select_option(f"{form} [name='findings.0.finding_class']", "irregular")
    page.fill(f"{form} [name='findings.0.description']", "窗口人员要求企业重复提交营业执照复印件")
    page.click(f"{form} button[type=submit]")
    page.wait_for_url("**/console/inspections/*")
    expect(page.locator(".notice.ok")).to_contain_text("1 个问题已交责任单位整改")
    finding = page.locator("section:has(h2:text-is('发现的问题')) tbody tr")
    expect(finding).to_contain_text("不规范")
    expect(finding).to_contain_text("整改中")
    console.shot(page, "inspection-recorded")
    page.click(f"{NAV}:text-is('暗访')")
    expect(page.locator("tr", has_text=scope)).to_have_count(1)
    page.close()

    with console.api("scjg_staff") as department:  # the finding is the department's to rectify
        found = department.get("/api/v1/complaints/findings", params={"state": "open"}).json()
    assert any("重复提交营业执照" in f["description"] for f in found["items"])


def _steps(console: Any, username: str, rect_id: str, *steps: tuple[str, Any]) -> str:
    """Take ``steps`` (path, body) on a rectification as ``username``; its state after them."""
    path = f"/api/v1/ratings/rectifications/{rect_id}"
    with console.api(username) as api:
        tag = api.get(path).headers["ETag"]
        for step, body in steps:
            done = api.post(f"{path}/{step}", json=body, headers={"If-Match": tag})
            assert done.status_code == 200, done.text
            tag = done.headers["ETag"]
    return str(done.json()["state"])


def _rectifying(console: Any, rect_id: str) -> None:
    """The ratings center (the bureau's staff here) calls the rater back and classifies the
    差评: the rectification is the rated unit's to rectify (整改中)."""
    called = ("call-back", {"reached": True, "verified": True, "note": "已联系评价人"})
    classified = ("classify", {"classification": "deadline"})
    assert _steps(console, "bureau_staff", rect_id, called, classified) == "rectifying"


def _rectification_of(console: Any, username: str, rating: dict[str, Any]) -> dict[str, Any]:
    """The 差评整改 a 差评 opened, as the rated unit (``username``) lists it."""
    params = {"department": rating["department"], "limit": 100}
    with console.api(username) as api:
        mine = api.get("/api/v1/ratings/rectifications", params=params).json()["items"]
    (rect,) = [r for r in mine if r["rating_id"] == rating["id"]]
    return dict(rect)


def test_the_bureau_home_tells_an_appeal_from_an_invalid_rating_claim(console: Any) -> None:
    """申诉 (of a rating, /appeals) and 申请无效差评 (on its rectification) both wait for the
    bureau: its home lists each under its own name."""
    rating = _bad_rating_of_scjgj(console)
    rect = _rectification_of(console, "scjg_staff", rating)
    _rectifying(console, rect["id"])
    claim = ("claim-invalid", {"reason": "评价人反映的并非本窗口业务"})
    assert _steps(console, "scjg_staff", rect["id"], claim) == "invalid_review"
    page = _open(console, "bureau", "/console/home", "h1")
    claims = page.locator("section:has(h2:text-is('无效差评申请待审核（差评整改中提出）'))")
    expect(claims.locator("tr", has_text=rect["number"])).to_have_count(1)
    appeals = page.locator("section:has(h2:text-is('评价申诉待复核（对好差评评价的申诉）'))")
    expect(appeals).to_have_count(1)
    expect(appeals).not_to_contain_text(rect["number"])
    page.close()


def test_the_centers_see_their_own_findings_and_rectifications(console: Any) -> None:
    """The 政务服务中心 and the 12345 center are rated and inspected like any department: their
    差评整改 and 暗访问题 are on their own 工作台, not only on the departments' homes."""
    body = {
        "conducted_on": datetime.now(UTC).date().isoformat(),
        "team": ["王明"],
        "scope": "两个中心的办事体验",
        "findings": [
            {"department": d, "finding_class": "irregular", "description": f"{d}窗口未一次告知"}
            for d in ("HALL", "HOTLINE_CENTER")
        ],
    }
    with console.api("complaints") as center:
        made = center.post("/api/v1/complaints/inspections", json=body)
    assert made.status_code == 201, made.text
    findings = {f["department"]: f["number"] for f in made.json()["findings"]}
    for unit, username in (("HALL", "hall_head"), ("HOTLINE_CENTER", "hotline_head")):
        rating = _bad_rating_of_scjgj(console, unit)
        with console.api(username) as api:
            mine = api.get(
                "/api/v1/ratings/rectifications", params={"department": unit, "limit": 100}
            )
        (rect,) = [r for r in mine.json()["items"] if r["rating_id"] == rating["id"]]
        _rectifying(console, rect["id"])
        page = _open(console, username, "/console/", "h1")
        own = page.locator("section:has(h2:text-is('差评整改'))")
        expect(own.locator("tr", has_text=rect["number"])).to_have_count(1)
        found = page.locator("section:has(h2:text-is('暗访问题整改'))")
        expect(found.locator("tr", has_text=findings[unit])).to_have_count(1)
        page.close()


def test_the_ratings_list_tells_the_nodes_apart_and_names_the_window(console: Any) -> None:
    """An application rated at 受理 and at 办结 is two rows told apart by 评价环节; the window
    shows by the hall's and the window's names, not by its codes."""
    case = {"case_number": f"SCJG{uuid.uuid4().hex[:8].upper()}", "case_id": str(uuid.uuid4())}
    at = {"window": "HALL_COUNTY/W01", "staff_no": "ZW2001"}
    for node in ("accept", "finish"):
        _bad_rating_of_scjgj(console, **case, **at, node=node)
    halls = console.http.get("/api/v1/public/halls").json()
    (hall,) = [h for h in halls if h["code"] == "HALL_COUNTY"]
    (window,) = [w for w in hall["windows"] if w["code"] == "W01"]
    page = _open(console, "bureau", "/console/ratings?department=SCJGJ", "h1")
    rows = page.locator("tr", has_text=case["case_number"])
    expect(rows).to_have_count(2)
    headers = [t.strip() for t in rows.first.locator("xpath=ancestor::table//th").all_inner_texts()]
    node = rows.locator(f"td:nth-child({headers.index('评价环节') + 1})")
    assert sorted(t.strip() for t in node.all_inner_texts()) == ["办结", "受理"]
    expect(rows.first).to_contain_text(f"{hall['name']} · {window['name']}")
    expect(rows.first).not_to_contain_text("HALL_COUNTY")
    expect(rows.first).to_contain_text("周静（ZW2001）")  # the clerk by name (county.yaml, demo)
    page.close()


def test_a_department_records_a_penalty_and_the_bureau_reads_its_mix(console: Any) -> None:
    page = _open(console, "scjg_staff", "/console/enforcement", "h1")
    description = f"无证经营食品，责令停业并罚款{uuid.uuid4().hex[:6]}"
    page.click("button:has-text('登记执法行为')")
    form = "form[aria-label='登记执法行为']"
    expect(page.locator(f"{form} [name=fine_amount]")).to_be_hidden()
    basis = page.locator(f"{form} [name=legal_basis]")
    expect(basis).not_to_have_attribute("required", "")  # 法律依据: required for 处罚 only
    page.select_option(f"{form} [name=kind]", "penalty")
    expect(basis).to_have_attribute("required", "")
    page.fill(f"{form} [name=fine_amount]", "500")
    page.fill(f"{form} [name=description]", description)
    page.fill(f"{form} [name=legal_basis]", "《中华人民共和国食品安全法》第一百二十二条")
    page.click(f"{form} button[type=submit]")
    expect(page.locator(".notice.ok")).to_contain_text("已登记")
    row = page.locator("tr", has_text=description)
    expect(row).to_contain_text("处罚")
    expect(row).to_contain_text("500")
    mix = page.locator("section:has(h2:text-is('执法结构')) tbody tr", has_text="市场监督管理局")
    expect(mix).to_have_count(1)
    page.close()

    bureau = _open(console, "bureau", "/console/enforcement", "h1")
    expect(bureau.locator("tr", has_text=description)).to_contain_text("市场监督管理局")
    expect(bureau.locator("button:has-text('登记执法行为')")).to_have_count(0)
    console.shot(bureau, "enforcement-mix")


def _nav(console: Any, username: str) -> list[str]:
    page = _open(console, username, "/console/home", "main h1")
    texts = [t.strip() for t in page.locator(NAV).all_inner_texts()]
    page.close()
    return texts


def test_each_position_gets_the_oversight_pages_its_api_allows(console: Any) -> None:
    oversight = ["好差评", "申诉复核", "暗访", "三为主"]
    users = ("operator", "scjg_staff", "complaints", "committee")
    shown = {user: [t for t in _nav(console, user) if t in oversight] for user in users}
    assert shown == {
        "operator": ["好差评", "申诉复核"],
        "scjg_staff": ["好差评", "申诉复核", "三为主"],
        "complaints": oversight,
        "committee": oversight,
    }
    with console.api("scjg_staff") as department:  # the API agrees: no 暗访 records for it
        assert department.get("/api/v1/complaints/inspections").status_code == 403
