"""The console's account pages in a real browser against the whole system: a bureau
administrator creates a person (temporary password shown once), who signs in, is held on the
password page until they choose their own, then reaches their home; the administrator
deactivates them and their next sign-in fails; a reset shows a new temporary password; anyone
changes their own password from the header; a 工作手机 is entered, listed masked, shown in full
for a reason and removed; the integration clients page shows a secret once, rotates and
deactivates it. Every person here is new (the stack is shared, and the demo people's
passwords never change)."""

from __future__ import annotations

import re
import uuid
from typing import Any

from playwright.sync_api import expect

from yingshang.settings import DEMO_PASSWORD


def _unique() -> str:
    return uuid.uuid4().hex[:8]


def _settled(page: Any) -> None:
    expect(page.locator(".state.loading")).to_have_count(0)


def _sign_in(console: Any, page: Any, username: str, password: str) -> None:
    page.goto(f"{console.base}/console/login")
    page.fill("#f-username", username)
    page.fill("#f-password", password)
    page.click("main form button[type=submit]")


def _users_page(console: Any, page: Any) -> None:
    console.sign_in(page, "admin")
    page.click("nav.tabs a:has-text('用户管理')")
    page.wait_for_selector("main h1:has-text('用户管理')")
    _settled(page)


def _find(page: Any, username: str) -> Any:
    """The user's row, found through the page's search."""
    page.fill("#f-q", username)
    page.click("main form[role=search] button[type=submit]")
    page.wait_for_url(re.compile(rf"q={username}"))
    _settled(page)
    return page.locator("tr", has=page.locator("td", has_text=username))


def _create_user(page: Any, username: str, name: str) -> str:
    """The administrator's form: one position at the 12345 center; the temporary password."""
    page.click("button:has-text('新建用户')")
    assert page.input_value("#f-dept-0") == ""  # required choices start blank
    assert page.input_value("#f-role-0") == ""
    page.fill("#f-username", username)
    page.fill("#f-name", name)
    page.select_option("#f-dept-0", "HOTLINE_CENTER")
    page.select_option("#f-role-0", "clerk")
    page.click("form[aria-label=新建用户] button[type=submit]")
    secret = page.wait_for_selector("[data-secret]")
    return str(secret.inner_text()).strip()


def _change_password(page: Any, current: str, new: str) -> None:
    page.fill("#f-current_password", current)
    page.fill("#f-new_password", new)
    page.fill("#f-confirm_password", new)
    page.click("main form button[type=submit]:has-text('确认修改')")


def test_a_new_person_changes_the_temporary_password_then_works(console: Any) -> None:
    admin = console.new_page()
    _users_page(console, admin)
    username, name = f"t_{_unique()}", f"新话务员{_unique()[:4]}"
    temporary = _create_user(admin, username, name)
    assert len(temporary) >= 10
    console.shot(admin, "admin-user-created")
    admin.click("button:has-text('已记下，关闭')")
    expect(admin.locator("[data-secret]")).to_have_count(0)  # shown once
    row = _find(admin, username)
    expect(row).to_contain_text("待本人修改密码")
    expect(row).to_contain_text("12345热线中心")

    person = console.new_page()
    _sign_in(console, person, username, temporary)
    person.wait_for_url("**/console/password")
    expect(person.locator("main")).to_contain_text("您的密码由系统管理员设置")
    assert person.locator("header nav a").count() == 0  # nowhere else to go
    console.shot(person, "password-change-required")
    person.goto(f"{console.base}/console/home")
    person.wait_for_url("**/console/password")  # held on the password page
    _change_password(person, "not-the-temporary", "my-own-password-1")
    expect(person.locator("main form .form-error")).to_have_text("当前密码不正确")
    _change_password(person, temporary, "my-own-password-1")
    person.wait_for_url("**/console/home")
    person.wait_for_selector("main h1:has-text('12345热线工作台')")
    _settled(person)
    assert person.locator(".state.error").count() == 0
    assert name in person.inner_text("header .user-name")
    console.shot(person, "password-changed-home")

    admin.reload()
    row = _find(admin, username)
    expect(row).not_to_contain_text("待本人修改密码")
    row.get_by_role("button", name="停用").click()
    admin.click("[role=group][aria-label^=停用] button:has-text('确认停用')")
    expect(admin.locator(".notice.ok")).to_contain_text(f"已停用用户 {username}")
    expect(_find(admin, username)).to_contain_text("已停用")
    console.shot(admin, "admin-user-deactivated")

    console.logout(person)
    _sign_in(console, person, username, "my-own-password-1")
    expect(person.locator("main form .form-error")).to_contain_text("用户名或密码错误")
    assert "/console/login" in person.url


