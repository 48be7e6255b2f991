"""Flows that cross services, through the gateway, with every process of ``make run`` running
and a real NATS: 12345 → department → rating → rectification → 督办; 12345 → complaints
center → 12345; an online application; a leader's visit; the escalation ladder; a service
killed in the middle of a flow. Each flow makes its own cases; the last one restarts services.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import yaml

from tests.e2e.conftest import ROOT, County, Receiver, act, eventually, key, ok

pytestmark = pytest.mark.nats
TICKETS = "/api/v1/hotline/tickets"
CASES = "/api/v1/complaints/cases"
TRANSFERRED = "ys.hotline.ticket.transferred"
APPLICATIONS = "/api/v1/approvals/applications"
PROBLEMS = "/api/v1/visits/problems"
FOOD_LICENCE = "1152032768560399740100102000000"  # 食品经营许可, 市场监督管理局
# The demo people's (fictional) 工作手机, as the gateway seeded them from the county file.
MOBILES = {
    u["username"]: u["mobile"]
    for u in yaml.safe_load((ROOT / "deploy" / "seed" / "county.yaml").read_text("utf-8"))[
        "demo_users"
    ]
    if u.get("mobile")
}
ENTERPRISE = {
    "name": "王五",
    "phone": "13512345678",
    "enterprise_name": "凤冈县绿源茶业有限公司",
    "enterprise_uscc": "91520327MA6DM8Q41N",
}


def a_ticket(**overrides: Any) -> dict[str, Any]:
    body = {
        "type": "complaint",
        "category_code": "SCJG_FOOD",  # the dispatch catalogue sends it to 市场监督管理局
        "title": "餐馆卫生问题",
        "content": "某餐馆后厨卫生条件差，存在食品安全隐患，请相关部门核查处理。",
        "location": "龙泉镇新街12号",
        "requester": {"name": "张三", "phone": "13812345678"},
    }
    return {**body, **overrides}


def push(api: httpx.Client, external_id: str) -> dict[str, Any]:
    """The provincial platform pushes a ticket; a retry with the same key changes nothing."""
    body, headers = a_ticket(source="province", external_id=external_id), key()
    first = ok(api.post(TICKETS, json=body, headers=headers), 201)
    again = ok(api.post(TICKETS, json=body, headers=headers), 201)
    assert again["id"] == first["id"]
    return dict(first)


def handled(county: County, ticket: dict[str, Any]) -> dict[str, Any]:
    """派单 → 签收 (the head) → 联系 → 回复 → 审核通过 (办结)."""
    ticket = act(county.staff("operator"), TICKETS, ticket, "dispatch")
    assert (ticket["status"], ticket["department"]) == ("dispatched", "SCJGJ")
    ticket = act(county.staff("scjg_head"), TICKETS, ticket, "sign")
    department = county.staff("scjg_staff")
    ticket = act(department, TICKETS, ticket, "contact", {"note": "已电话联系来电人"})
    ticket = act(department, TICKETS, ticket, "reply", {"body": "经核查，已责令该餐馆停业整改。"})
    return act(county.staff("hotline_head"), TICKETS, ticket, "review", {"approve": True})


def ratings_of(county: County, case_number: str) -> list[dict[str, Any]]:
    page = ok(county.staff("bureau").get("/api/v1/ratings/ratings", params={"limit": 200}))
    return [r for r in page["items"] if r["case_number"] == case_number]


def about(events: list[dict[str, Any]], case_number: str) -> list[str]:
    return [e["type"] for e in events if case_number in str(e["data"])]


def subscribe(
    county: County, client_id: str, receiver: Receiver, types: list[str]
) -> dict[str, Any]:
    """The admin registers the client's endpoint; the answer shows the signing secret once."""
    body = {"client_id": client_id, "url": receiver.url, "event_types": types}
    return dict(ok(county.staff("admin").post("/api/v1/admin/webhooks", json=body), 201))


def nothing_pending(county: County, hook: dict[str, Any]) -> bool:
    """Every delivery the gateway queued for the webhook has been sent."""
    url = f"/api/v1/admin/webhooks/{hook['id']}/deliveries"
    return not ok(county.staff("admin").get(url, params={"status": "pending"}))["items"]


