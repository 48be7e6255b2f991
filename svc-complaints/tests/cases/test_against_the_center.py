"""A complaint against the complaints center itself (respondent COMPLAINTS_CENTER: the center
sat on an enterprise's complaint, say). No one judges their own cause (``access``):

* the center is a party to it: its people get a respondent unit's view (redacted), only once
  the case was handed over (交办) — the clerk who registers it gets the redacted answer —,
  take none of the center's steps on it and never unmask; an identity search by them never
  finds it;
* the bureau takes the center's part: its deciders accept, assign, review and close, its
  people call the enterprise and record its answers; it reads the identity as the center
  would (audited) and holds the center's clocks; a bureau member also posted to the center
  is a party; the committee still sees it masked;
* the rule follows the case's current respondent, as named or changed at 受理.
"""

import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select

from tests.builders import (
    BASE,
    CENTER,
    ENTERPRISE,
    START,
    AComplaint,
    People,
    Walk,
    register,
    step,
)
from yingshang.audit import AuditEntry
from yingshang.clock import FrozenClock
from yingshang.events.outbox import OutboxEvent
from yingshang.testing.apps import ServiceUnderTest
from yingshang.time.models import DeadlineStage
from yingshang.time.sweeper import DeadlineSweeper

AGAINST_THE_CENTER = AComplaint(
    respondent=CENTER,
    category="inaction",
    title="投诉中心登记后两个月未受理",
    facts=(
        "凤冈县绿源茶业有限公司反映：本企业一月向投诉中心投诉乱收费，至今未受理也未答复。"
        "联系人王五，电话13512345678。"
    ),
)
SECRETS = (ENTERPRISE["name"], "绿源茶业", *(ENTERPRISE[k] for k in ("uscc", "contact_name")))
PHONE = ENTERPRISE["contact_phone"]
REASON = {"reason": "核查投诉中心办理情况"}
CENTERS_PART = ("accept", "assign", "resolve", "dispute", "revisit", "close", "check_back")
SEARCHES = {"uscc": ENTERPRISE["uscc"], "enterprise": "绿源茶业", "phone": PHONE, "q": "绿源茶业"}


def leaks(text: str) -> list[str]:
    return [s for s in (*SECRETS, PHONE) if s in text]


def center_people(p: People) -> list[dict[str, str]]:
    return [p.clerk, p.officer, p.center_head]


def bureau_head(p: People) -> dict[str, str]:
    return p.at("BUREAU", "head", "YS0002")


async def read(c: httpx.AsyncClient, case: dict[str, Any], headers: dict[str, str]) -> Any:
    return await c.get(f"{BASE}/cases/{case['id']}", headers=headers)


async def unmask(c: httpx.AsyncClient, case: dict[str, Any], headers: dict[str, str]) -> Any:
    return await c.get(f"{BASE}/cases/{case['id']}/identity", params=REASON, headers=headers)