def test_a_work_mobile_is_entered_listed_masked_and_shown_for_a_reason(console: Any) -> None:
    admin = console.new_page()
    _users_page(console, admin)
    username = f"t_{_unique()}"
    admin.click("button:has-text('新建用户')")
    admin.fill("#f-username", username)
    admin.fill("#f-name", f"手机测试{_unique()[:4]}")
    admin.fill("#f-mobile", "137 0000 8888")
    admin.select_option("#f-dept-0", "HOTLINE_CENTER")
    admin.select_option("#f-role-0", "clerk")
    admin.click("form[aria-label=新建用户] button[type=submit]")
    admin.wait_for_selector("[data-secret]")
    admin.click("button:has-text('已记下，关闭')")
    row = _find(admin, username)
    expect(row).to_contain_text("137****8888")
    expect(row).not_to_contain_text("13700008888")

    row.get_by_role("button", name="查看手机号").click()
    admin.fill("#f-reason", "核对督办短信号码")
    admin.click("form[aria-label^=查看] button[type=submit]")
    expect(admin.locator("[data-mobile]")).to_have_text("13700008888")
    console.shot(admin, "admin-user-mobile-revealed")
    admin.click(".action-panel button:has-text('关闭')")

    _find(admin, username).get_by_role("button", name="编辑").click()
    admin.fill("#f-mobile", "0851-28888888")  # a landline: not a mobile
    admin.click("form[aria-label^=编辑用户] button[type=submit]")
    expect(admin.locator("form[aria-label^=编辑用户] .form-error")).to_contain_text("「工作手机」")
    admin.fill("#f-mobile", "")
    admin.check("#f-remove_mobile")
    admin.click("form[aria-label^=编辑用户] button[type=submit]")
    expect(admin.locator(".notice.ok")).to_contain_text(f"已保存用户 {username}")
    row = _find(admin, username)
    expect(row).not_to_contain_text("137****8888")
    expect(row.get_by_role("button", name="查看手机号")).to_have_count(0)


