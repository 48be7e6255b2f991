"""Approvals administration in the console, through the real stack: the county's administrator
(BUREAU/admin) keeps the catalogue (事项目录) — a committed limit shown against the statutory
one, refused in the service's words when above it, materials edited as rows, someone else's
change first said and the form kept, retired — and the 一件事一次办 packages, items chosen from
the catalogue; a unit's own admin publishes its 四公开 lists and sees no catalogue to keep.
Every step is checked on the page and again through the API."""

from __future__ import annotations

import uuid
from typing import Any

from playwright.sync_api import expect

from yingshang.settings import DEMO_PASSWORD

A = "/api/v1/approvals"
STALE = "该事项已被他人修改，页面已更新为最新内容；您填写的内容仍在表单中，请核对后再次提交"


def _unique() -> str:
    return uuid.uuid4().hex[:6]


def _fact(page: Any, name: str) -> str:
    return str(page.locator(f"dl.kv dt:text-is('{name}') + dd").first.inner_text())


def _item_code(console: Any) -> str:
    """A new valid implementation code: the 市场监管局's USCC (a seeded item's) + 13 digits."""
    with console.api("admin") as api:
        seeded = api.get(f"{A}/items", params={"q": "食品经营许可"}).json()["items"][0]
    return f"{seeded['code'][:18]}{uuid.uuid4().int % 10**7:07d}000000"


def _codes(console: Any, *names: str) -> list[str]:
    with console.api("admin") as api:
        found = {
            i["name"]: i["code"]
            for i in api.get(f"{A}/items", params={"limit": 200}).json()["items"]
        }
    return [found[n] for n in names]


def test_the_county_administrator_keeps_the_catalogue(console: Any) -> None:
    code, name = _item_code(console), f"测试许可事项{_unique()}"
    page = console.new_page()
    listed = "**/api/v1/approvals/items?**"
    page.route(listed, lambda route: route.abort())  # the list cannot be read: said, retried
    console.sign_in(page, "admin", "/console/approvals/items")
    expect(page.locator("main .state.error")).to_contain_text("网络连接失败")
    page.unroute(listed)
    page.click("main .state.error button:text-is('重试')")
    expect(page.locator("main tbody tr").first).to_be_visible()
    page.fill("#f-q", "食品经营许可")
    page.click("form[aria-label=筛选事项] button[type=submit]")
    expect(page.locator("main tbody tr")).to_have_count(1)
    expect(page.locator("main tbody tr")).to_contain_text(
        "法定 20 / 承诺 8 个工作日（压缩 60.0%，按县默认40%）"
    )
    expect(page.locator("main tbody tr td").last).to_have_text("在用")  # an item is not 在办

    page.click("main button:has-text('新增事项')")
    form = page.locator("form[aria-label=新增事项]")
    form.locator("#f-code").fill(code)
    form.locator("#f-name").fill(name)
    form.locator("#f-department").select_option("SCJGJ")
    form.locator("#f-item_type").select_option("licensing")
    form.locator("#f-statutory_limit").fill("20")
    preview = form.locator(".limits-preview")
    expect(preview).to_have_text(
        "承诺时限 8 个工作日：按县默认，法定时限 20 个工作日的40%，压缩 60.0%"
    )
    form.locator("#f-committed_limit").fill("25")
    expect(preview).to_have_text("承诺时限 25 个工作日超过了法定时限 20 个工作日")
    for n, material in enumerate(("申请书", "营业执照复印件")):
        form.locator("button:has-text('添加材料')").click()
        form.locator(f"#f-materials-{n}-name").fill(material)
    form.locator("#f-materials-1-required").uncheck()
    form.locator("button[type=submit]").click()  # the service refuses, in its own words
    expect(form.locator(".form-error")).to_have_text(
        "填写的内容有误「承诺时限（工作日）」：承诺时限 25 个工作日超过了法定时限 20 个工作日："
        "承诺时限只能等于或短于法定时限"
    )
    console.shot(page, "approvals-item-committed-refused")
    form.locator("#f-committed_limit").fill("")
    with page.expect_request(lambda r: r.method == "POST" and r.url.endswith(f"{A}/items")) as sent:
        form.locator("button[type=submit]").click()
    assert sent.value.headers.get("idempotency-key")
    expect(page.locator(".notice.ok")).to_have_text(f"已新增事项：{name}")
    expect(page.locator("main .case-head .tag")).to_have_text("在用")
    assert _fact(page, "设立企业") == "否"
    assert _fact(page, "时限") == "法定 20 / 承诺 8 个工作日（压缩 60.0%，按县默认40%）"
    expect(page.locator("section:has(h2:text-is('申请材料')) tbody tr")).to_have_count(2)

    # Changed: the statutory limit (the default committed one follows), a material removed.
    page.click("main button:text-is('修改')")
    edit = page.locator("form[aria-label=修改事项]")
    edit.locator("#f-statutory_limit").fill("30")
    expect(edit.locator(".limits-preview")).to_contain_text("承诺时限 12 个工作日：按县默认")
    edit.locator("[aria-label='材料 2'] button:has-text('删除此材料')").click()
    edit.locator("#f-name").fill(f"{name}（改）")
    edit.locator("#f-registers_enterprise").check()  # it forms the enterprise (设立登记)
    with console.api("admin") as api:  # someone else saves first
        tag = api.get(f"{A}/items/{code}").headers["ETag"]
        api.patch(
            f"{A}/items/{code}", json={"contact_phone": "0851-5221234"}, headers={"If-Match": tag}
        )
    edit.locator("button[type=submit]").click()
    expect(edit.locator(".form-error")).to_have_text(STALE)
    assert _fact(page, "咨询电话") == "0851-5221234"  # the current version, the form as typed
    expect(edit.locator("#f-name")).to_have_value(f"{name}（改）")
    edit.locator("button[type=submit]").click()  # knowingly over the version now shown
    expect(page.locator(".notice.ok")).to_have_text("已保存事项")
    assert _fact(page, "时限") == "法定 30 / 承诺 12 个工作日（压缩 60.0%，按县默认40%）"
    assert _fact(page, "设立企业") == "是（法人申请可不填统一社会信用代码）"

    page.click("main button:text-is('停用')")
    page.click("form[aria-label=停用事项] button[type=submit]")
    expect(page.locator("main .case-head .tag")).to_have_text("已停用")
    expect(page.locator("section:has(h2:text-is('历史版本')) tbody tr").first).to_contain_text(
        "停用"
    )
    console.shot(page, "approvals-item-retired")
    with console.api("admin") as api:
        item = api.get(f"{A}/items/{code}").json()
        versions = api.get(f"{A}/items/{code}/history").json()
    assert (item["active"], item["statutory_limit"], item["committed_limit"]) == (False, 30, 12)
    assert item["registers_enterprise"] is True
    assert item["materials"] == [
        {"name": "申请书", "required": True, "copies": 1, "original": False, "note": None}
    ]
    assert [v["change"] for v in versions] == ["created", "updated", "updated", "retired"]