def a_second_client(county: County) -> httpx.Client:
    """遵义市 12345 platform: another integration client pushing tickets of its own."""
    body = {
        "client_id": "zunyi-12345",
        "name": "遵义市12345热线平台",
        "scopes": ["hotline:write", "events:subscribe"],
    }
    made = ok(county.staff("admin").post("/api/v1/admin/clients", json=body), 201)
    return county.integration("zunyi-12345", made["client_secret"])


def test_hotline_department_rating_rectification_and_webhooks(
    county: County, receivers: Any
) -> None:
    """Flow 1: a pushed ticket is handled, its return visit scores 2 — the rating; the
    rectification it opens goes overdue into the 督办 ledger and the department's scorecard;
    the province's webhook gets the results, signed, and nothing of other clients' tickets."""
    county.seconds_policy("ratings", "rectify", "normal", 2, [0])
    province, zunyi = receivers(), receivers()
    province_hook = subscribe(county, "province", province, ["ys.hotline.>", "ys.ratings.>"])
    province_secret = province_hook["secret"]
    zunyi_api = a_second_client(county)
    zunyi_secret = subscribe(county, "zunyi-12345", zunyi, ["ys.hotline.>"])["secret"]

    theirs = push(zunyi_api, "ZY-0001")
    by_phone = ok(county.staff("operator").post(TICKETS, json=a_ticket(), headers=key()), 201)
    ticket = handled(county, push(county.integration("province"), "GZ-0001"))
    assert ticket["status"] == "closed"
    revisit = {"level": 2, "comment": "处理不彻底，不满意"}
    ticket = act(county.staff("operator"), TICKETS, ticket, "revisit", revisit)
    number = ticket["number"]

    [rating] = eventually(lambda: ratings_of(county, number), "the return visit as a rating")
    assert (rating["level"], rating["channel"], rating["department"]) == (2, "hotline", "SCJGJ")
    bureau = county.staff("bureau")
    rectification = ok(bureau.get(f"/api/v1/ratings/rectifications/{rating['rectification_id']}"))
    assert rectification["case_number"] == number

    def overdue_in_ledger() -> list[dict[str, Any]]:
        page = ok(bureau.get("/api/v1/ratings/escalations", params={"service": "ratings"}))
        return [e for e in page["items"] if e["case_number"] == rectification["number"]]

    [entry] = eventually(overdue_in_ledger, "the overdue rectification in the 督办 ledger")
    assert (entry["department"], entry["case_kind"], entry["level"]) == (
        "SCJGJ",
        "rectification",
        1,
    )
    read = ok(bureau.get(f"/api/v1/ratings/rectifications/{rectification['id']}"))
    assert read["overdue"] is True
    cards = bureau.get("/api/v1/ratings/scorecards", params={"month": rating["month"]})
    [card] = [c for c in ok(cards)["items"] if c["department"] == "SCJGJ"]
    assert card["overdue_now"] >= 1
    assert card["escalations"].get("L1", 0) >= 1
    assert card["ratings"]["bad"] >= 1
    assert card["closed"].get("hotline", 0) >= 1

    # 归档 after the 回访; another pushed ticket's 退单 held by the center (派单异议审核)
    act(county.staff("hotline_head"), TICKETS, ticket, "archive")
    returned = act(county.staff("operator"), TICKETS, push(county.integration("province"),
                   "GZ-0011"), "dispatch")  # fmt: skip
    returned = act(county.staff("scjg_head"), TICKETS, returned, "return", {"reason": "非本部门"})
    returned = act(county.staff("hotline_head"), TICKETS, returned, "return-review",
                   {"approve": True})  # fmt: skip
    assert returned["status"] == "received"

    wanted = {"ys.hotline.ticket.closed", "ys.hotline.ticket.revisited"}
    wanted |= {"ys.hotline.ticket.contacted", "ys.hotline.ticket.archived"}
    wanted |= {"ys.ratings.rating.submitted", "ys.ratings.rectification.opened"}

    def results_arrived() -> Receiver | None:
        got = province.events(province_secret)
        held = "ys.hotline.ticket.return_approved" in about(got, returned["number"])
        return province if wanted <= set(about(got, number)) and held else None

    received = eventually(results_arrived, "the result events at the province's webhook")
    events = received.events(province_secret)  # every signature verified
    assert {e["data"].get("origin_client") for e in events} == {"province"}
    for other in (theirs, by_phone):
        assert about(events, other["number"]) == []
    zunyi_events = eventually(
        lambda: zunyi.events(zunyi_secret), "the created event at the second client's webhook"
    )
    assert {e["data"]["case_number"] for e in zunyi_events} == {theirs["number"]}


