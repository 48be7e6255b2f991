"""The enterprise service center (非公有制经济服务中心) does its own work in the console: it
registers an enterprise and edits it, pairs a leader and a department with it (挂帮), records a
visit and the problem found, hands that problem to a department (交办), registers a problem an
enterprise phoned in, schedules a hall-duty sitting (坐班) and records a matter on it. A
department's staff sees none of these forms, and the API refuses the same writes from them.
Every step is checked on the page and again through the API."""

from __future__ import annotations

import random
import re
import uuid
from datetime import datetime
from typing import Any

from playwright.sync_api import expect

from yingshang.clock import SHANGHAI
from yingshang.validators import USCC_CHARSET, uscc_check_char

V = "/api/v1/visits"
TABLET = {"width": 768, "height": 1024}
MASKED = re.compile(r"^1\d\d\*{4}\d{4}$")


def _unique() -> str:
    return uuid.uuid4().hex[:6]


def _uscc() -> str:
    """A fresh USCC with its GB 32100-2015 check character."""
    first17 = "91520327MA" + "".join(random.choice(USCC_CHARSET) for _ in range(7))
    return first17 + uscc_check_char(first17)


def _phone() -> str:
    return f"139{random.randrange(10**8):08d}"


def _buttons(page: Any) -> list[str]:
    page.wait_for_selector(".case-head")
    return [t.strip() for t in page.locator(".action-buttons button").all_inner_texts()]


def _act(page: Any, label: str) -> None:
    page.click(f".action-buttons button:has-text('{label}')")


def _confirm(page: Any, label: str) -> None:
    page.click(f".action-form button:has-text('确认{label}')")
    page.wait_for_selector(f"text=已完成：{label}")


def _fact(page: Any, name: str) -> str:
    return str(page.locator(f"dl.kv dt:text-is('{name}') + dd").first.inner_text())


def _id_in(url: str) -> str:
    return url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]


def _registered(console: Any, name: str) -> dict[str, Any]:
    """An enterprise registered through the API (the tests that are not about the registry)."""
    contact = {"name": "陈经理", "title": "总经理", "phone": _phone()}
    body: dict[str, Any] = {"name": name, "uscc": _uscc(), "industry": "茶叶加工"}
    body |= {"scale": "above_scale", "contacts": [contact]}
    with console.api("enterprise") as api:
        made = api.post(
            f"{V}/enterprises", json=body, headers={"Idempotency-Key": str(uuid.uuid4())}
        )
    assert made.status_code == 201, made.text
    return dict(made.json())


