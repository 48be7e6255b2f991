"""``make demo``: play a week of county work into a running system (``make run``), through the
gateway's public API only, so every figure the console shows comes from real flows.

    python scripts/demo.py [--url http://127.0.0.1:8000] [--var var] [--seed 7]

The demo users and the provincial client of ``deploy/seed/county.yaml`` do the work: the
province pushes 12345 tickets and online applications, operators take calls, departments sign
and reply, the center reviews and calls back (the return visit is the rating), enterprises'
complaints go to the complaints center, the hall takes applications at the window, leaders
visit enterprises and hand problems to departments, and applicants rate through the links
their SMS carried (read from ``var/notifications.jsonl``, the file channel of ``make run``).
Each run adds another week; nothing is inserted behind the services' backs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from yingshang.clock import SHANGHAI
from yingshang.settings import DEMO_PASSWORD

TICKETS = "/api/v1/hotline/tickets"
CASES = "/api/v1/complaints/cases"
APPLICATIONS = "/api/v1/approvals/applications"
PROBLEMS = "/api/v1/visits/problems"
PASSWORD = os.environ.get("YS_DEMO_PASSWORD") or DEMO_PASSWORD
# (category, title, content, department's head and staff) — the dispatch catalogue routes them.
CALLS = [
    ("SCJG_FOOD", "餐馆卫生问题", "某餐馆后厨卫生条件差，存在食品安全隐患。", "scjg"),
    ("SCJG_FOOD", "超市销售过期食品", "龙泉镇某超市货架上有过期酸奶。", "scjg"),
    ("ZJ_HOUSING", "新交付住房墙体开裂", "小区新交付住房多户墙体开裂，开发商不处理。", "zjj"),
    ("ZJ_PROPERTY", "物业乱收费", "小区物业擅自上调停车费。", "zjj"),
]
TYPES = ["complaint", "help", "suggestion", "complaint", "report"]
LEVELS = [5, 5, 5, 4, 4, 4, 3, 2]  # mostly satisfied; a 差评 now and then
APPLICANT = {
    "type": "legal_person",
    "name": "张三",
    "phone": "13812345678",
    "enterprise_name": "凤冈县锌硒茶业有限公司",
    "uscc": "91350100M000100Y43",
}
FOOD_LICENCE = "1152032768560399740100102000000"
FOOD_MATERIALS = ["食品经营许可申请书", "营业执照复印件", "经营场所平面图", "食品安全管理制度"]
SOLE_TRADER = "1152032768560399740100103000000"  # 个体工商户登记, 市场监督管理局
SOLE_TRADER_MATERIALS = ["个体工商户登记申请书", "申请人身份证明"]


class County:
    """The gateway, logged in as whoever does the next step."""

    def __init__(self, url: str, var: Path) -> None:
        self.http = httpx.Client(base_url=url, timeout=60)
        self.var = var
        self.tokens: dict[str, str] = {}
        self.done: Counter[str] = Counter()

    def _token(self, who: str) -> str:
        if who not in self.tokens:
            if who == "province":
                form = {"grant_type": "client_credentials", "client_id": who}
                form["client_secret"] = PASSWORD
            else:
                form = {"grant_type": "password", "username": who, "password": PASSWORD}
            self.tokens[who] = _json(self.http.post("/auth/token", data=form))["access_token"]
        return self.tokens[who]

    def call(self, who: str | None, method: str, path: str, **kw: Any) -> Any:
        headers = dict(kw.pop("headers", {}))
        if who is not None:
            headers["Authorization"] = f"Bearer {self._token(who)}"
        if method == "POST":
            headers.setdefault("Idempotency-Key", str(uuid.uuid4()))
        return _json(self.http.request(method, path, headers=headers, **kw))

    def act(self, who: str, path: str, case: dict[str, Any], action: str, body: Any = None) -> Any:
        read = self.http.get(f"{path}/{case['id']}", headers=self._auth(who))
        _json(read)
        headers = {"If-Match": read.headers["ETag"]}
        return self.call(
            who, "POST", f"{path}/{case['id']}/{action}", json=body or {}, headers=headers
        )

    def _auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token(who)}"}

    def sms(self, number: str, template: str) -> dict[str, Any]:
        """The parameters of the SMS ``template`` sent about ``number`` (waits a little)."""
        outbox = self.var / "notifications.jsonl"
        for _ in range(120):
            lines = outbox.read_text(encoding="utf-8").splitlines() if outbox.exists() else []
            for line in map(json.loads, lines):
                params = line.get("params") or {}
                if line["template"] == template and params.get("number") == number:
                    return dict(params)
            time.sleep(0.5)
        return {}

    def sms_links(self, number: str) -> list[str]:
        """Rating links sent about ``number`` so far (the file channel of ``make run``)."""
        outbox = self.var / "notifications.jsonl"
        lines = outbox.read_text(encoding="utf-8").splitlines() if outbox.exists() else []
        params = [json.loads(line).get("params") or {} for line in lines]
        return [p["url"] for p in params if p.get("number") == number and p.get("url")]

    def rate(self, number: str, level: int, links: int = 1) -> None:
        """The applicant rates through the SMS links once they arrive (a few seconds)."""
        for _ in range(120):
            urls = self.sms_links(number)
            if len(urls) >= links:
                break
            time.sleep(0.5)
        for url in urls:
            token = url.rsplit("/", 1)[1]
            self.call(
                None,
                "POST",
                f"/api/v1/ratings/invitations/{token}/rating",
                json={"level": level, "comment": "办事顺利"},
            )
            self.done["ratings by SMS link"] += 1


def _json(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        raise SystemExit(
            f"demo: {response.request.method} {response.request.url} answered "
            f"{response.status_code}: {response.text[:500]}"
        )
    return response.json() if response.content else None


def hotline(county: County, rng: random.Random, count: int) -> None:
    """Calls and provincial pushes, handled through the whole loop; one consult answered at
    intake; return visits score them (a 差评 opens a rectification in ratings)."""
    for n in range(count):
        category, title, content, dept = rng.choice(CALLS)
        body = {
            "type": rng.choice(TYPES),
            "category_code": category,
            "title": title,
            "content": content,
            "requester": {"name": "市民", "phone": "13900001111"},
        }
        if n % 3 == 0:
            body |= {"source": "province", "external_id": f"GZ-{uuid.uuid4().hex[:12]}"}
        ticket = county.call("province" if n % 3 == 0 else "operator", "POST", TICKETS, json=body)
        county.done["12345 tickets"] += 1
        if n % 7 == 6:
            continue  # still waiting for dispatch: the console's queue has some work
        ticket = county.act("operator", TICKETS, ticket, "dispatch")
        ticket = county.act(f"{dept}_head", TICKETS, ticket, "sign")
        if n % 5 == 4:
            continue  # signed, being handled
        ticket = county.act(f"{dept}_staff", TICKETS, ticket, "contact", {"note": "已联系来电人"})
        ticket = county.act(f"{dept}_staff", TICKETS, ticket, "reply", {"body": "已核查处理完毕。"})
        ticket = county.act("hotline_head", TICKETS, ticket, "review", {"approve": True})
        level = rng.choice(LEVELS)
        county.act("operator", TICKETS, ticket, "revisit", {"level": level})
        county.done["12345 tickets closed and revisited"] += 1
    consult = {
        "type": "consult",
        "category_code": "SCJG_FOOD",
        "title": "个体户营业执照咨询",
        "content": "办理个体工商户营业执照需要哪些材料？",
    }
    ticket = county.call("operator", "POST", TICKETS, json=consult)
    county.act("operator", TICKETS, ticket, "answer", {"answer": "携带身份证到政务服务中心办理。"})
    county.done["12345 consults answered at intake"] += 1


def complaints(county: County) -> None:
    """An enterprise's infringement complaint transferred from 12345, handled, resolved."""
    body = {
        "type": "complaint",
        "category_code": "YS_INFRINGE",
        "title": "执法检查指定供应商",
        "content": "执法人员检查时要求企业向指定供应商购买设备。",
        "requester": {
            "name": "王五",
            "phone": "13512345678",
            "enterprise_name": "凤冈县绿源茶业有限公司",
            "enterprise_uscc": "91520327MA6DM8Q41N",
        },
    }
    ticket = county.call("operator", "POST", TICKETS, json=body)
    county.act("operator", TICKETS, ticket, "transfer", {"respondent_department": "SCJGJ"})
    for _ in range(120):
        page = county.call("complaints", "GET", CASES, params={"limit": 200})
        found = [c for c in page["items"] if c["state"] == "registered"]
        if found:
            break
        time.sleep(0.5)
    for case in found:
        case = county.act("complaints", CASES, case, "accept", {"note": "属受理范围"})
        case = county.act("complaints", CASES, case, "assign")
        case = county.act("scjg_staff", CASES, case, "investigate", {"note": "已调取检查记录。"})
        case = county.act("scjg_head", CASES, case, "reply", {"reply": "已责令执法人员纠正。"})
        case = county.act("complaints", CASES, case, "resolve", {"result": "经核查属实，已纠正。"})
        county.done["complaints resolved"] += 1
        code = county.sms(case["number"], "complaint_registered").get("query_code")
        if code:  # the enterprise confirms with the 查询码 its SMS carried: the ticket closes
            answer = {"number": case["number"], "query_code": code, "verdict": "confirmed"}
            county.call(None, "POST", "/api/v1/complaints/public/respond", json=answer)
            county.done["complaints confirmed by the enterprise"] += 1


