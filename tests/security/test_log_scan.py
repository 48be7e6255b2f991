"""The services' logs hold no secrets: a realistic flow on the stack ``make run`` starts (logins
with passwords, refresh and logout, a client's secret, a ticket with the requester's phone and an
enterprise's credit code, a provincial rating with the rater's phone and ID number, a complaint
with a confidential complainant, requests refused for bad input and bad tokens, the events of
all of it consumed), then every line of ``var/log/*.log`` is searched for a password, a bearer
or refresh token, a client secret, a full mainland phone number and a full ID number."""

from __future__ import annotations

import re
import sqlite3
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from yingshang.settings import DEMO_PASSWORD
from yingshang.testing.stack import FAST_PASSWORDS, SupervisedStack, running_stack

ROOT = Path(__file__).resolve().parents[2]
REQUESTER_PHONE, CONTACT_PHONE, RATER_PHONE = "13987654321", "13512345678", "15800001111"
RATER_ID = "520327199001011238"  # 公民身份号码 (valid check digit), fictional
USCC = "91520327MA6DM8Q41N"  # 统一社会信用代码, fictional
WRONG_PASSWORD = "not-the-Password-42"
# A full phone or ID number on its own (not inside a longer run of letters and digits).
PHONE_RE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")
ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
JWT_RE = re.compile(r"eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*")
FACTS = "SELECT case_id FROM ratings_case_facts"


@pytest.fixture
def stack() -> Iterator[SupervisedStack]:
    with running_stack(ROOT, prefix="ys-logscan-", extra_env=FAST_PASSWORDS) as stack:
        yield stack


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, (response.request.url, response.text)
    return response.json()


def eventually(check: Any, what: str, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := check()):
        if time.monotonic() > deadline:
            pytest.fail(f"never reached: {what}")
        time.sleep(0.25)
    return found


class Flow:
    """Staff and clients through the gateway; every secret handed out is remembered."""

    def __init__(self, stack: SupervisedStack) -> None:
        self.base, self.var_dir = stack.url("gateway"), stack.var_dir
        self.secrets: set[str] = {DEMO_PASSWORD, WRONG_PASSWORD}

    def token(self, **form: str) -> dict[str, Any]:
        issued: dict[str, Any] = ok(httpx.post(f"{self.base}/auth/token", data=form, timeout=30))
        self.secrets |= {v for k, v in issued.items() if k.endswith("_token")}
        return issued

    def staff(self, username: str) -> httpx.Client:
        issued = self.token(grant_type="password", username=username, password=DEMO_PASSWORD)
        headers = {"Authorization": f"Bearer {issued['access_token']}"}
        return httpx.Client(base_url=self.base, headers=headers, timeout=30)

    def client(self, client_id: str) -> httpx.Client:
        issued = self.token(
            grant_type="client_credentials", client_id=client_id, client_secret=DEMO_PASSWORD
        )
        headers = {"Authorization": f"Bearer {issued['access_token']}"}
        return httpx.Client(base_url=self.base, headers=headers, timeout=30)


