"""The window pad (窗口评价器) of W02 in the county hall: the bureau's admin makes its client
(scope approvals:pad), the hall's head binds it to the window in the console (which then shows
the window's client and since when, what an unbind would remove), the hall's staff set the pad
up once at /console/pad; the application taken in at W02 shows its rating form there, the
rating reaches svc-ratings by the window_pad channel, and the pad returns to its welcome; the
head unbinds it."""

from __future__ import annotations

import re
import uuid
from typing import Any

from playwright.sync_api import expect

A = "/api/v1/approvals"
HALL, WINDOW = "HALL_COUNTY", "W02"  # a comprehensive window no other browser test uses
FOOD = "食品经营许可"  # a 承诺件: 受理 is its one evaluation node at the window
LANDSCAPE = {"width": 1280, "height": 800}  # a 10-inch tablet
# The pad's timers (pad.js POLL_MS, rate.js KIOSK_RESET_MS): its clock is moved on by as much
# rather than waited for, so each timer fires at once (still the pad's own timer, and its call).
POLL_MS, THANKS_MS = 3_000, 8_000


def _pad_client(console: Any) -> tuple[str, str]:
    client_id = f"pad-w02-{uuid.uuid4().hex[:8]}"
    body = {"client_id": client_id, "name": "W02 评价器", "scopes": ["approvals:pad"]}
    with console.api("admin") as api:
        made = api.post("/api/v1/admin/clients", json=body)
    assert made.status_code == 201, made.text
    return client_id, str(made.json()["client_secret"])


def _accepted_at_w02(console: Any) -> str:
    """An application of 李四 taken in and accepted (受理) at W02 by the clerk seated there."""
    with console.api("hall_head") as api:
        clerks = f"{A}/halls/{HALL}/windows/{WINDOW}/clerks"
        seated = api.put(clerks, json={"staff_nos": ["ZW2002"]})
        assert seated.is_success, seated.text
    with console.api("clerk2") as api:
        found = api.get(f"{A}/items", params={"q": FOOD}).json()["items"]
        item = next(i for i in found if i["name"] == FOOD)
        body = {
            "item": item["code"],
            "channel": "window",
            "hall_code": HALL,
            "window_code": WINDOW,
            "applicant": {"name": "李四", "phone": "13912345678"},
            "materials": [m["name"] for m in item["materials"]],
        }
        made = api.post(f"{A}/applications", json=body)
        assert made.status_code == 201, made.text
        path = f"{A}/applications/{made.json()['id']}"
        etag = api.get(path).headers["ETag"]
        accepted = api.post(f"{path}/accept", json={}, headers={"If-Match": etag})
        assert accepted.status_code == 200, accepted.text
    return str(made.json()["number"])


def test_the_pad_shows_its_windows_invitation_and_goes_back_to_idle(console: Any) -> None:
    client_id, secret = _pad_client(console)
    head = console.new_page()
    console.sign_in(head, "hall_head")
    binding = head.locator("form[aria-label=窗口评价器]")
    current = binding.get_by_role("status", name="当前绑定")  # the chosen window's, now
    listed = head.locator("section:has(form[aria-label=窗口评价器]) tbody tr")  # bound windows
    binding.locator("select[name=window]").select_option(WINDOW)
    expect(current).to_have_text(f"窗口 {WINDOW} 当前未绑定评价器。")
    binding.locator("input[name=client_id]").fill(f"{client_id}x")  # a typo: no such client
    binding.get_by_role("button", name="保存").click()
    expect(binding.locator(".form-error")).to_contain_text("没有这个评价器客户端")
    expect(current).to_have_text(f"窗口 {WINDOW} 当前未绑定评价器。")
    binding.locator("input[name=client_id]").fill(client_id)
    binding.get_by_role("button", name="保存").click()
    expect(binding).to_contain_text(f"已将评价器客户端 {client_id} 绑定到窗口 {WINDOW}")
    when = r"\d{4}-\d\d-\d\d \d\d:\d\d"
    expect(current).to_have_text(
        re.compile(rf"^当前绑定：{client_id}（{when} 绑定）；留空保存将解除此绑定。$")
    )  # what saving an empty id would remove
    row = listed.filter(has_text=client_id)
    expect(row).to_have_count(1)
    cells = [t.strip() for t in row.locator("td").all_inner_texts()]
    assert cells[:2] == [f"{WINDOW} 综合受理窗口2", client_id], cells
    assert re.fullmatch(when, cells[2]), cells
    binding.locator("select[name=window]").select_option("W03")  # a window with no pad
    expect(current).to_have_text("窗口 W03 当前未绑定评价器。")
    binding.locator("select[name=window]").select_option(WINDOW)
    expect(current).to_contain_text(client_id)
    console.shot(head, "hall-pad-binding")

    pad = console.new_page(LANDSCAPE, own=True)  # its localStorage and clock end with it
    pad.clock.install()  # time runs as usual until the test moves it on
    pad.goto(f"{console.base}/console/pad")
    pad.fill("#f-client_id", client_id)
    pad.fill("#f-client_secret", secret)
    pad.select_option("#f-hall", HALL)
    pad.select_option("#f-window", WINDOW)
    pad.get_by_role("button", name="保存并启用").click()
    expect(pad.locator(".pad-welcome")).to_be_visible()
    expect(pad.locator(".pad-head")).to_contain_text(f"{WINDOW} 号窗口")
    console.shot(pad, "pad-idle")

    number = _accepted_at_w02(console)
    pad.clock.fast_forward(POLL_MS)  # the pad's next ask for the window's invitation
    expect(pad.locator(".pad-prompt")).to_have_text("请对本次服务进行评价")
    expect(pad.locator("main")).to_contain_text(number)
    shown = pad.inner_text("main")
    assert "李四" not in shown  # nothing personal on the pad
    assert "1391" not in shown
    console.shot(pad, "pad-rating")
    pad.click("label.level-5")
    pad.get_by_role("button", name="提交评价").click()
    expect(pad.locator(".thanks")).to_contain_text("感谢您的评价")

    with console.api("bureau") as api:
        listed = api.get("/api/v1/ratings/ratings", params={"channel": "window_pad", "limit": 200})
    assert listed.status_code == 200, listed.text
    mine = [(r["level"], r["node"]) for r in listed.json()["items"] if r["case_number"] == number]
    assert mine == [(5, "accept")]
    pad.clock.fast_forward(THANKS_MS)
    pad.wait_for_selector(".pad-welcome")  # after the thanks, idle for the next applicant
    expect(pad.locator(".rate-form")).to_have_count(0)

    binding.locator("input[name=client_id]").fill("")  # the head unbinds what the form showed
    binding.get_by_role("button", name="保存").click()
    expect(binding).to_contain_text(f"已解除窗口 {WINDOW} 的评价器绑定。")
    expect(current).to_have_text(f"窗口 {WINDOW} 当前未绑定评价器。")
    expect(row).to_have_count(0)
