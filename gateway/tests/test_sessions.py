"""Sessions end when the directory says so: a password change or a deactivation revokes
every refresh token of the person, and the gateway's admin API checks the directory on every
call instead of trusting the (up to 15 minutes old) access token."""

from __future__ import annotations

import asyncio

from .kit import Gateway

USERS = "/api/v1/admin/users"
TOKEN = "/auth/token"


async def refresh(gateway: Gateway, token: str) -> int:
    answer = await gateway.client.post(
        TOKEN, data={"grant_type": "refresh_token", "refresh_token": token}
    )
    return answer.status_code


async def test_a_password_reset_ends_every_existing_session(gateway: Gateway) -> None:
    """After an admin sets a new password (the old one may have leaked), refresh tokens issued
    before (on every device) no longer mint tokens; the new password signs in."""
    stolen = (await gateway.login("clerk"))["refresh_token"]
    other_device = (await gateway.login("clerk"))["refresh_token"]
    admin = await gateway.headers("admin")
    reset = await gateway.client.patch(
        f"{USERS}/clerk", json={"password": "a-brand-new-password"}, headers=admin
    )
    assert reset.status_code == 200, reset.text
    assert await refresh(gateway, stolen) == 400
    assert await refresh(gateway, other_device) == 400
    fresh = (await gateway.login("clerk", "a-brand-new-password"))["refresh_token"]
    assert await refresh(gateway, fresh) == 200


async def test_other_changes_keep_sessions(gateway: Gateway) -> None:
    """A change of name leaves the person's sessions alone."""
    kept = (await gateway.login("clerk"))["refresh_token"]
    admin = await gateway.headers("admin")
    renamed = await gateway.client.patch(f"{USERS}/clerk", json={"name": "新名字"}, headers=admin)
    assert renamed.status_code == 200, renamed.text
    assert await refresh(gateway, kept) == 200


async def test_reactivation_does_not_revive_refresh_tokens_from_before(gateway: Gateway) -> None:
    """Deactivating a person revokes their refresh tokens for good: switching the account on
    again does not bring the old sessions back."""
    old = (await gateway.login("clerk"))["refresh_token"]
    admin = await gateway.headers("admin")
    await gateway.client.patch(f"{USERS}/clerk", json={"active": False}, headers=admin)
    refused = await refresh(gateway, old)
    await gateway.client.patch(f"{USERS}/clerk", json={"active": True}, headers=admin)
    assert refused == 400
    assert await refresh(gateway, old) == 400


async def _second_admin(gateway: Gateway, admin: dict[str, str]) -> dict[str, str]:
    body = {
        "username": "admin2",
        "name": "第二管理员",
        "password": "a-long-password",
        "positions": [{"dept": "BUREAU", "role": "admin"}],
    }
    assert (await gateway.client.post(USERS, json=body, headers=admin)).status_code == 201
    return await gateway.first_sign_in("admin2", "a-long-password")


BACKDOOR = {
    "username": "backdoor",
    "name": "后门",
    "password": "a-long-password",
    "positions": [{"dept": "BUREAU", "role": "admin"}],
}


async def test_a_deactivated_admin_cannot_use_a_still_valid_access_token(
    gateway: Gateway,
) -> None:
    """The gateway owns the directory: on its admin API an access token of an administrator
    who has since been deactivated is refused at once (403), not when it expires."""
    admin = await gateway.headers("admin")
    rogue = await _second_admin(gateway, admin)
    assert (await gateway.client.get(USERS, headers=rogue)).status_code == 200
    off = await gateway.client.patch(f"{USERS}/admin2", json={"active": False}, headers=admin)
    assert off.status_code == 200
    created = await gateway.client.post(USERS, json=BACKDOOR, headers=rogue)
    listed = await gateway.client.get(USERS, headers=rogue)
    assert created.status_code == 403, created.text
    assert listed.status_code == 403, listed.text


async def test_a_demoted_admin_cannot_use_a_still_valid_access_token(gateway: Gateway) -> None:
    """An administrator whose admin position was taken away is refused on the admin API with
    the token issued while they held it."""
    admin = await gateway.headers("admin")
    rogue = await _second_admin(gateway, admin)
    demoted = await gateway.client.patch(
        f"{USERS}/admin2", json={"positions": [{"dept": "BUREAU", "role": "staff"}]}, headers=admin
    )
    assert demoted.status_code == 200
    created = await gateway.client.post(USERS, json=BACKDOOR, headers=rogue)
    rotated = await gateway.client.post("/api/v1/admin/keys/rotate", headers=rogue)
    assert created.status_code == 403, created.text
    assert rotated.status_code == 403, rotated.text


async def test_two_refreshes_of_one_token_at_once_never_both_succeed(gateway: Gateway) -> None:
    """Rotation: a refresh token serves once. Two refreshes racing with the same token (a copy
    in other hands) give one new pair and one refusal, and the refusal revokes the family —
    also where writers run side by side (PostgreSQL: the row is locked for the rotation)."""
    token = (await gateway.login("clerk"))["refresh_token"]
    calls = [
        gateway.client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": token})
        for _ in range(2)
    ]
    answers = await asyncio.gather(*calls)
    assert sorted(a.status_code for a in answers) == [200, 400]
    winner = next(a for a in answers if a.status_code == 200).json()["refresh_token"]
    assert await refresh(gateway, winner) == 400  # the family went with the reuse
