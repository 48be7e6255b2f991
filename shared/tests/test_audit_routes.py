"""The audit log read and verified over HTTP (``yingshang.audit_routes``, mounted by the kit
sample service like every service): bureau administrators list it with filters and pages,
and the verification names the first row someone edited in the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from conftest_kit import bureau, db_of, frozen_at, operator, start_kit
from sqlalchemy import text

from yingshang import audit
from yingshang.testing import a_clerk, an_admin
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.plugin import StartService

AUDIT = "/api/v1/kit/admin/audit"
MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 Asia/Shanghai
admin = an_admin()
clerk = operator.with_(sub="user:clerk-7", staff_no="RX1001")


async def record(sut: ServiceUnderTest, action: str, obj: tuple[str, str], **detail: Any) -> None:
    async with db_of(sut).write() as session:
        await audit.record(
            session,
            actor=clerk.build(),
            action=action,
            object_kind=obj[0],
            object_id=obj[1],
            detail=detail,
        )


async def four_entries(sut: ServiceUnderTest) -> None:
    """Monday: two reads of case A and a policy change; Tuesday: a read of case B."""
    with frozen_at(MONDAY) as clock:
        await record(sut, audit.READ_UNMASKED, ("case", "A"), fields=["phone"])
        await record(sut, "policy.update", ("policy", "P1"), amount=5)
        await record(sut, audit.READ_UNMASKED, ("case", "A"), fields=["phone"], reason="回访")
        clock.advance(timedelta(days=1))
        await record(
            sut, audit.READ_UNMASKED, ("case", "B"), fields=["phone"],
            reason="核实 13812345678 身份 520302199001011234",
        )  # fmt: skip


async def listed(sut: ServiceUnderTest, **params: Any) -> dict[str, Any]:
    response = await sut.client.get(AUDIT, params=params, headers=admin.headers(sut.issuer))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def seqs(page: dict[str, Any]) -> list[int]:
    return [e["seq"] for e in page["items"]]


async def test_admins_list_the_log_newest_first_with_filters_and_pages(
    service_app: StartService,
) -> None:
    sut = await start_kit(service_app)
    await four_entries(sut)
    everything = await listed(sut)
    assert seqs(everything) == [4, 3, 2, 1]
    newest = everything["items"][0]
    assert (newest["actor"], newest["staff_no"], newest["action"]) == (
        "user:clerk-7", "RX1001", audit.READ_UNMASKED)  # fmt: skip
    assert (newest["object_kind"], newest["object_id"]) == ("case", "B")
    assert newest["prev_hash"] == everything["items"][1]["hash"]
    assert seqs(await listed(sut, action="policy.update")) == [2]
    assert seqs(await listed(sut, object_kind="case", object_id="A")) == [3, 1]
    assert seqs(await listed(sut, actor="RX1001")) == [4, 3, 2, 1]  # by 工号
    assert seqs(await listed(sut, actor="user:clerk-7", action="policy.update")) == [2]
    assert seqs(await listed(sut, actor="user:someone-else")) == []
    # a time without an offset is county time: Tuesday 00:00 Asia/Shanghai splits the days
    assert seqs(await listed(sut, since="2026-03-03T00:00:00")) == [4]
    assert seqs(await listed(sut, until="2026-03-03T00:00:00")) == [3, 2, 1]
    first = await listed(sut, limit=3)
    second = await listed(sut, limit=3, cursor=first["next_cursor"])
    assert (seqs(first), seqs(second), second["next_cursor"]) == ([4, 3, 2], [1], None)


async def test_personal_numbers_are_masked_in_the_listing_and_stored_as_they_were(
    service_app: StartService,
) -> None:
    sut = await start_kit(service_app)
    await four_entries(sut)
    reason = (await listed(sut, object_id="B"))["items"][0]["detail"]["reason"]
    assert reason == "核实 138****5678 身份 5203**********1234"
    async with db_of(sut).read() as session:
        stored = await session.scalar(text("SELECT detail FROM ys_audit WHERE seq = 4"))
    assert "13812345678" in str(stored)
    assert (await sut.client.get(f"{AUDIT}/verify", headers=admin.headers(sut.issuer))).json()["ok"]


async def test_verify_walks_the_chain_and_names_the_head(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    empty = (await sut.client.get(f"{AUDIT}/verify", headers=admin.headers(sut.issuer))).json()
    assert (empty["ok"], empty["checked"], empty["head_seq"]) == (True, 0, 0)
    assert empty["head_hash"] == audit.GENESIS
    await four_entries(sut)
    report = (await sut.client.get(f"{AUDIT}/verify", headers=admin.headers(sut.issuer))).json()
    async with db_of(sut).read() as session:
        head = await audit.head(session)
    assert (report["ok"], report["checked"], report["first_broken"]) == (True, 4, None)
    assert (report["head_seq"], report["head_hash"]) == head


async def test_verify_finds_a_row_edited_in_the_database(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    await four_entries(sut)
    async with db_of(sut).write() as session:  # someone covers a read up, straight in SQL
        await session.execute(text("UPDATE ys_audit SET object_id = 'Z' WHERE seq = 3"))
    report = (await sut.client.get(f"{AUDIT}/verify", headers=admin.headers(sut.issuer))).json()
    assert (report["ok"], report["checked"], report["first_broken"]) == (False, 2, 3)
    assert "hash" in report["reason"]
    assert report["head_seq"] == 4


async def test_a_published_head_shows_the_newest_rows_removed(service_app: StartService) -> None:
    """Deleting the newest rows leaves a chain that links: the head published before is what
    shows they are gone."""
    sut = await start_kit(service_app)
    await four_entries(sut)
    verify, headers = f"{AUDIT}/verify", admin.headers(sut.issuer)
    published = (await sut.client.get(verify, headers=headers)).json()
    anchor = {"seq": published["head_seq"], "hash": published["head_hash"]}
    assert (await sut.client.get(verify, params=anchor, headers=headers)).json()["anchor_ok"]
    async with db_of(sut).write() as session:
        await session.execute(text("DELETE FROM ys_audit WHERE seq = 4"))
    after = (await sut.client.get(verify, params=anchor, headers=headers)).json()
    assert (after["ok"], after["head_seq"], after["anchor_ok"]) == (True, 3, False)
    half = await sut.client.get(verify, params={"seq": 4}, headers=headers)
    assert (half.status_code, half.json()["field"]) == (422, "hash")


async def test_only_administrators_at_the_bureau_read_the_log(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    await four_entries(sut)
    for path in (AUDIT, f"{AUDIT}/verify"):
        anonymous = await sut.client.get(path)
        callers = (operator, bureau, an_admin("SCJGJ"), a_clerk("BUREAU"))
        refused = [await sut.client.get(path, headers=c.headers(sut.issuer)) for c in callers]
        assert anonymous.status_code == 401
        assert [r.status_code for r in refused] == [403] * 4
        assert all(r.headers["content-type"] == "application/problem+json" for r in refused)
    bad = await sut.client.get(
        AUDIT, params={"cursor": "nonsense"}, headers=admin.headers(sut.issuer)
    )
    assert bad.status_code == 422