def rectifications(county: County) -> None:
    """The ratings center calls each 差评's rater back and sets a deadline (限期整改)."""
    for _ in range(60):  # the 差评 of the return visits arrive through events
        page = county.call(
            "bureau_staff",
            "GET",
            "/api/v1/ratings/rectifications",
            params={"state": "awaiting_callback", "limit": 200},
        )
        if page["items"]:
            break
        time.sleep(0.5)
    path = "/api/v1/ratings/rectifications"
    for rect in page["items"]:
        called = {"reached": True, "verified": True, "note": "已回访核实，情况属实。"}
        rect = county.act("bureau_staff", path, rect, "call-back", called)
        county.act("bureau_staff", path, rect, "classify", {"classification": "deadline"})
        county.done["差评 called back and put under a deadline"] += 1


def approvals(county: County, count: int) -> None:
    """Window applications finished on time, online ones with a 补正 first; rated by SMS."""
    county.call(
        "hall_head",
        "PUT",
        "/api/v1/approvals/halls/HALL_COUNTY/windows/W01/clerks",
        json={"staff_nos": ["ZW2001"]},
    )
    for n in range(count):
        online = n % 2 == 0
        body: dict[str, Any] = {
            "item": FOOD_LICENCE if online else SOLE_TRADER,
            "applicant": APPLICANT,
            "materials": FOOD_MATERIALS[:3] if online else SOLE_TRADER_MATERIALS,
        }
        if online:
            body |= {
                "channel": "online",
                "delivery_method": "postal",
                "postal_address": "凤冈县龙泉镇新街12号",
            }
        else:
            body |= {"channel": "window", "hall_code": "HALL_COUNTY", "window_code": "W01"}
        app = county.call("province" if online else "clerk", "POST", APPLICATIONS, json=body)
        county.done["applications"] += 1
        if app["status"] == "awaiting_materials":
            app = county.act(
                "clerk",
                APPLICATIONS,
                app,
                "receive-supplement",
                {"materials": app["missing_materials"]},
            )
        app = county.act("clerk", APPLICATIONS, app, "accept")
        if n == count - 1:
            continue  # one stays in review
        app = county.act("scjg_staff", APPLICATIONS, app, "approve")
        delivery = {"method": "postal", "tracking_number": f"EMS{1000000 + n}"} if online else {}
        app = county.act("clerk", APPLICATIONS, app, "deliver", delivery)
        app = county.act("clerk", APPLICATIONS, app, "finish")
        county.done["applications finished"] += 1
        county.rate(app["number"], 5 if n % 3 else 4, links=2)