def test_hotline_transfer_to_the_complaints_center_and_back(county: County, receivers: Any) -> None:
    """Flow 2: an enterprise's infringement complaint the province pushed goes to the
    complaints center, the enterprise and its contact sealed for the center on the way (the
    province's webhook hears of the transfer without them); the respondent department handles
    a redacted case, the resolution closes the ticket."""
    operator, center = county.staff("operator"), county.staff("complaints")
    province = receivers()
    hook = subscribe(county, "province", province, ["ys.hotline.ticket.transferred"])
    body = a_ticket(
        category_code="YS_INFRINGE",
        title="执法人员指定供应商",
        content="某局执法人员检查时要求企业向指定供应商购买检测设备。",
        requester=ENTERPRISE,
        source="province",
        external_id="GZ-0020",
    )
    ticket = ok(county.integration("province").post(TICKETS, json=body, headers=key()), 201)
    ticket = act(operator, TICKETS, ticket, "transfer", {"respondent_department": "SCJGJ"})
    assert ticket["status"] == "transferred"

    def linked() -> list[dict[str, Any]]:
        page = ok(center.get(CASES, params={"limit": 200}))
        cases = [ok(center.get(f"{CASES}/{c['id']}")) for c in page["items"]]
        return [c for c in cases if c["origin_ticket_number"] == ticket["number"]]

    [case] = eventually(linked, "the linked complaint case")
    assert case["enterprise"] == {  # the center sees all, opened from the sealed event
        "name": ENTERPRISE["enterprise_name"],
        "uscc": ENTERPRISE["enterprise_uscc"],
        "contact_name": ENTERPRISE["name"],
        "contact_phone": ENTERPRISE["phone"],
    }
    assert case["facts"] == body["content"]
    heard = eventually(lambda: province.events(hook["secret"]), "the transfer at the webhook")
    assert {(e["type"], e["data"]["case_number"]) for e in heard} == {
        (TRANSFERRED, ticket["number"])
    }
    for event in heard:
        assert (event["data"]["enterprise"], "content" in event["data"]) == ({}, False)
    for delivery in province.deliveries:  # neither in clear, nor masked, nor sealed
        for secret in ("绿源", "王五", "13512345678", "****", "MA6DM8Q41N", "ys1.", "指定供应商"):
            assert secret not in delivery.body.decode()
    case = act(center, CASES, case, "accept", {"note": "属受理范围"})
    case = act(center, CASES, case, "assign")
    respondent = county.staff("scjg_staff")
    seen = respondent.get(f"{CASES}/{case['id']}")
    assert (ok(seen)["identity"], seen.json()["enterprise"]) == ("redacted", None)
    for secret in ("绿源", "王五", "13512345678", "91520327MA6DM8Q41N"):
        assert secret not in seen.text
    case = act(respondent, CASES, case, "investigate", {"note": "已调取执法检查记录。"})
    case = act(county.staff("scjg_head"), CASES, case, "reply", {"reply": "已责令执法人员纠正。"})
    case = act(center, CASES, case, "resolve", {"result": "经核查属实，已责令纠正。"})

    code = county.sms(case["number"], "complaint_registered")["query_code"]  # to the enterprise
    answer = {"number": case["number"], "query_code": code, "verdict": "confirmed"}
    assert (
        ok(county.public().post("/api/v1/complaints/public/respond", json=answer))["state"]
        == "closed"
    )

    def closed() -> dict[str, Any] | None:
        read = ok(operator.get(f"{TICKETS}/{ticket['id']}"))
        return read if read["status"] == "closed" else None

    ticket = eventually(closed, "the ticket closed by the case's resolution")
    assert "complaint_closed" in [e["action"] for e in ticket["timeline"]]