def test_the_county_administrator_bundles_items_into_a_package(console: Any) -> None:
    code, name = f"PKG_{_unique().upper()}", f"测试一件事{_unique()}"
    seal, tax, food = _codes(console, "公章刻制备案", "税务登记及发票申领", "食品经营许可")
    page = console.new_page()
    console.sign_in(page, "admin")
    page.click("header nav a:text-is('一件事一次办')")
    expect(page.locator("main tbody tr:has-text('开办企业一件事') td").last).to_have_text("在用")
    page.click("main button:has-text('新增套餐')")
    form = page.locator("form[aria-label=新增一件事一次办套餐]")
    form.locator("#f-code").fill(code)
    form.locator("#f-name").fill(name)
    form.locator("#f-lead_department").select_option("GAJ")
    form.locator("#f-items-0-code").select_option(seal)
    form.locator("#f-items-1-code").select_option(tax)
    expect(form.locator(".limits-preview")).to_contain_text(
        "承诺时限 4 个工作日：按县默认，法定时限 10 个工作日"
    )
    form.locator("button:has-text('添加减免')").click()
    form.locator("#f-fee_waivers-0-item_code").select_option(seal)
    form.locator("#f-fee_waivers-0-waiver").fill("新办企业免费刻制公章5枚")
    form.locator("button[type=submit]").click()
    expect(page.locator(".notice.ok")).to_have_text(f"已新增套餐：{name}")
    assert _fact(page, "涉及部门") == "公安局、国家税务总局凤冈县税务局"
    console.shot(page, "approvals-package-created")

    page.click("main button:text-is('修改')")
    edit = page.locator("form[aria-label=修改套餐]")
    edit.locator("button:has-text('添加事项')").click()
    edit.locator("#f-items-2-code").select_option(food)
    expect(edit.locator(".limits-preview")).to_contain_text(
        "承诺时限 8 个工作日：按县默认，法定时限 20 个工作日"
    )
    edit.locator("button[type=submit]").click()
    expect(page.locator(".notice.ok")).to_have_text("已保存套餐")
    assert _fact(page, "时限").startswith("法定 20 / 承诺 8 个工作日")
    expect(page.locator("section:has(h2:has-text('套餐中的事项')) tbody tr")).to_have_count(3)

    page.click("main button:text-is('停用')")
    page.click("form[aria-label=停用套餐] button[type=submit]")
    expect(page.locator("main .case-head .tag")).to_have_text("已停用")
    with console.api("admin") as api:
        package = api.get(f"{A}/packages/{code}").json()
        offered = [p["code"] for p in api.get(f"{A}/packages").json()]
    assert (package["active"], package["item_codes"], package["committed_limit"]) == (
        False,
        [seal, tax, food],
        8,
    )
    assert package["fee_waivers"] == [{"item_code": seal, "waiver": "新办企业免费刻制公章5枚"}]
    assert code not in offered