def county_today(at: datetime | None = None) -> str:
    """The county's date (Asia/Shanghai), not this machine's: a pairing starts on the county's
    today, which from 16:00 UTC is a machine on UTC's tomorrow."""
    return (at or datetime.now(UTC)).astimezone(SHANGHAI).date().isoformat()


def visits(county: County) -> None:
    """彭勇 visits the enterprise he is paired with; the problem found goes to 住建局."""
    pairings = county.call("fgj_head", "GET", "/api/v1/visits/assignments")["items"]
    for pairing in [p for p in pairings if p["leader_staff_no"] == "FG5200"][:1]:
        problem = {
            "title": "厂区道路施工许可进度慢",
            "category": "approval",
            "description": "扩建厂区道路，施工许可申请两个月未批复。",
            "contact_name": "赵强",
            "contact_phone": "13787654321",
        }
        visit = county.call(
            "fgj_head",
            "POST",
            "/api/v1/visits/visits",
            json={
                "pairing_id": pairing["id"],
                "visited_on": county_today(),
                "participants": [
                    {"name": "彭勇", "title": "发展和改革局局长", "department": "FGJ"}
                ],
                "summary": "走访企业，了解生产经营和扩建项目进展。",
                "problems": [problem],
            },
        )
        county.done["visits"] += 1
        for raised in visit["problems"]:
            p = county.call("enterprise", "GET", f"{PROBLEMS}/{raised['id']}")
            p = county.act("enterprise", PROBLEMS, p, "assign", {"department": "ZJJ"})
            p = county.act("zjj_head", PROBLEMS, p, "sign")  # 一把手亲自接单
            p = county.act("zjj_staff", PROBLEMS, p, "contact", {"channel": "phone"})
            p = county.act("zjj_staff", PROBLEMS, p, "propose", {"proposal": "开通绿色通道。"})
            p = county.act("zjj_head", PROBLEMS, p, "solve", {"resolution": "施工许可证已核发。"})
            p = county.act(
                "enterprise", PROBLEMS, p, "confirm", {"confirmed_by": "赵强", "channel": "phone"}
            )
            county.done["visit problems closed"] += 1
            county.rate(p["number"], 5)


def main(argv: list[str] | None = None) -> int:
    port = os.environ.get("YS_GATEWAY_PORT", "8000")
    parser = argparse.ArgumentParser(prog="python scripts/demo.py", description=__doc__)
    parser.add_argument("--url", default=f"http://127.0.0.1:{port}", help="the gateway")
    parser.add_argument("--var", type=Path, default=Path(os.environ.get("YS_VAR_DIR", "var")))
    parser.add_argument("--seed", type=int, default=7, help="the same seed plays the same week")
    parser.add_argument("--tickets", type=int, default=24, help="12345 tickets in the week")
    args = parser.parse_args(argv)
    county = County(args.url, args.var)
    try:
        county.http.get("/healthz").raise_for_status()
    except httpx.HTTPError as exc:
        print(
            f"demo: no running system at {args.url} ({exc}); start it with `make run`",
            file=sys.stderr,
        )
        return 2
    rng = random.Random(args.seed)
    hotline(county, rng, args.tickets)
    complaints(county)
    approvals(county, 6)
    visits(county)
    rectifications(county)
    for what, n in county.done.items():
        print(f"  {n:>4}  {what}")
    print(f"demo: a week of county work played into {args.url}; see {args.url}/console/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
