"""A problem walks from 登记 to 销号 as the right people; 销号 needs the enterprise's
confirmation or the bureau's override with a reason; a dispute reopens it; the wrong person
gets 403 (sees it) or 404 (does not); every step needs the current ETag."""

from typing import Any

from sqlalchemy import select

from tests.builders import BASE, People, Walk, etag, ok
from yingshang.events.outbox import OutboxEvent
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.sealed import assert_sealed, stored

SOLVED = {"resolution": "供电局已完成增容施工并送电。"}
CONFIRMED = {"confirmed_by": "王五", "channel": "phone"}


async def event_names(sut: ServiceUnderTest, problem_id: str) -> list[str]:
    async with sut.app.state.db.read() as session:
        rows = await session.scalars(
            select(OutboxEvent.subject)
            .where(OutboxEvent.case_key == f"problem/{problem_id}")
            .order_by(OutboxEvent.seq)
        )
        return [r.rsplit(".", 1)[1] for r in rows]


async def payload(sut: ServiceUnderTest, problem_id: str, name: str) -> dict[str, Any]:
    async with sut.app.state.db.read() as session:
        row = await session.scalar(
            select(OutboxEvent.payload).where(
                OutboxEvent.case_key == f"problem/{problem_id}",
                OutboxEvent.subject == f"ys.visits.problem.{name}",
            )
        )
    assert row is not None, name
    return dict(row["data"])  # type: ignore[arg-type]