def rate_by_sms(county: County, number: str, node: str, level: int) -> dict[str, Any]:
    """The applicant opens the link the SMS carried and rates (public, one-time token)."""
    token = county.sms(number, "rating_invitation", node=node)["url"].rsplit("/", 1)[1]
    public = county.public()
    invitation = ok(public.get(f"/api/v1/ratings/invitations/{token}"))
    assert (invitation["case_number"], invitation["rated"]) == (number, False)
    body = {"level": level, "comment": "服务很好"}
    rated = public.post(f"/api/v1/ratings/invitations/{token}/rating", json=body, headers=key())
    assert (ok(rated, 201)["level"], rated.json()["rectification_opened"]) == (level, False)
    assert ok(public.get(f"/api/v1/ratings/invitations/{token}"))["rated"] is True
    return dict(invitation)


def test_online_application_with_intake_correction_postal_delivery_and_ratings(
    county: County,
) -> None:
    """Flow 3: the province submits online with a material missing (intake 补正), the hall
    takes the supplement and accepts, the department approves, the result goes by post; the
    受理 and 办结 invitations reach the applicant by SMS; statistics count the application."""
    hall, department = county.staff("clerk"), county.staff("scjg_staff")
    before = ok(hall.get("/api/v1/approvals/statistics", params={"item_code": FOOD_LICENCE}))
    body = {
        "item": FOOD_LICENCE,
        "channel": "online",
        "applicant": {
            "type": "legal_person",
            "name": "张三",
            "phone": "13812345678",
            "enterprise_name": "凤冈县锌硒茶业有限公司",
            "uscc": "91350100M000100Y43",
        },
        "materials": ["食品经营许可申请书", "营业执照复印件", "经营场所平面图"],
        "delivery_method": "postal",
        "postal_address": "凤冈县龙泉镇新街12号",
    }
    app = ok(county.integration("province").post(APPLICATIONS, json=body, headers=key()), 201)
    assert (app["status"], app["missing_materials"]) == ("awaiting_materials", ["食品安全管理制度"])
    app = act(hall, APPLICATIONS, app, "receive-supplement", {"materials": ["食品安全管理制度"]})
    app = act(hall, APPLICATIONS, app, "accept")
    assert app["status"] == "in_review"
    assert app["due_at"] is not None
    app = act(department, APPLICATIONS, app, "approve")
    delivery = {"method": "postal", "tracking_number": "EMS9876543210"}
    app = act(hall, APPLICATIONS, app, "deliver", delivery)
    app = act(hall, APPLICATIONS, app, "finish")
    assert (app["status"], app["tracking_number"]) == ("finished", "EMS9876543210")

    for node, level in (("accept", 5), ("finish", 4)):
        invitation = rate_by_sms(county, app["number"], node, level)
        assert (invitation["service"], invitation["department"]) == ("approvals", "SCJGJ")
    eventually(lambda: len(ratings_of(county, app["number"])) == 2, "both ratings")
    assert sorted(r["node"] for r in ratings_of(county, app["number"])) == ["accept", "finish"]
    after = ok(hall.get("/api/v1/approvals/statistics", params={"item_code": FOOD_LICENCE}))
    grew = {k: after["overall"][k] - before["overall"][k] for k in ("applications", "finished")}
    assert grew == {"applications": 1, "finished": 1}
    assert after["overall"]["online_rate"] > 0