def _unit_admin(console: Any, dept: str) -> str:
    """A new person holding the admin post of ``dept``, signed in as the tests sign in."""
    username = f"u_{_unique()}"
    person = {
        "username": username,
        "name": f"单位管理员{_unique()[:4]}",
        "password": "temporary-pass-1",
        "positions": [{"dept": dept, "role": "admin"}],
    }
    with console.api("admin") as api:
        assert api.post("/api/v1/admin/users", json=person).status_code == 201
    form = {"grant_type": "password", "username": username, "password": person["password"]}
    token = console.http.post("/auth/token", data=form).json()["access_token"]
    changed = console.http.post(
        "/auth/password",
        json={"current_password": person["password"], "new_password": DEMO_PASSWORD},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert changed.status_code == 200, changed.text
    return username


def test_a_unit_admin_publishes_its_own_lists_and_keeps_no_catalogue(console: Any) -> None:
    username, title = _unit_admin(console, "SCJGJ"), f"测试收费标准{_unique()}"
    page = console.new_page()
    console.sign_in(page, username)
    page.wait_for_selector("main h1:has-text('工作台')")
    for text in ("事项目录", "一件事一次办"):
        assert page.locator(f"header nav a:text-is('{text}')").count() == 0
    page.goto(f"{console.base}/console/approvals/items")
    expect(page.locator("main .notice")).to_have_text(
        "事项目录由县营商局系统管理员维护；您当前的岗位不能维护。"
    )
    assert page.locator("main button:has-text('新增事项'), main table").count() == 0

    page.click("header nav a:text-is('四公开')")
    expect(page.locator("main h1")).to_have_text("四公开 · 市场监督管理局")
    expect(page.locator("main")).to_contain_text("本单位还没有发布政策法规")
    page.click("main nav.tabs a:text-is('权责清单')")
    expect(page.locator("main tbody tr:has-text('食品经营许可')")).to_contain_text("公开中")
    page.click("main nav.tabs a:text-is('收费标准')")
    page.click("main button:text-is('发布收费标准')")
    form = page.locator("form[aria-label=发布收费标准]")
    form.locator("#f-title").fill(title)
    form.locator("#f-body").fill("食品经营许可不收费。")
    form.locator("button[type=submit]").click()
    expect(page.locator(".notice.ok")).to_have_text(f"已发布：{title}")
    row = page.locator(f"main tbody tr:has-text('{title}')")
    row.get_by_role("button", name="修改").click()
    edit = page.locator("form[aria-label=修改收费标准]")
    edit.locator("#f-doc_number").fill("凤市监发〔2026〕1号")
    edit.locator("button[type=submit]").click()
    expect(page.locator(".notice.ok")).to_have_text(f"已保存：{title}")
    expect(row).to_contain_text("凤市监发〔2026〕1号")
    row.get_by_role("button", name="停止公开").click()
    page.click("form[aria-label=停止公开] button[type=submit]")
    expect(row).to_contain_text("已停用")
    console.shot(page, "approvals-disclosure-unit")

    with console.api(username) as api:
        public = api.get(f"{A}/disclosure/documents", params={"department": "SCJGJ"}).json()
        kept = api.get(
            f"{A}/disclosure/documents",
            params={"department": "SCJGJ", "kind": "fee_standard", "include_retired": True},
        ).json()["items"]
        [doc] = [d for d in kept if d["title"] == title]
        versions = api.get(f"{A}/disclosure/documents/{doc['id']}/history").json()
    assert title not in [d["title"] for d in public["items"]]
    assert (doc["department"], doc["doc_number"], doc["active"]) == (
        "SCJGJ",
        "凤市监发〔2026〕1号",
        False,
    )
    assert [v["change"] for v in versions] == ["created", "updated", "retired"]