async def test_cannot_close_without_confirmation_or_override(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    solved = await walk.solved()
    # The department cannot close its own problem, in any way.
    for step in ("confirm", "override_close"):
        body = CONFIRMED if step == "confirm" else {"note": "已解决"}
        await walk.step(solved, step, people.head(), body, expect=403)
    # The center records the enterprise's confirmation only with who confirmed and how.
    await walk.step(solved, "confirm", people.center, {"channel": "phone"}, expect=422)
    # The center cannot override; the bureau can, but only with a reason.
    await walk.step(solved, "override_close", people.center, {"note": "企业失联"}, expect=403)
    await walk.step(solved, "override_close", people.bureau, {}, expect=422)
    view = await ok(await visits.client.get(f"{BASE}/problems/{solved['id']}",
                                            headers=people.center))  # fmt: skip
    assert (view["state"], view["closed_at"]) == ("solved", None)  # nothing half-written
    # Confirmation is impossible before the department reports it solved.
    in_progress = await walk.in_progress()
    await walk.step(in_progress, "confirm", people.center, CONFIRMED, expect=409)
    closed = await walk.step(solved, "confirm", people.center_clerk, CONFIRMED)
    assert (closed["state"], closed["closure"], closed["confirmed_by"]) == (
        "closed", "confirmed", "王五")  # fmt: skip
    assert closed["actions"] == []


async def test_the_whole_loop_with_events_clocks_and_rating_node(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    p = await walk.problem()
    assert (p["state"], p["department"], p["actions"]) == ("raised", None, ["assign"])
    p = await walk.step(p, "assign", people.center,
                        {"department": "GXJ", "resolution_due": "2026-04-30"})  # fmt: skip
    running = {s["stage"]: s for s in p["stages"] if s["status"] == "running"}
    assert set(running) == {"sign", "proposal", "resolution"}
    assert running["resolution"]["due_at"].startswith("2026-04-30T16:00")  # 24:00 Shanghai
    p = await walk.step(p, "sign", people.head())
    p = await walk.step(p, "contact", people.staff(), {"channel": "on_site"})
    p = await walk.step(p, "propose", people.staff(), {"proposal": "协调供电局现场勘查。"})
    p = await walk.step(
        p, "progress", people.staff(), {"text": "已完成勘查，施工中。", "percent": 60}
    )
    assert (p["progress_count"], p["progress"][0]["percent"]) == (1, 60)
    p = await walk.step(p, "solve", people.head(), SOLVED)
    p = await walk.step(p, "confirm", people.center, CONFIRMED)
    assert [s["status"] for s in p["stages"]] == ["completed"] * 7
    # listed as the process runs, not as the clocks started (three at the 交办)
    assert [s["stage"] for s in p["stages"]] == [
        "sign", "contact", "proposal", "progress", "progress", "resolution", "confirmation",
    ]  # fmt: skip
    assert await event_names(visits, p["id"]) == [
        "created", "stage_started", "stage_started", "stage_started", "assigned", "signed",
        "stage_completed", "stage_started", "contacted", "stage_completed", "proposed",
        "stage_completed",
        "stage_started", "progress_reported", "stage_completed", "stage_started", "solved",
        "stage_completed", "stage_completed", "stage_started", "closed", "completed",
        "stage_completed",
    ]  # fmt: skip
    completed = await payload(visits, p["id"], "completed")
    assert {k: completed[k] for k in ("node", "service", "case_kind", "rater_type", "channel",
                                      "department", "item_name")} == {
        "node": "finish", "service": "visits", "case_kind": "problem",
        "rater_type": "legal_person", "channel": "center", "department": "GXJ",
        "item_name": "水电路气讯",
    }  # fmt: skip
    closed = await payload(visits, p["id"], "closed")
    assert closed["outcome"] == "confirmed"
    assert closed["received_at"] <= closed["closed_at"]
    assert "13512345678" not in str(completed) + str(closed)  # no personal data in events


async def test_a_dispute_reopens_and_the_bureau_may_override(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    solved = await walk.solved()
    await walk.step(solved, "dispute", people.center, {}, expect=422)  # the objection is needed
    reopened = await walk.step(solved, "dispute", people.center, {"note": "仍未送电"})
    assert (reopened["state"], reopened["dispute_count"]) == ("in_progress", 1)
    running = sorted(s["stage"] for s in reopened["stages"] if s["status"] == "running")
    assert running == ["progress", "resolution"]
    assert "reopened" in await event_names(visits, solved["id"])
    # a person of the handling department with a bureau post too (交叉挂职) may not close
    # their own department's problem by override: it is the bureau's second pair of eyes
    both = people.issuer.headers((reopened["department"], "head"), ("BUREAU", "staff"))
    await walk.step(reopened, "override_close", both, {"note": "自行销号"}, expect=403)
    acting = {**both, "X-Acting-Position": "BUREAU/staff"}  # acting in the bureau post only
    await walk.step(reopened, "override_close", acting, {"note": "自行销号"}, expect=403)
    closed = await walk.step(
        reopened, "override_close", people.bureau, {"note": "企业诉求超出政策范围，已解释"}
    )
    assert (closed["state"], closed["closure"]) == ("closed", "override")
    assert [s["status"] for s in closed["stages"] if s["stage"] != "confirmation"].count(
        "running") == 0  # fmt: skip
    assert (await payload(visits, solved["id"], "closed"))["outcome"] == "override"


async def test_wrong_people_stale_tags_and_returns(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    p = await walk.assigned("GXJ")
    url = f"{BASE}/problems/{p['id']}"
    assert (await visits.client.get(url, headers=people.staff("SCJGJ"))).status_code == 404
    await walk.step(p, "propose", people.staff("SCJGJ"), {"proposal": "x"}, expect=404)
    await walk.step(p, "assign", people.staff("GXJ"), {"department": "FGJ"}, expect=403)
    no_tag = await visits.client.post(f"{url}/propose", json={"proposal": "x"},
                                      headers=people.staff())  # fmt: skip
    assert no_tag.status_code == 428
    stale = {**p, "version": p["version"] - 1}
    await walk.step(stale, "propose", people.staff(), {"proposal": "x"}, expect=412)
    await walk.step(p, "return", people.staff(), {"note": "不属本局职责"}, expect=403)  # head only
    returned = await walk.step(p, "return", people.head(), {"note": "不属本局职责"})
    assert (returned["state"], returned["department"]) == ("raised", None)
    assert (await visits.client.get(url, headers=people.staff("GXJ"))).status_code == 404
    assert all(s["status"] == "cancelled" for s in returned["stages"])
    reassigned = await walk.step(returned, "assign", people.bureau, {"department": "FGJ"})
    assert reassigned["department"] == "FGJ"
    await walk.step(reassigned, "assign", people.center, {"department": "FGJ"}, expect=409)
    await walk.step(returned, "assign", people.center, {"department": "FGJ"}, expect=412)
    bad = await visits.client.post(
        f"{url}/assign",
        json={"department": "NOPE"},
        headers={**people.center, "If-Match": etag("problem", reassigned)},
    )
    assert bad.status_code == 409  # checked against the state first: it is assigned already
    listed = await ok(await visits.client.get(f"{BASE}/problems", params={"department": "FGJ"},
                                              headers=people.staff("FGJ")))  # fmt: skip
    assert [i["id"] for i in listed["items"]] == [p["id"]]


async def test_contact_phone_is_masked_and_read_with_a_reason(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    p = await walk.assigned()
    assert p["contact_phone"] == "135****5678"
    assert_sealed(await stored(visits.database_url, "visits_problems", "contact_phone"),
                  "13512345678")  # fmt: skip
    url = f"{BASE}/problems/{p['id']}/contact"
    full = await ok(await visits.client.get(url, params={"reason": "联系企业核实"},
                                            headers=people.staff()))  # fmt: skip
    assert full["contact_phone"] == "13512345678"
    assert (await visits.client.get(url, params={"reason": "联系企业"},
                                    headers=people.staff("SCJGJ"))).status_code == 404  # fmt: skip


async def test_the_contact_phone_reads_masked_in_the_free_text_too(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    """People write the number into the description, a proposal, a progress note: the
    department reads it there masked as in ``contact_phone`` (/contact, with a reason, for
    all of it)."""
    p = await walk.problem(
        description="企业联系人王五（电话13787654321，或 137 8765 4321）反映用电增容审批慢。",
        contact_phone="13787654321",
    )
    p = await walk.step(p, "assign", people.center, {"department": "GXJ"})
    p = await walk.step(p, "sign", people.head())
    p = await walk.step(p, "contact", people.staff(), {"channel": "phone"})
    p = await walk.step(p, "propose", people.staff(), {"proposal": "已致电13787654321约定勘查。"})
    p = await walk.step(p, "progress", people.staff(), {"text": "再次联系13787654321。"})
    for who in (people.staff(), people.center):
        seen = await ok(await visits.client.get(f"{BASE}/problems/{p['id']}", headers=who))
        assert seen["contact_phone"] == "137****4321"
        assert seen["description"] == (
            "企业联系人王五（电话137****4321，或 137****4321）反映用电增容审批慢。"
        )
        assert seen["proposal"] == "已致电137****4321约定勘查。"
        assert seen["progress"][0]["text"] == "再次联系137****4321。"
        listed = await visits.client.get(f"{BASE}/problems", headers=who)
        timeline = await visits.client.get(f"{BASE}/problems/{p['id']}/timeline", headers=who)
        for text in (str(seen), listed.text, timeline.text):
            assert "13787654321" not in text
            assert "8765 4321" not in text