def test_a_leaders_visit_raises_a_problem_closed_with_the_enterprise_and_rated(
    county: County,
) -> None:
    """Flow 4: 彭勇 (a department head paired with an enterprise) visits, a problem is found,
    the center hands it to 住建局, it is solved, the enterprise confirms, and rates it."""
    leader, center = county.staff("fgj_head"), county.staff("enterprise")
    [pairing] = [
        p
        for p in ok(leader.get("/api/v1/visits/assignments"))["items"]
        if p["leader_staff_no"] == "FG5200"
    ]
    visit = {
        "pairing_id": pairing["id"],
        "visited_on": pairing["starts_on"],
        "participants": [{"name": "彭勇", "title": "发展和改革局局长", "department": "FGJ"}],
        "summary": "走访企业，了解生产经营和扩建项目进展。",
        "problems": [
            {
                "title": "厂区道路施工许可进度慢",
                "description": "企业扩建厂区道路，施工许可申请两个月未批复，影响工期。",
                "category": "approval",
                "contact_name": "赵强",
                "contact_phone": "13787654321",
            }
        ],
    }
    made = ok(leader.post("/api/v1/visits/visits", json=visit, headers=key()), 201)
    [raised] = made["problems"]
    problem = ok(center.get(f"{PROBLEMS}/{raised['id']}"))
    problem = act(center, PROBLEMS, problem, "assign", {"department": "ZJJ"})
    problem = act(county.staff("zjj_head"), PROBLEMS, problem, "sign")  # 一把手亲自接单
    contact = {"channel": "phone"}
    problem = act(county.staff("zjj_staff"), PROBLEMS, problem, "contact", contact)
    proposal = {"proposal": "开通绿色通道，一周内完成审查。"}
    problem = act(county.staff("zjj_staff"), PROBLEMS, problem, "propose", proposal)
    solved = {"resolution": "施工许可证已核发。"}
    problem = act(county.staff("zjj_head"), PROBLEMS, problem, "solve", solved)
    confirmed = {"confirmed_by": "赵强", "channel": "phone"}
    problem = act(center, PROBLEMS, problem, "confirm", confirmed)
    assert (problem["state"], problem["closure"]) == ("closed", "confirmed")

    invitation = rate_by_sms(county, problem["number"], "finish", 5)
    assert (invitation["service"], invitation["department"]) == ("visits", "ZJJ")
    [rating] = eventually(lambda: ratings_of(county, problem["number"]), "the visit's rating")
    assert (rating["level"], rating["service"]) == (5, "visits")


def test_an_untouched_ticket_climbs_the_escalation_ladder(county: County) -> None:
    """Flow 5: an urgent ticket nobody signs for goes L1 → L2 → L3; the bureau's ledger shows
    each level against the department that holds it, and the people each level names get
    one SMS each on their 工作手机: the department's head (预警, then 超期 for the overdue and
    L1 together), the bureau's head (催办), every member of the committee (通报)."""
    county.seconds_policy("hotline", "sign", "urgent", 1, [0, 4, 8])
    operator, bureau = county.staff("operator"), county.staff("bureau")
    body = a_ticket(urgency="urgent", category_code="ZJ_HOUSING", title="新交付住房墙体开裂")
    ticket = ok(operator.post(TICKETS, json=body, headers=key()), 201)
    ticket = act(operator, TICKETS, ticket, "dispatch")
    department = ticket["department"]
    assert department == "ZJJ"  # 住房和城乡建设局, from the dispatch catalogue
    seen: list[int] = []

    def at_level_three() -> bool:
        params = {"service": "hotline", "department": "ZJJ"}
        page = ok(bureau.get("/api/v1/ratings/escalations", params=params))
        rows = [e for e in page["items"] if e["case_number"] == ticket["number"]]
        for entry in rows:
            assert (entry["department"], entry["stage"]) == (department, "sign")
            if not seen or seen[-1] != entry["level"]:
                seen.append(entry["level"])
        return seen[-1:] == [3]

    eventually(at_level_three, "the ticket at L3 in the ledger")
    # Levels come 4 s apart: polled, the ledger shows 1, 2, 3; a consumer late by more than
    # that on a loaded machine may lift an entry two levels at once, never lower it.
    assert seen == sorted(set(seen))
    assert seen[-1] == 3
    timeline = ok(operator.get(f"{TICKETS}/{ticket['id']}"))["timeline"]
    notes = [e["note"] for e in timeline if e["action"] == "deadline_escalated"]
    assert [n.split(" → ")[0] for n in notes] == ["第 1 级督办", "第 2 级督办", "第 3 级督办"]

    number = ticket["number"]
    expected = Counter(
        {
            (MOBILES["zjj_head"], "deadline_warning"): 1,
            (MOBILES["zjj_head"], "deadline_overdue"): 1,
            (MOBILES["bureau"], "deadline_urge"): 1,
            (MOBILES["committee"], "deadline_notice"): 1,
            (MOBILES["committee_head"], "deadline_notice"): 1,
        }
    )
    eventually(lambda: set(county.texts(number)) >= set(expected), "the ladder's SMS")
    assert county.texts(number) == expected
    overdue = county.sms(number, "deadline_overdue")
    assert (overdue["stage"], overdue["department"]) == ("签收", "住房和城乡建设局")


