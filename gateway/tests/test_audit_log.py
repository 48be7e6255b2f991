"""The gateway keeps its own audit log (directory changes, secrets, key rotations) in the same
tamper-evident table as the services: administrators at the bureau read it at
``/api/v1/admin/audit`` and verify its chain at ``/api/v1/admin/audit/verify``."""

from __future__ import annotations

from sqlalchemy import text

from yingshang import audit

from .kit import Gateway

AUDIT = "/api/v1/admin/audit"


async def test_directory_changes_are_listed_and_the_chain_verifies(gateway: Gateway) -> None:
    admin = await gateway.headers("admin")
    changed = await gateway.client.patch(
        "/api/v1/admin/departments/ZJJ", json={"active": False}, headers=admin
    )
    assert changed.status_code == 200, changed.text
    listed = await gateway.client.get(
        AUDIT, params={"action": "gateway.department.deactivated"}, headers=admin
    )
    assert listed.status_code == 200, listed.text
    [entry] = listed.json()["items"]
    assert (entry["object_kind"], entry["object_id"]) == ("department", "ZJJ")
    assert entry["detail"]["active"] is False
    verified = (await gateway.client.get(f"{AUDIT}/verify", headers=admin)).json()
    async with gateway.app.state.db.read() as session:
        head = await audit.head(session)
    assert verified["ok"] is True
    assert (verified["head_seq"], verified["head_hash"]) == head
    assert verified["checked"] == head[0] >= entry["seq"]


async def test_a_row_edited_in_the_database_breaks_the_chain(gateway: Gateway) -> None:
    admin = await gateway.headers("admin")
    for active in (False, True):
        response = await gateway.client.patch(
            "/api/v1/admin/departments/ZJJ", json={"active": active}, headers=admin
        )
        assert response.status_code == 200, response.text
    async with gateway.app.state.db.write() as session:
        seq = await session.scalar(
            text("SELECT min(seq) FROM ys_audit WHERE action = 'gateway.department.deactivated'")
        )
        await session.execute(
            text("UPDATE ys_audit SET actor = 'someone-else' WHERE seq = :seq"), {"seq": seq}
        )
    verified = (await gateway.client.get(f"{AUDIT}/verify", headers=admin)).json()
    assert (verified["ok"], verified["first_broken"]) == (False, seq)


async def test_only_bureau_administrators_read_it(gateway: Gateway) -> None:
    for username in ("operator", "bureau", "bureau_staff"):
        headers = await gateway.headers(username)
        for path in (AUDIT, f"{AUDIT}/verify"):
            response = await gateway.client.get(path, headers=headers)
            assert response.status_code == 403, (username, path, response.text)
    assert (await gateway.client.get(AUDIT)).status_code == 401