def _person_with_own_password(console: Any, password: str) -> str:
    """A new person who already replaced the administrator's password (through the API)."""
    username, temporary = f"t_{_unique()}", "temporary-pass-1"
    body = {
        "username": username,
        "name": f"自助改密{_unique()[:4]}",
        "password": temporary,
        "positions": [{"dept": "HOTLINE_CENTER", "role": "clerk"}],
    }
    with console.api("admin") as api:
        assert api.post("/api/v1/admin/users", json=body).status_code == 201
    form = {"grant_type": "password", "username": username, "password": temporary}
    token = console.http.post("/auth/token", data=form).json()["access_token"]
    changed = console.http.post(
        "/auth/password",
        json={"current_password": temporary, "new_password": password},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert changed.status_code == 200, changed.text
    return username


def test_an_edit_keeps_the_password_and_a_reset_shows_a_new_one_once(console: Any) -> None:
    username = _person_with_own_password(console, "first-own-password")
    admin = console.new_page()
    _users_page(console, admin)
    row = _find(admin, username)
    row.get_by_role("button", name="编辑").click()
    admin.fill("#f-name", "已改名")
    admin.click("button:has-text('添加岗位')")
    admin.select_option("#f-dept-1", "BUREAU")
    admin.select_option("#f-role-1", "staff")
    console.shot(admin, "admin-user-edit")
    admin.click("form[aria-label^=编辑用户] button[type=submit]")
    expect(admin.locator(".notice.ok")).to_contain_text(f"已保存用户 {username}")
    row = _find(admin, username)
    expect(row).to_contain_text("已改名")
    expect(row).to_contain_text("营商环境建设局 · 工作人员")
    expect(row).not_to_contain_text("待本人修改密码")  # name and positions: no new password
    row.get_by_role("button", name="重置密码").click()
    admin.click("button:has-text('确认重置')")
    reset = str(admin.locator("[data-secret]").inner_text()).strip()
    console.shot(admin, "admin-user-password-reset")
    form = {"grant_type": "password", "username": username, "password": reset}
    issued = console.http.post("/auth/token", data=form)
    assert issued.status_code == 200, issued.text
    assert issued.json()["password_change_required"] is True
    expect(_find(admin, username)).to_contain_text("待本人修改密码")


def test_anyone_changes_their_own_password_from_the_header(console: Any) -> None:
    username = _person_with_own_password(console, "first-own-password")
    page = console.new_page()
    _sign_in(console, page, username, "first-own-password")
    page.wait_for_selector("main h1:has-text('12345热线工作台')")
    page.click("header .user a:has-text('修改密码')")
    page.wait_for_selector("main h1:has-text('修改密码')")
    assert page.locator("label:has-text('新密码') input#f-new_password").count() == 1
    page.fill("#f-current_password", "first-own-password")
    page.fill("#f-new_password", "second-own-password")
    page.fill("#f-confirm_password", "second-own-passwork")
    page.click("main form button[type=submit]")
    expect(page.locator("main form .form-error")).to_have_text("两次输入的新密码不一致")
    _change_password(page, "first-own-password", "second-own-password")
    expect(page.locator(".notice.ok")).to_contain_text("密码已修改")
    console.shot(page, "password-changed-from-header")
    console.logout(page)
    _sign_in(console, page, username, "first-own-password")
    expect(page.locator("main form .form-error")).to_contain_text("用户名或密码错误")
    _sign_in(console, page, username, "second-own-password")
    page.wait_for_url("**/console/home")


def _client_token(console: Any, client_id: str, secret: str) -> int:
    answer = console.http.post(
        "/auth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
    )
    return answer.status_code


def test_an_integration_client_secret_is_shown_once_rotated_and_stopped(console: Any) -> None:
    page = console.new_page()
    console.sign_in(page, "admin")
    page.click("nav.tabs a:has-text('接口客户端')")
    page.wait_for_selector("main h1:has-text('接口客户端')")
    _settled(page)
    expect(page.locator("tr", has_text="province")).to_contain_text("推送12345诉求")
    client_id = f"t-{_unique()}"
    page.click("button:has-text('新建客户端')")
    assert page.input_value("#f-owner_dept") == ""
    page.fill("#f-client_id", client_id)
    page.fill("#f-name", "测试对接系统")
    page.check("#f-scope-hotline-write")
    console.shot(page, "admin-client-form")
    page.click("form[aria-label=新建接口客户端] button[type=submit]")
    first = str(page.locator("[data-secret]").inner_text()).strip()
    console.shot(page, "admin-client-created")
    assert _client_token(console, client_id, first) == 200
    page.click("button:has-text('已记下，关闭')")
    row = page.locator("tr", has=page.locator("td", has_text=client_id))
    row.get_by_role("button", name="重置密钥").click()
    page.click("button:has-text('确认重置密钥')")
    second = str(page.locator("[data-secret]").inner_text()).strip()
    assert second != first
    assert _client_token(console, client_id, first) == 401
    assert _client_token(console, client_id, second) == 200
    page.click("button:has-text('已记下，关闭')")
    row.get_by_role("button", name="停用").click()
    page.click("button:has-text('确认停用')")
    expect(page.locator(".notice.ok")).to_contain_text(f"已停用客户端 {client_id}")
    expect(row).to_contain_text("已停用")
    assert _client_token(console, client_id, second) == 401
    console.shot(page, "admin-clients")


def test_demo_people_sign_in_without_a_password_change(console: Any) -> None:
    form = {"grant_type": "password", "username": "operator", "password": DEMO_PASSWORD}
    issued = console.http.post("/auth/token", data=form)
    assert issued.status_code == 200
    assert "password_change_required" not in issued.json()