async def listed(c: httpx.AsyncClient, headers: dict[str, str], **params: str) -> list[str]:
    response = await c.get(f"{BASE}/cases", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def assigned(c: httpx.AsyncClient, p: People) -> dict[str, Any]:
    """Registered by the center's clerk, accepted and handed to the center by the bureau."""
    case = await register(c, p.clerk, AGAINST_THE_CENTER)
    case = await step(c, case, "accept", bureau_head(p), {"note": "由营商局办理"})
    return await step(c, case, "assign", bureau_head(p))


async def departments(sut: ServiceUnderTest, case: dict[str, Any]) -> list[tuple[str, str]]:
    async with sut.app.state.db.read() as session:
        rows = await session.execute(
            select(DeadlineStage.stage, DeadlineStage.department)
            .where(DeadlineStage.case_id == uuid.UUID(case["id"]))
            .order_by(DeadlineStage.started_at)
        )
        return [(r.stage, r.department) for r in rows]


async def test_the_clerk_gets_a_redacted_answer_then_nothing_until_it_is_handed_over(
    complaints: ServiceUnderTest, people: People
) -> None:
    """The 201 answer is the case as its registering clerk may see it, a party's: no identity
    block, no identifying evidence, the typed identity taken out of the facts, no steps. The
    query code is in it (the enterprise needs it). Until 交办 the case is hidden from the
    center; the bureau sees it as the center would and may decide; the committee masked."""
    c, p = complaints.client, people
    made = await c.post(f"{BASE}/cases", json=AGAINST_THE_CENTER.build(), headers=p.clerk)
    assert made.status_code == 201, made.text
    case = made.json()
    assert (case["identity"], case["enterprise"], case["actions"]) == ("redacted", None, [])
    assert [e["title"] for e in case["evidence"]] == ["执法检查现场照片"]
    assert "[已隐去]" in case["facts"]
    assert case["query_code"]
    assert leaks(made.text) == []
    for headers in center_people(p):
        assert (await read(c, case, headers)).status_code == 404
        timeline = await c.get(f"{BASE}/cases/{case['id']}/timeline", headers=headers)
        assert timeline.status_code == 404
        assert case["id"] not in await listed(c, headers)
    bureau = (await read(c, case, bureau_head(p))).json()
    assert (bureau["identity"], bureau["enterprise"]["uscc"]) == ("center", ENTERPRISE["uscc"])
    assert bureau["actions"] == ["accept", "reject"]
    committee = (await read(c, case, p.committee)).json()
    assert (committee["identity"], committee["actions"]) == ("masked", [])
    assert committee["enterprise"]["name"] == "凤冈*******公司"


async def test_the_bureau_takes_every_step_of_the_center_and_the_center_none(
    complaints: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """Every decision and step of the center's part, tried by the center's clerk, staff and
    head first: 404 while the case is hidden from them, 403 once it was handed to them. The
    center answers as the respondent unit (its head signs the reply)."""
    c, p, head = complaints.client, people, bureau_head(people)
    case = await register(c, p.clerk, AGAINST_THE_CENTER)
    rejection = {"exclusion": "not_infringement", "note": "不属受理范围", "referral": "请自行协商"}
    for headers in center_people(p):
        await step(c, case, "accept", headers, expect=404)
        await step(c, case, "reject", headers, rejection, expect=404)
    case = await step(c, case, "accept", head)
    for headers in center_people(p):
        await step(c, case, "assign", headers, expect=404)
    case = await step(c, case, "assign", head)  # to the respondent itself: the center
    assert (case["state"], case["department"]) == ("assigned", CENTER)
    assert (await read(c, case, p.center_head)).json()["actions"] == ["investigate"]
    for headers in center_people(p):
        await step(c, case, "urge", headers, {"note": "请加快办理"}, expect=403)
    case = await step(c, case, "investigate", p.officer, {"note": "已调取登记记录。"})
    case = await step(c, case, "reply", p.center_head, {"reply": "已于本周受理并交办。"})
    for headers in center_people(p):
        await step(c, case, "resolve", headers, {"result": "已处理完毕。"}, expect=403)
        await step(c, case, "send_back", headers, {"note": "无需补充"}, expect=403)
    case = await step(c, case, "resolve", head, {"result": "经核查，投诉中心已受理并交办。"})
    for headers in center_people(p):
        await step(c, case, "confirm", headers, {"note": "企业满意"}, expect=403)
        await step(c, case, "dispute", headers, {"note": "企业不满意"}, expect=403)
    case = await step(c, case, "dispute", p.bureau, {"note": "企业认为中心仍在拖延"})
    for headers in center_people(p):
        await step(c, case, "revisit", headers, {"note": "回访企业"}, expect=403)
    case = await step(c, case, "revisit", p.bureau, {"note": "营商局电话回访企业。"})
    for headers in center_people(p):
        await step(c, case, "reopen", headers, {"note": "重新交办"}, expect=403)
        await step(c, case, "close", headers, {"note": "办结"}, expect=403)
    case = await step(c, case, "close", head, {"note": "经回访，维持处理意见"})
    clock.advance(timedelta(days=31))
    check = {"note": "企业反映未受到打击报复。", "retaliation_found": False}
    for headers in center_people(p):
        await step(c, case, "check_back", headers, check, expect=403)
    case = await step(c, case, "check_back", p.bureau, check)
    assert case["state"] == "checked_back"
    timeline = (await c.get(f"{BASE}/cases/{case['id']}/timeline", headers=head)).json()
    taken = {e["action"]: e["position_dept"] for e in timeline if e["action"] in CENTERS_PART}
    assert taken == dict.fromkeys(CENTERS_PART, "BUREAU")


async def test_the_bureau_reads_the_identity_audited_the_center_redacted(
    complaints: ServiceUnderTest, people: People
) -> None:
    """Handed over, the case reaches the center as a respondent's: redacted in its read and
    timeline, and ``/identity`` refuses. The bureau reads the contact in full and unmasks,
    both audited; the committee reads it masked."""
    c, p = complaints.client, people
    case = await assigned(c, p)
    bureau = await read(c, case, p.bureau)
    assert bureau.json()["enterprise"]["contact_phone"] == PHONE  # in full, as the center's
    assert (await unmask(c, case, p.bureau)).json()["enterprise_uscc"] == ENTERPRISE["uscc"]
    async with complaints.app.state.db.read() as session:
        audited = (
            await session.execute(
                select(AuditEntry.staff_no, AuditEntry.detail)
                .where(AuditEntry.object_id == case["id"])
                .order_by(AuditEntry.seq)
            )
        ).all()
    assert [(n, d) for n, d in audited] == [
        ("YS0003", {"fields": ["contact_name", "contact_phone"]}),
        (
            "YS0003",
            {
                "fields": ["contact_name", "contact_phone", "enterprise_name", "enterprise_uscc"],
                "reason": REASON["reason"],
            },
        ),
    ]
    committee = (await read(c, case, p.committee)).json()
    assert (committee["identity"], committee["enterprise"]["contact_phone"]) == (
        "masked",
        "135****5678",
    )
    for headers in center_people(p):
        seen = await read(c, case, headers)
        assert (seen.json()["identity"], seen.json()["enterprise"]) == ("redacted", None)
        assert [e["title"] for e in seen.json()["evidence"]] == ["执法检查现场照片"]
        timeline = await c.get(f"{BASE}/cases/{case['id']}/timeline", headers=headers)
        assert leaks(seen.text + timeline.text) == []
        refused = await unmask(c, case, headers)
        assert refused.status_code == 403, refused.text
        assert leaks(refused.text) == []


async def test_center_people_see_it_listed_redacted_and_never_find_it_by_identity(
    complaints: ServiceUnderTest, people: People, walk: Walk
) -> None:
    """The same enterprise complains about 市场监管局 and about the center: an identity search
    by the center finds the first only; the bureau's finds the second only (it sees that one
    as the center, the other masked)."""
    c, p = complaints.client, people
    ordinary, against = await walk.assigned(), await assigned(c, p)
    rows = (await c.get(f"{BASE}/cases", headers=p.officer)).json()["items"]
    row = next(r for r in rows if r["id"] == against["id"])
    assert (row["identity"], row["enterprise_name"]) == ("redacted", None)
    for name, value in SEARCHES.items():
        for headers in center_people(p):
            assert await listed(c, headers, **{name: value}) == [ordinary["id"]], name
        assert await listed(c, p.bureau, **{name: value}) == [against["id"]], name
    rows = (await c.get(f"{BASE}/cases", headers=p.bureau)).json()["items"]
    assert {r["id"]: r["enterprise_name"] for r in rows} == {
        ordinary["id"]: "凤冈*******公司",
        against["id"]: ENTERPRISE["name"],
    }
    refused = await c.get(f"{BASE}/cases", params=SEARCHES, headers=p.committee)
    assert refused.status_code == 403  # oversight alone searches no identity


async def test_the_bureau_holds_the_centers_clocks(
    complaints: ServiceUnderTest, people: People, walk: Walk
) -> None:
    """The acceptance and feedback stages (and the check-back) are the bureau's, the reply the
    center's as the unit it was handed to; an ordinary case's stay the center's."""
    c, p = complaints.client, people
    case = await step(c, await assigned(c, p), "investigate", p.officer, {"note": "已核查。"})
    case = await step(c, case, "reply", p.center_head, {"reply": "已受理并交办。"})
    assert await departments(complaints, case) == [
        ("acceptance", "BUREAU"),
        ("reply", CENTER),
        ("feedback", "BUREAU"),
    ]
    ordinary = await walk.replied()
    assert await departments(complaints, ordinary) == [
        ("acceptance", CENTER),
        ("reply", "SCJGJ"),
        ("feedback", CENTER),
    ]


async def test_a_late_decision_escalates_to_the_bureau(
    complaints: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """Warnings and escalations of the acceptance clock name the bureau (its heads are told)."""
    c = complaints.client
    [policy] = (
        await c.get(f"{BASE}/policies", params={"stage": "acceptance"}, headers=people.officer)
    ).json()
    patch = {"amount": 10, "unit": "natural_seconds", "warning_fraction": 0.5}
    changed = await c.patch(f"{BASE}/policies/{policy['id']}", json=patch, headers=people.admin())
    assert changed.status_code == 200, changed.text
    case = await register(c, people.clerk, AGAINST_THE_CENTER)
    clock.set(START + timedelta(seconds=30))
    await DeadlineSweeper(complaints.app.state.db).sweep()
    async with complaints.app.state.db.read() as session:
        rows = await session.scalars(
            select(OutboxEvent.payload).where(OutboxEvent.case_key == f"case/{case['id']}")
        )
        fired = [(e["type"].rsplit(".", 1)[1], e["data"]["department"]) for e in rows]
    assert ("warning", "BUREAU") in fired
    assert ("overdue", "BUREAU") in fired
    assert {d for t, d in fired if t == "escalated"} == {"BUREAU"}


async def test_the_rule_follows_the_respondent_named_at_acceptance(
    complaints: ServiceUnderTest, people: People
) -> None:
    """The center accepts a complaint registered without a respondent and names itself: from
    then on the case is the bureau's (the acceptance clock it held and stopped stays its
    own). The bureau accepts one registered against the center and names 市场监管局: the
    center takes it over."""
    c, p, head = complaints.client, people, bureau_head(people)
    case = await register(c, p.clerk, AGAINST_THE_CENTER.with_(respondent=None))
    case = await step(c, case, "accept", p.officer, {"respondent": CENTER})
    assert (case["identity"], case["enterprise"], case["actions"]) == ("redacted", None, [])
    await step(c, case, "assign", p.officer, expect=404)
    case = await step(c, case, "assign", head)
    assert await departments(complaints, case) == [("acceptance", CENTER), ("reply", CENTER)]

    case = await register(c, p.clerk, AGAINST_THE_CENTER)
    case = await step(c, case, "accept", head, {"respondent": "SCJGJ"})
    assert (case["identity"], case["actions"]) == ("masked", [])  # the bureau: oversight again
    await step(c, case, "assign", head, expect=403)
    seen = (await read(c, case, p.officer)).json()
    assert (seen["identity"], seen["actions"]) == ("center", ["assign"])
    assert (await step(c, case, "assign", p.officer))["department"] == "SCJGJ"


async def test_a_bureau_member_posted_to_the_center_is_a_party(
    complaints: ServiceUnderTest, people: People
) -> None:
    """交叉挂职: a bureau head also posted to the center gets the unit's view of a complaint
    against the center, decides nothing on it and does not unmask — whichever post they act
    in. The committee stays oversight."""
    c, p = complaints.client, people
    both = p.issuer.headers(("BUREAU", "head"), (CENTER, "staff"), staff_no="X0006")
    case = await register(c, p.clerk, AGAINST_THE_CENTER)
    for headers in (both, {**both, "X-Acting-Position": "BUREAU/head"}):
        seen = await read(c, case, headers)
        assert (seen.json()["identity"], seen.json()["actions"]) == ("redacted", [])
        assert leaks(seen.text) == []
        await step(c, case, "accept", headers, expect=403)
        assert (await unmask(c, case, headers)).status_code == 403
    await step(c, case, "accept", p.committee, expect=403)
    assert (await unmask(c, case, p.committee)).status_code == 200
    assert (await step(c, case, "accept", bureau_head(p)))["state"] == "accepted"