def test_a_service_killed_mid_flow_loses_and_doubles_nothing(
    county: County, receivers: Any
) -> None:
    """Flow 6: flow 1 again, with the hotline killed (SIGKILL) right after the ticket closes
    and ratings killed right after the return visit; the supervisor restarts each; the flow
    completes with every event exactly once."""
    province = receivers()
    hook = subscribe(county, "province", province, ["ys.hotline.>", "ys.ratings.rating.*"])
    secret = hook["secret"]
    ticket = handled(county, push(county.integration("province"), "GZ-0002"))
    number = ticket["number"]
    county.restart("hotline")  # its outbox may still hold the ``closed`` event
    ticket = act(county.staff("operator"), TICKETS, ticket, "revisit", {"level": 4})
    county.restart("ratings")  # the ``revisited`` event may not be consumed yet

    [rating] = eventually(lambda: ratings_of(county, number), "the return visit as a rating")
    assert (rating["level"], rating["rectification_id"]) == (4, None)
    wanted = ["ys.hotline.ticket.closed", "ys.hotline.ticket.revisited"]
    wanted.append("ys.ratings.rating.submitted")
    eventually(
        lambda: set(wanted) <= set(about(province.events(secret), number)),
        "the result events at the province's webhook after the restarts",
    )
    eventually(lambda: nothing_pending(county, hook), "every queued delivery sent")
    events = [e for e in province.events(secret) if number in str(e["data"])]
    counts = Counter((e["type"], e["data"].get("stage")) for e in events)
    assert {t for t, _ in counts} >= set(wanted)
    assert all(n == 1 for n in counts.values()), counts  # each transition and stage once
    ids = [e["id"] for e in events]
    assert len(ids) == len(set(ids))
    timeline = ok(county.staff("operator").get(f"{TICKETS}/{ticket['id']}"))["timeline"]
    actions = Counter(e["action"] for e in timeline)
    assert (actions["accept"], actions["revisit"]) == (1, 1)
    assert len(ratings_of(county, number)) == 1


def test_make_demo_plays_a_week_the_console_can_show(county: County) -> None:
    """``make demo`` against the running system: the week goes through the public API only,
    and the bureau's scorecards count what it did."""
    bureau = county.staff("bureau")
    month = ok(bureau.get("/api/v1/ratings/ratings", params={"limit": 1}))["items"][0]["month"]

    def scorecard(department: str) -> dict[str, Any]:
        cards = ok(bureau.get("/api/v1/ratings/scorecards", params={"month": month}))["items"]
        return next(c for c in cards if c["department"] == department)

    before = scorecard("SCJGJ")
    argv = [sys.executable, str(ROOT / "scripts" / "demo.py"), "--url", county.base]
    argv += ["--var", str(county.stack.var_dir), "--tickets", "8"]
    played = subprocess.run(argv, capture_output=True, text=True, timeout=600, check=False)
    assert played.returncode == 0, played.stderr
    assert "applications finished" in played.stdout

    def counted() -> bool:
        after = scorecard("SCJGJ")
        finished = after["closed"].get("approvals", 0) - before["closed"].get("approvals", 0)
        return bool(finished == 5)

    eventually(counted, "the demo's finished applications on the department's scorecard")
    assert scorecard("SCJGJ")["ratings"]["count"] > before["ratings"]["count"]


def test_demo_dates_a_visit_on_the_countys_day() -> None:
    """The demo's visit falls on the county's date: at 16:30 UTC it is already tomorrow in
    Fenggang, where the pairing it visits started (an earlier date is refused)."""
    spec = importlib.util.spec_from_file_location("demo", ROOT / "scripts" / "demo.py")
    assert spec is not None
    assert spec.loader is not None
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)
    assert demo.county_today(datetime(2026, 11, 27, 16, 30, tzinfo=UTC)) == "2026-11-28"
    assert demo.county_today(datetime(2026, 11, 27, 15, 59, tzinfo=UTC)) == "2026-11-27"