def play(flow: Flow) -> None:
    base = flow.base
    # Logins: a wrong password, a right one, a refresh, a logout.
    wrong = {"grant_type": "password", "username": "operator2", "password": WRONG_PASSWORD}
    assert httpx.post(f"{base}/auth/token", data=wrong, timeout=30).status_code in {400, 401}
    issued = flow.token(grant_type="password", username="operator2", password=DEMO_PASSWORD)
    again = flow.token(grant_type="refresh_token", refresh_token=issued["refresh_token"])
    form = {"refresh_token": again["refresh_token"]}
    assert httpx.post(f"{base}/auth/logout", data=form, timeout=30).status_code == 204
    stale = {"grant_type": "refresh_token", "refresh_token": again["refresh_token"]}
    assert httpx.post(f"{base}/auth/token", data=stale, timeout=30).status_code in {400, 401}

    # A ticket with the requester's phone and an enterprise's credit code.
    operator = flow.staff("operator")
    requester = {"name": "欧阳保密", "phone": REQUESTER_PHONE, "confidential": True,
                 "enterprise_name": "凤冈县绿源茶业有限公司", "enterprise_uscc": USCC}  # fmt: skip
    body = {"type": "complaint", "category_code": "SCJG_FOOD", "title": "餐馆卫生问题",
            "content": f"请回电 {REQUESTER_PHONE}，后厨差。", "requester": requester}  # fmt: skip
    ticket = ok(operator.post("/api/v1/hotline/tickets", json=body), 201)
    refused = operator.post("/api/v1/hotline/tickets", json={**body, "type": "no-such-type"})
    assert refused.status_code == 422
    ok(operator.get(f"/api/v1/hotline/tickets/{ticket['id']}"))  # the operator's unmasked read
    forged = {"Authorization": f"Bearer {issued['access_token'][:-4]}AAAA"}
    assert httpx.get(f"{base}/api/v1/hotline/tickets", headers=forged).status_code == 401

    # A rating collected by the provincial platform: the rater's phone and ID number.
    province = flow.client("province")
    rating = {
        "external_id": f"LOG-{uuid.uuid4().hex[:8]}",
        "case": {"case_number": ticket["number"], "node": "revisit", "service": "hotline",
                 "case_kind": "ticket", "case_id": ticket["id"], "department": "SCJGJ"},
        "level": 2, "channel": "app", "rater_type": "person", "comment": "没人联系",
        "rater": {"name": "评价人甲", "phone": RATER_PHONE, "id_no": RATER_ID},
        "rated_at": "2026-10-10T08:00:00Z",
    }  # fmt: skip
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    pushed = ok(province.post("/api/v1/ratings/ratings", json=rating, headers=headers), 201)
    bureau = flow.staff("bureau")
    unmask = {"reason": "督查核实差评"}
    ok(bureau.post(f"/api/v1/ratings/ratings/{pushed['id']}/unmask", json=unmask))

    # A complaint whose complainant the center keeps confidential.
    complaints = flow.staff("complaints")
    case = {
        "real_name": True,
        "enterprise": {"name": "凤冈县绿源茶业有限公司", "uscc": USCC, "contact_name": "王五",
                       "contact_phone": CONTACT_PHONE},
        "respondent": "SCJGJ", "category": "arbitrary_charges", "title": "要求购买指定设备",
        "facts": f"执法人员要求购买指定设备，联系人电话 {CONTACT_PHONE}。",
    }  # fmt: skip
    made = ok(complaints.post("/api/v1/complaints/cases", json=case), 201)
    reason = {"reason": "督办核实投诉人身份"}
    ok(bureau.get(f"/api/v1/complaints/cases/{made['id']}/identity", params=reason))

    # The events of it all travel: ratings learns of the ticket and the complaint.
    wanted = {ticket["id"].replace("-", ""), made["id"].replace("-", "")}
    facts = flow.var_dir / "ratings.sqlite3"

    def consumed() -> bool:
        conn = sqlite3.connect(f"file:{facts}?mode=ro", uri=True, timeout=30)
        try:
            ids = {str(r[0]).replace("-", "") for r in conn.execute(FACTS)}
        finally:
            conn.close()
        return wanted <= ids

    eventually(consumed, "ratings consumed the ticket's and the complaint's events")


def findings(log_dir: Path, secrets: set[str]) -> list[str]:
    found = []
    for path in sorted(log_dir.glob("*.log")):
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            hits = [s[:12] + "…" for s in secrets if s in line]
            hits += PHONE_RE.findall(line) + ID_RE.findall(line) + JWT_RE.findall(line)
            if hits:
                found.append(f"{path.name}:{number}: {hits} in {line[:300]}")
    return found


def test_no_secret_or_full_personal_number_in_any_log(stack: SupervisedStack) -> None:
    flow = Flow(stack)
    play(flow)
    stack.interrupt()  # Ctrl-C: every child flushes and closes its log
    log_dir = stack.var_dir / "log"
    logs = {p.name: p.read_text(errors="replace") for p in log_dir.glob("*.log")}
    assert {"gateway.log", "hotline.log", "ratings.log", "complaints.log"} <= set(logs)
    assert sum(text.count("\n") for text in logs.values()) > 50, "the services did log"
    secrets = flow.secrets | {REQUESTER_PHONE, CONTACT_PHONE, RATER_PHONE, RATER_ID, USCC}
    assert findings(log_dir, secrets) == []