def test_center_registers_an_enterprise_sees_it_masked_and_edits_it(console: Any) -> None:
    page = console.new_page()
    console.sign_in(page, "enterprise")
    page.click("header nav a:has-text('企业库')")
    page.click("main button:has-text('登记企业')")
    form = page.locator("form[aria-label=登记企业]")
    name, uscc, phone = f"凤冈县云雾贡茶有限公司{_unique()}", _uscc(), _phone()
    assert form.locator("#f-scale option").first.inner_text() == "请选择…"  # a choice, no default
    form.locator("#f-name").fill(name)
    wrong = uscc[:17] + next(c for c in USCC_CHARSET if c != uscc[17])
    form.locator("#f-uscc").fill(wrong)
    form.locator("#f-industry").fill("茶叶加工")
    form.locator("#f-scale").select_option("above_scale")
    form.locator("#f-park").fill("彰教工业园区")
    form.locator("#f-tags").fill("龙头企业、出口企业")
    form.locator("#f-contacts-0-name").fill("田芳")
    form.locator("#f-contacts-0-title").fill("办公室主任")
    form.locator("#f-contacts-0-phone").fill(phone)
    console.shot(page, "enterprise-register-form")
    form.locator("button[type=submit]").click()  # the check character is wrong: refused
    expect(form.locator(".form-error")).to_have_text(
        "填写的内容有误：「统一社会信用代码」：统一社会信用代码的校验位不正确"
    )
    expect(form.locator("#f-uscc")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("#f-uscc")).to_be_focused()
    assert form.locator("#f-uscc").input_value() == wrong  # as typed
    form.locator("#f-uscc").fill(uscc)
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"text=已登记企业：{name}")
    enterprise_id = _id_in(page.url)
    assert _fact(page, "统一社会信用代码") == uscc
    assert _fact(page, "企业规模") == "规模以上工业企业（规上）"
    assert _fact(page, "标签") == "龙头企业、出口企业"
    contact = page.locator("section:has(h2:text-is('联系人')) tbody tr").first
    assert MASKED.match(contact.locator("td").nth(2).inner_text()), contact.inner_text()
    assert phone not in page.inner_text("main")  # masked as the API returns it
    assert _buttons(page) == ["编辑企业信息", "修改联系人", "查看完整电话", "新建挂帮"]
    console.shot(page, "enterprise-detail")

    with console.api("enterprise") as api:
        read = api.get(f"{V}/enterprises/{enterprise_id}").json()
        full = api.get(
            f"{V}/enterprises/{enterprise_id}/contacts", params={"reason": "核对联系方式"}
        )
    assert (read["name"], read["uscc"], read["industry"], read["scale"], read["park"]) == (
        name,
        uscc,
        "茶叶加工",
        "above_scale",
        "彰教工业园区",
    )
    assert read["tags"] == ["龙头企业", "出口企业"]
    assert [(c["name"], c["title"]) for c in read["contacts"]] == [("田芳", "办公室主任")]
    assert full.json()["contacts"][0]["phone"] == phone

    _act(page, "编辑企业信息")  # edit: the park changes, the USCC is not offered
    edit = page.locator("form[aria-label=编辑企业信息]")
    assert edit.locator("[name=uscc]").count() == 0
    edit.locator("#f-park").fill("凤冈县经济开发区")
    edit.locator("button[type=submit]").click()
    page.wait_for_selector("text=已保存企业信息")
    assert _fact(page, "所在园区") == "凤冈县经济开发区"
    _act(page, "修改联系人")  # masked phones stay as shown (kept on file); a second contact added
    contacts = page.locator("form[aria-label=修改联系人]")
    masked = f"{phone[:3]}****{phone[-4:]}"
    expect(contacts.locator("#f-contacts-0-phone")).to_have_value(masked)
    contacts.locator("button:has-text('添加联系人')").click()
    expect(contacts.locator("#f-contacts-1-name")).to_be_focused()
    contacts.locator("#f-contacts-1-name").fill("田勇")
    contacts.locator("#f-contacts-1-phone").fill("0851-26221234")
    contacts.locator("button[type=submit]").click()
    page.wait_for_selector("text=已保存联系人")
    expect(page.locator("section:has(h2:text-is('联系人')) tbody tr")).to_have_count(2)
    _act(page, "查看完整电话")  # in full only with a reason (audited): the number on file is kept
    page.fill("form[aria-label=查看完整电话] #f-reason", "回访企业核实诉求")
    page.click("form[aria-label=查看完整电话] button[type=submit]")
    page.wait_for_selector("text=已显示完整电话")
    shown = page.locator("section:has(h2:text-is('联系人'))").inner_text()
    assert phone in shown
    assert "0851-26221234" in shown
    with console.api("enterprise") as api:
        edited = api.get(f"{V}/enterprises/{enterprise_id}").json()
    assert edited["park"] == "凤冈县经济开发区"
    assert [(c["name"], c["title"]) for c in edited["contacts"]] == [
        ("田芳", "办公室主任"),
        ("田勇", None),
    ]

    page.click("header nav a:has-text('企业库')")  # and the registry finds it by name
    page.fill("form[aria-label=查找企业] #f-q", name[-10:])
    page.click("form[aria-label=查找企业] button[type=submit]")
    expect(page.locator("main tbody tr")).to_have_count(1)
    assert uscc in page.locator("main tbody tr").inner_text()
    page.set_viewport_size(TABLET)
    page.goto(f"{console.base}/console/enterprises/{enterprise_id}")
    page.wait_for_selector("h2:has-text('挂帮关系')")
    expect(page.locator(".state.loading")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    console.shot(page, "enterprise-detail-tablet")


def test_center_pairs_visits_records_a_problem_and_hands_it_to_a_department(
    console: Any,
) -> None:
    enterprise = _registered(console, f"凤冈县茗香茶业有限公司{_unique()}")
    page = console.new_page()
    console.sign_in(page, "enterprise", f"/console/enterprises/{enterprise['id']}")
    _act(page, "新建挂帮")
    pairing_form = page.locator("form[aria-label=新建挂帮]")
    pairing_form.locator("#f-leader_name").fill("彭勇")
    pairing_form.locator("#f-leader_title").fill("发展和改革局局长")
    pairing_form.locator("#f-leader_rank").select_option("department_cadre")
    pairing_form.locator("#f-department").select_option("SCJGJ")
    pairing_form.locator("button[type=submit]").click()
    page.wait_for_selector("text=已建立挂帮")
    assert page.inner_text(".case-head .tag") == "挂帮中"
    assert _fact(page, "走访频次") == "每 30 自然日至少走访一次"  # a cadre: monthly
    assert _fact(page, "责任单位") == "市场监督管理局"
    expect(page.locator(".case-head [data-due]")).to_have_count(1)  # the visit clock runs
    assert _buttons(page) == ["结束挂帮"]
    pairing_id = _id_in(page.url)

    page.click("main a:has-text('记录走访')")
    visit = page.locator("form[aria-label=记录走访]")
    visit.locator("#f-channel").select_option("on_site")
    visit.locator("#f-summary").fill("了解企业扩产进展，企业反映冷链仓储用地审批慢。")
    visit.locator("#f-participants-0-name").fill("彭勇")
    visit.locator("#f-participants-0-department").select_option("FGJ")
    visit.locator("button:has-text('添加发现的诉求')").click()
    title = f"冷链仓储用地审批慢{_unique()}"
    visit.locator("#f-problems-0-title").fill(title)
    visit.locator("#f-problems-0-category").select_option("land")
    visit.locator("#f-problems-0-description").fill("仓储用地规划调整申请已两个月未答复。")
    visit.locator("#f-problems-0-contact_name").fill("陈经理")
    console.shot(page, "visit-form")
    visit.locator("button[type=submit]").click()
    page.wait_for_selector("text=形成交办单 1 件")
    row = page.locator("section:has(h2:has-text('发现的诉求')) tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(title)
    expect(row).to_contain_text("待交办")
    console.shot(page, "visit-detail")

    with console.api("enterprise") as api:
        pairing = api.get(f"{V}/assignments/{pairing_id}").json()
        visits = api.get(f"{V}/visits", params={"assignment_id": pairing_id}).json()["items"]
    assert (pairing["leader_name"], pairing["department"], pairing["leader_rank"]) == (
        "彭勇",
        "SCJGJ",
        "department_cadre",
    )
    assert (pairing["visits_count"], pairing["last_visit_on"]) == (1, visits[0]["visited_on"])
    assert [(v["enterprise"]["id"], v["department"]) for v in visits] == [
        (enterprise["id"], "SCJGJ")
    ]
    assert visits[0]["participants"][0] == {"name": "彭勇", "title": None, "department": "FGJ"}
    problem_id = visits[0]["problems"][0]["id"]

    page.click("header nav a:has-text('工作台')")  # 待交办的诉求 → its page → 交办
    waiting = page.locator("section:has(h2:has-text('待交办的诉求'))")
    waiting.locator(f"tr:has-text('{title}') a").first.click()
    assert "交办" in _buttons(page)
    assert _fact(page, "来源") == "走访发现"
    _act(page, "交办")
    page.select_option(".action-form [name=department]", "SCJGJ")
    _confirm(page, "交办")
    assert page.inner_text(".case-head .tag") == "已交办"
    with console.api("scjg_staff") as department:  # handed on: the department now sees it
        handed = department.get(f"{V}/problems/{problem_id}")
    assert handed.status_code == 200, handed.text
    assert (handed.json()["state"], handed.json()["department"]) == ("assigned", "SCJGJ")

    page.goto(f"{console.base}/console/pairings/{pairing_id}")  # 结束挂帮, with the reason
    _act(page, "结束挂帮")
    page.fill(".action-form [name=note]", "企业迁出本县，挂帮关系调整。")
    _confirm(page, "结束挂帮")
    assert page.inner_text(".case-head .tag") == "已结束"
    assert "结束挂帮" in page.inner_text(".timeline")
    with console.api("enterprise") as api:
        ended = api.get(f"{V}/assignments/{pairing_id}").json()
    assert (ended["state"], ended["end_reason"]) == ("ended", "企业迁出本县，挂帮关系调整。")


def test_center_registers_a_problem_an_enterprise_phoned_in(console: Any) -> None:
    name = f"凤冈县黔茶电子商务有限公司{_unique()}"
    _registered(console, name)
    page = console.new_page(TABLET)
    console.sign_in(page, "enterprise_head")
    page.click("main a:has-text('登记诉求')")
    form = page.locator("form[aria-label=登记诉求]")
    form.locator("#f-enterprise_id-q").fill(name[-12:])  # found by name: the only match
    expect(form.locator("#f-enterprise_id")).to_have_value(re.compile(r"^[0-9a-f-]{36}$"))
    title = f"物流补贴未兑现{_unique()}"
    form.locator("#f-title").fill(title)
    form.locator("#f-category").select_option("policy")
    form.locator("#f-description").fill("去年申报的电商物流补贴至今未到账。")
    form.locator("#f-contact_name").fill("王总")
    form.locator("#f-contact_phone").fill("13612345678")
    console.shot(page, "problem-register-tablet")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=已登记诉求")
    assert page.inner_text(".case-head .tag") == "待交办"
    assert "交办" in _buttons(page)
    assert _fact(page, "来源") == "中心登记"
    assert _fact(page, "企业联系人") == "王总，136****5678"
    problem_id = _id_in(page.url)
    with console.api("enterprise") as api:
        problem = api.get(f"{V}/problems/{problem_id}").json()
    assert (problem["title"], problem["category"], problem["source"], problem["state"]) == (
        title,
        "policy",
        "direct",
        "raised",
    )
    assert problem["enterprise"]["name"] == name

    page.click("header nav a:has-text('工作台')")
    waiting = page.locator("section:has(h2:has-text('待交办的诉求'))")
    expect(waiting.locator(f"tr:has-text('{title}')")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0


def test_center_schedules_a_sitting_and_records_a_matter_on_duty(console: Any) -> None:
    name = f"凤冈县富锌米业有限公司{_unique()}"
    _registered(console, name)
    leader = f"李副县长{_unique()}"
    page = console.new_page()
    console.sign_in(page, "enterprise_head")
    page.click("header nav a:has-text('坐班')")
    page.click("main button:has-text('排班')")
    form = page.locator("form[aria-label=排班]")
    form.locator("#f-hall").select_option("HALL_COUNTY")
    form.locator("#f-start").fill("14:00")
    form.locator("#f-end").fill("17:30")
    form.locator("#f-leader_name").fill(leader)
    form.locator("#f-leader_title").fill("副县长")
    form.locator("#f-department").select_option("BUREAU")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=已排班")
    assert page.inner_text(".case-head .tag") == "已排班"
    assert _buttons(page) == ["签到", "取消坐班"]
    shift_id = _id_in(page.url)

    _act(page, "签到")
    _confirm(page, "签到")
    assert page.inner_text(".case-head .tag") == "坐班中"
    assert _buttons(page) == ["登记办件", "签退"]
    _act(page, "登记办件")
    matter = page.locator("form[aria-label=登记办件]")
    expect(matter.locator("#f-title")).to_be_hidden()  # the problem's fields: only for a 交办单
    matter.locator("#f-summary").fill("企业咨询稻谷烘干设备购置补贴，现场答复并登记诉求。")
    matter.locator("#f-outcome").select_option("problem")
    expect(matter.locator("#f-title")).to_be_visible()
    matter.locator("#f-enterprise_id-q").fill(name[-10:])
    expect(matter.locator("#f-enterprise_id")).to_have_value(re.compile(r"^[0-9a-f-]{36}$"))
    matter.locator("#f-title").fill("烘干设备补贴申报")
    matter.locator("#f-category").select_option("policy")
    matter.locator("#f-description").fill("企业希望了解并申报烘干设备购置补贴。")
    console.shot(page, "duty-matter-form")
    _confirm(page, "登记办件")
    assert _fact(page, "形成交办单") == "1 件"
    matters = page.locator("section:has(h2:has-text('坐班办件')) tbody tr")
    expect(matters).to_have_count(1)
    expect(matters).to_contain_text(name)
    assert "形成交办单" in matters.inner_text()
    console.shot(page, "duty-shift")

    with console.api("enterprise") as api:
        shift = api.get(f"{V}/duty-shifts/{shift_id}").json()
        problem = api.get(f"{V}/problems/{shift['matters'][0]['problem_id']}").json()
    assert (shift["state"], shift["leader_name"], shift["hall"]) == (
        "on_duty",
        leader,
        "HALL_COUNTY",
    )
    assert (shift["start"], shift["end"], shift["matters_count"]) == ("14:00", "17:30", 1)
    assert (problem["source"], problem["title"], problem["state"]) == (
        "duty",
        "烘干设备补贴申报",
        "raised",
    )

    expect(matters).to_contain_text(f"{problem['number']} 烘干设备补贴申报")
    matters.locator(f"a:text-is('{problem['number']}')").click()  # the problem opens from it
    assert "交办" in _buttons(page)
    page.go_back()
    _act(page, "签退")
    _confirm(page, "签退")
    assert page.inner_text(".case-head .tag") == "已完成"
    page.click("header nav a:has-text('坐班')")
    expect(page.locator(f"main tbody tr:has-text('{leader}')")).to_contain_text("已完成")


FORGED = [  # (path, body): the center's writes, as a department's staff might forge them
    ("enterprises", {"name": "伪造企业", "uscc": "91520327MA6DM8Q41N", "industry": "其他"}),
    ("problems", {"enterprise_id": str(uuid.uuid4()), "title": "伪造诉求", "description": "无"}),
    (
        "assignments",
        {
            "enterprise_id": str(uuid.uuid4()),
            "leader_name": "某某",
            "leader_rank": "county_leader",
            "department": "SCJGJ",
        },
    ),
    (
        "duty-shifts",
        {"hall": "HALL_COUNTY", "leader_name": "某某", "department": "SCJGJ", "date": "2030-01-01"},
    ),
]

REFUSED = """async (body) => {
  const { request } = await import("/console/js/api.js");
  try {
    await request("/api/v1/visits/enterprises", { method: "POST", json: body });
    return "accepted";
  } catch (error) {
    return `${error.status} ${error.message}`;
  }
}"""


def test_a_department_sees_no_center_forms_and_its_forged_writes_are_refused(
    console: Any,
) -> None:
    enterprise = _registered(console, f"凤冈县林果专业合作社{_unique()}")
    page = console.new_page()
    console.sign_in(page, "scjg_staff")
    page.wait_for_selector("main h1:has-text('工作台')")
    assert page.locator("header nav a:has-text('企业库')").count() == 0
    assert page.locator("header nav a:text-is('坐班'):visible").count() == 0  # leads none
    page.goto(f"{console.base}/console/enterprises")  # the registry is readable by any staff
    page.wait_for_selector("main tbody tr")
    assert page.locator("main button:has-text('登记企业')").count() == 0
    page.goto(f"{console.base}/console/enterprises?register=1")
    page.wait_for_selector("main tbody tr")
    assert page.locator("form[aria-label=登记企业]").count() == 0
    page.goto(f"{console.base}/console/enterprises/{enterprise['id']}")
    page.wait_for_selector("text=您当前的岗位只能查看企业信息。")
    assert _buttons(page) == []
    assert page.locator("main a:has-text('登记诉求'), main a:has-text('记录走访')").count() == 0
    page.goto(f"{console.base}/console/problems/new")
    page.wait_for_selector("text=您当前的岗位无权登记诉求")
    assert page.locator("form[aria-label=登记诉求]").count() == 0
    page.goto(f"{console.base}/console/duty")
    page.wait_for_selector("h2:has-text('坐班表')")
    assert page.locator("main button:has-text('排班')").count() == 0
    # after a full page load the header names the position's unit, not its code
    expect(page.locator("header .user-position")).to_have_text("市场监督管理局 · 工作人员")
    console.shot(page, "enterprise-readonly-department")

    with console.api("scjg_staff") as api:
        for path, body in FORGED:
            key = {"Idempotency-Key": str(uuid.uuid4())}
            forged = api.post(f"{V}/{path}", json=body, headers=key)
            assert forged.status_code == 403, (path, forged.status_code, forged.text)
    # the same refusal through the console's API client reads as a Chinese message
    refused = page.evaluate(REFUSED, FORGED[0][1])
    assert refused == "403 您当前的岗位无权进行此操作"
    with console.api("enterprise") as api:
        listed = api.get(f"{V}/enterprises", params={"q": "伪造企业"}).json()["items"]
    assert listed == []


def test_a_leader_on_the_duty_schedule_signs_in_and_out_from_his_home(console: Any) -> None:
    """The 排班 form promises "领导本人可签到、签退": a leader scheduled by his 工号 (no
    scheduler, no 坐班 in his nav before) finds his sitting on his 工作台 and 坐班 in his nav."""
    today = datetime.now(SHANGHAI).date().isoformat()
    sitting = {"hall": "HALL_COUNTY", "leader_name": "潘云", "leader_staff_no": "RS5400",
               "leader_title": "局长", "department": "RSJ", "date": today,
               "start": "00:00", "end": "23:59"}  # fmt: skip
    with console.api("enterprise") as api:
        made = api.post(
            f"{V}/duty-shifts", json=sitting, headers={"Idempotency-Key": str(uuid.uuid4())}
        )
    assert made.status_code == 201, made.text
    page = console.new_page()
    console.sign_in(page, "rsj_head")
    mine = page.locator("main section:has(h2:has-text('我的坐班'))")
    row = mine.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(made.json()["number"])
    expect(page.locator("header nav a:text-is('坐班')")).to_be_visible()
    row.locator("button:text-is('签到')").click()
    expect(row).to_contain_text("坐班中")
    row.locator("button:text-is('签退')").click()
    expect(mine).to_contain_text("没有待坐班的安排")
    with console.api("enterprise") as api:
        assert api.get(f"{V}/duty-shifts/{made.json()['id']}").json()["state"] == "completed"
    page.close()
