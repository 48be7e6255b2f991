"""The three grants of ``POST /auth/token`` (RFC 6749 §4.3, §4.4, §6) and logout.

Transactions are explicit here: a failed login must commit its lockout counter and a reused
refresh token must commit the family's revocation, while the answer is an error; and the
(slow, by design) password hash check must not hold the database writer.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.clock import now
from yingshang.db import Database
from ys_gateway.crypto import Passwords
from ys_gateway.models import Client, RefreshToken, User
from ys_gateway.oauth import lockout
from ys_gateway.oauth.errors import OAuthError
from ys_gateway.oauth.tokens import IssuedTokens, Issuer, find_refresh, revoke_family

BAD_LOGIN = "invalid username or password"
LOCKED = "too many failed sign-ins for this username; try again later"
BAD_REFRESH = "refresh token is invalid, expired or revoked"
BAD_LOGIN_ZH = "用户名或密码不正确"
LOCKED_ZH = "该用户名登录失败次数过多，请稍后再试"
BAD_REFRESH_ZH = "登录已失效（刷新令牌无效、过期或已撤销），请重新登录"


@dataclass
class Grants:
    db: Database
    issuer: Issuer
    passwords: Passwords
    policy: lockout.LockoutPolicy

    async def password(self, username: str, password: str) -> IssuedTokens:
        if not username or not password:
            raise OAuthError(
                "invalid_request", "username and password are required", detail="请填写用户名和密码"
            )
        # The attempt counts as a failure before the (slow) password check, in the same write
        # transaction as the lock check: a burst of concurrent guesses cannot all pass the
        # check first and get more password checks than the threshold.
        async with self.db.write() as session:
            locked = await lockout.is_locked(session, username)
            if not locked:
                await lockout.record_failure(session, username, self.policy)
            user = None if locked else await _active_user(session, username)
        if locked:
            raise OAuthError("invalid_grant", LOCKED, detail=LOCKED_ZH)
        stored = user.password_hash if user else None
        ok = await self.passwords.averify(stored, password)
        if not ok or user is None:
            raise OAuthError("invalid_grant", BAD_LOGIN, detail=BAD_LOGIN_ZH)
        async with self.db.write() as session:
            await lockout.reset(session, username)
            return await self.issuer.for_user(session, user)

    async def client_credentials(
        self, client_id: str, secret: str, scope: str | None, ip: str | None, basic: bool
    ) -> IssuedTokens:
        if not client_id or not secret:
            raise OAuthError(
                "invalid_client",
                "client authentication required",
                detail="接口客户端须先认证",
                status=401,
            )
        async with self.db.read() as session:
            client = await session.get(Client, client_id)
            if client is not None:
                session.expunge(client)
        usable = client is not None and client.active
        ok = await self.passwords.averify(client.secret_hash if usable and client else None, secret)
        if not ok or client is None:
            raise OAuthError(
                "invalid_client",
                "client authentication failed",
                detail="接口客户端认证失败",
                status=401,
                basic=basic,
            )
        if not ip_allowed(client.allowed_cidrs, ip):
            raise OAuthError(
                "unauthorized_client",
                "this client may not connect from here",
                detail="该接口客户端不允许从此地址接入",
            )
        return self.issuer.for_client(client, _granted_scope(client, scope))

    async def refresh(self, token: str) -> IssuedTokens:
        if not token:
            raise OAuthError(
                "invalid_request", "refresh_token is required", detail="缺少 refresh_token"
            )
        async with self.db.write() as session:
            row = await find_refresh(session, token)
            user = await _refresh_owner(session, row)
            if row is None or user is None:
                tokens = None
            else:
                row.used_at = row.revoked_at = now()
                tokens = await self.issuer.for_user(session, user, row.family_id)
        if tokens is None:
            raise OAuthError("invalid_grant", BAD_REFRESH, detail=BAD_REFRESH_ZH)
        return tokens

    async def logout(self, token: str) -> bool:
        """Revoke the refresh token's whole family (RFC 7009 semantics: unknown is fine)."""
        async with self.db.write() as session:
            row = await find_refresh(session, token) if token else None
            if row is not None:
                await revoke_family(session, row.family_id)
        return row is not None


async def _active_user(session: AsyncSession, username: str) -> User | None:
    user = await session.scalar(
        select(User).where(User.username == lockout.normalise(username), User.active.is_(True))
    )
    if user is not None:
        session.expunge(user)  # used after the read transaction ends (it expires on rollback)
    return user


async def _refresh_owner(session: AsyncSession, row: RefreshToken | None) -> User | None:
    """The user a refresh token may still serve; a reused token revokes its family."""
    if row is None:
        return None
    if row.revoked_at is not None or row.used_at is not None:
        # Reuse of a rotated token: someone holds a copy. Revoke the family (RFC 9700 §4.14).
        await revoke_family(session, row.family_id)
        return None
    if row.expires_at <= now():
        return None
    user = await session.get(User, row.user_id)
    return user if user is not None and user.active else None


def _granted_scope(client: Client, requested: str | None) -> str:
    allowed = set(client.scopes)
    if not requested:
        return " ".join(sorted(allowed))
    wanted = set(requested.split())
    if not wanted <= allowed:
        raise OAuthError(
            "invalid_scope",
            f"scope not granted: {' '.join(sorted(wanted - allowed))}",
            detail=f"未授予的权限范围：{' '.join(sorted(wanted - allowed))}",
        )
    return " ".join(sorted(wanted))


def ip_allowed(cidrs: list[str], ip: str | None) -> bool:
    """Empty list: any address. Otherwise the caller's address must fall in one range."""
    if not cidrs:
        return True
    if ip is None:
        return False
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(c, strict=False) for c in cidrs)
