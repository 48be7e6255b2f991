"""Staff work mobiles (工作手机): validated, sealed at rest, masked in every answer, the event
and the audit; shown in full only to a bureau administrator who gives a reason (audited)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from yingshang.audit import READ_UNMASKED, AuditEntry
from yingshang.events.outbox import OutboxEvent
from ys_gateway.models import User

from .kit import Gateway

USERS = "/api/v1/admin/users"
NEW = {
    "username": "kfq_head",
    "name": "开发区主任",
    "staff_no": "KF0001",
    "password": "a-long-password",
    "positions": [{"dept": "ZJJ", "role": "head"}],
}


async def _create(gateway: Gateway, **fields: Any) -> Any:
    headers = await gateway.headers("admin")
    return await gateway.client.post(USERS, json={**NEW, **fields}, headers=headers)


async def _stored(gateway: Gateway, username: str) -> tuple[str | None, str | None]:
    """(sealed, masked) as stored."""
    async with gateway.app.state.db.read() as session:
        user = await session.scalar(select(User).where(User.username == username))
        assert user is not None
        return user.mobile_sealed, user.mobile_masked


async def test_a_new_persons_mobile_is_normalised_sealed_and_shown_masked(
    gateway: Gateway,
) -> None:
    created = await _create(gateway, mobile="+86 137-0000-9999")
    assert created.status_code == 201, created.text
    assert created.json()["mobile"] == "137****9999"
    listed = await gateway.client.get(
        USERS, params={"q": "kfq"}, headers=await gateway.headers("admin")
    )
    assert [u["mobile"] for u in listed.json()["items"]] == ["137****9999"]
    sealed, _ = await _stored(gateway, "kfq_head")
    assert sealed is not None
    assert "13700009999" not in sealed
    assert gateway.app.state.secrets.open(sealed) == "13700009999"
    async with gateway.app.state.db.read() as session:
        events = [(e.subject, e.payload) for e in await session.scalars(select(OutboxEvent))]
        audits = [(a.action, a.detail) for a in await session.scalars(select(AuditEntry))]
    assert [subject for subject, _ in events] == ["ys.gateway.user.created"]
    assert "mobile" not in events[0][1]["data"]  # the services have no use for it
    assert [(action, detail.get("mobile")) for action, detail in audits] == [
        ("gateway.user.created", "137****9999")
    ]


async def test_a_bad_mobile_is_a_problem_naming_the_field_and_writes_nothing(
    gateway: Gateway,
) -> None:
    for bad in ("0851-28888888", "1234567890", "12345678901", 13700009999):
        response = await _create(gateway, mobile=bad)
        assert response.status_code == 422, (bad, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in response.json()["errors"]] == ["mobile"]
    async with gateway.app.state.db.read() as session:
        assert await session.scalar(select(User).where(User.username == "kfq_head")) is None


async def test_a_patch_sets_changes_and_removes_the_mobile(gateway: Gateway) -> None:
    assert (await _create(gateway)).json()["mobile"] is None
    headers = await gateway.headers("admin")
    url = f"{USERS}/kfq_head"
    set_ = await gateway.client.patch(url, json={"mobile": "13700001111"}, headers=headers)
    assert set_.json()["mobile"] == "137****1111"
    renamed = await gateway.client.patch(url, json={"name": "开发区新主任"}, headers=headers)
    assert renamed.json()["mobile"] == "137****1111"  # absent: unchanged
    removed = await gateway.client.patch(url, json={"mobile": None}, headers=headers)
    assert removed.json()["mobile"] is None
    assert await _stored(gateway, "kfq_head") == (None, None)


async def test_the_full_number_is_for_a_bureau_admin_with_a_reason_and_audited(
    gateway: Gateway,
) -> None:
    await _create(gateway, mobile="13700009999")
    url = f"{USERS}/kfq_head/mobile"
    admin = await gateway.headers("admin")
    head = await gateway.client.get(
        url, params={"reason": "核对号码"}, headers=await gateway.headers("bureau")
    )
    assert head.status_code == 403
    no_reason = await gateway.client.get(url, headers=admin)
    assert no_reason.status_code == 422
    shown = await gateway.client.get(url, params={"reason": "短信未送达，核对号码"}, headers=admin)
    assert shown.status_code == 200, shown.text
    assert shown.json() == {"username": "kfq_head", "mobile": "13700009999"}
    assert shown.headers["cache-control"] == "no-store"
    async with gateway.app.state.db.read() as session:
        query = select(AuditEntry.object_id, AuditEntry.detail)
        reads = list(await session.execute(query.where(AuditEntry.action == READ_UNMASKED)))
    assert [tuple(r) for r in reads] == [
        ("kfq_head", {"fields": ["mobile"], "reason": "短信未送达，核对号码"})
    ]


async def test_demo_heads_are_seeded_with_a_mobile(gateway: Gateway) -> None:
    headers = await gateway.headers("admin")
    for username, masked in (("zjj_head", "137****5100"), ("bureau", "137****0002")):
        person = await gateway.client.get(f"{USERS}/{username}", headers=headers)
        assert person.json()["mobile"] == masked
    clerk = await gateway.client.get(f"{USERS}/clerk", headers=headers)
    assert clerk.json()["mobile"] is None
