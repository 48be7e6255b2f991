"""The gateway's admin API is county-wide: it belongs to administrators at the bureau
(``BUREAU/admin``). ``admin`` elsewhere (a town, a department) administers that unit's own
systems, not the county's people, clients, secrets, webhooks and keys. Every admin action,
key rotation included, leaves an audit entry."""

from __future__ import annotations

from sqlalchemy import select

from yingshang.audit import AuditEntry

from .kit import Gateway

USERS = "/api/v1/admin/users"
CLIENTS = "/api/v1/admin/clients"


async def test_an_admin_of_a_town_is_not_an_administrator_of_the_county(
    gateway: Gateway,
) -> None:
    """A town's admin can neither create people holding bureau or committee positions, nor
    reissue integration secrets, nor manage webhooks or keys (403); reads of the directory
    open to every signed-in caller stay open."""
    admin = await gateway.headers("admin")
    town_admin = {
        "username": "longquan_it",
        "name": "龙泉镇信息员",
        "password": "a-long-password",
        "positions": [{"dept": "LONGQUAN", "role": "admin"}],
    }
    assert (await gateway.client.post(USERS, json=town_admin, headers=admin)).status_code == 201
    town = await gateway.first_sign_in("longquan_it", "a-long-password")
    escalate = {
        "username": "longquan_boss",
        "name": "x",
        "password": "a-long-password",
        "positions": [{"dept": "BUREAU", "role": "admin"}, {"dept": "COMMITTEE", "role": "head"}],
    }
    created = await gateway.client.post(USERS, json=escalate, headers=town)
    secret = await gateway.client.post(f"{CLIENTS}/province/secret", headers=town)
    hooks = await gateway.client.get("/api/v1/admin/webhooks", headers=town)
    keys = await gateway.client.post("/api/v1/admin/keys/rotate", headers=town)
    departments = await gateway.client.get("/api/v1/admin/departments", headers=town)
    assert created.status_code == 403, created.text
    assert secret.status_code == 403, secret.text
    assert hooks.status_code == 403, hooks.text
    assert keys.status_code == 403, keys.text
    assert departments.status_code == 200


async def test_the_bureau_admin_administers(gateway: Gateway) -> None:
    """The seeded administrator (``BUREAU/admin``) uses the whole admin API."""
    admin = await gateway.headers("admin")
    assert (await gateway.client.get(USERS, headers=admin)).status_code == 200
    assert (await gateway.client.get(CLIENTS, headers=admin)).status_code == 200
    assert (await gateway.client.get("/api/v1/admin/webhooks", headers=admin)).status_code == 200


async def test_key_rotation_is_audited(gateway: Gateway) -> None:
    """A rotation records who rotated, the retired key id(s) and the new key id."""
    admin = await gateway.headers("admin")
    before = (await gateway.client.get("/.well-known/jwks.json")).json()["keys"]
    rotated = await gateway.client.post("/api/v1/admin/keys/rotate", headers=admin)
    assert rotated.status_code == 200
    async with gateway.app.state.db.read() as session:
        entries = (
            await session.execute(
                select(AuditEntry.actor, AuditEntry.object_id, AuditEntry.detail).where(
                    AuditEntry.action == "gateway.key.rotated"
                )
            )
        ).all()
    admin_id = (await gateway.client.get(f"{USERS}/admin", headers=admin)).json()["id"]
    kid = rotated.json()["kid"]
    assert len(entries) == 1
    actor, object_id, detail = entries[0]
    assert (actor, object_id, detail["new_kid"]) == (admin_id, kid, kid)
    assert detail["old_kids"] == [k["kid"] for k in before]
