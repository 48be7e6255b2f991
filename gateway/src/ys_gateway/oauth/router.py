"""``POST /auth/token``, ``POST /auth/logout``, ``POST /auth/password``,
``GET /.well-known/jwks.json``, key rotation.

The token, logout and password routes manage their own transactions (see ``oauth.grants``,
``oauth.password``), so they use a plain router; everything else uses the request-owned
transaction.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import unquote

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from starlette.datastructures import FormData

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal, public
from yingshang.db import SessionDep
from yingshang.problems import TooManyRequests
from ys_gateway.access import bureau_admin
from ys_gateway.directory.changes import changed
from ys_gateway.oauth.errors import NO_STORE, OAuthError
from ys_gateway.oauth.grants import Grants
from ys_gateway.oauth.keys import KeyStore
from ys_gateway.oauth.password import PasswordChangeIn, PasswordChanges, password_holder
from ys_gateway.oauth.verifier import GatewayVerifier
from ys_gateway.proxy.ratelimit import RateLimiter

auth = APIRouter(tags=["auth"])  # own transactions: see module docstring
keys_router = router(tags=["auth"])

FORM = "application/x-www-form-urlencoded"
TOKEN_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            FORM: {
                "schema": {
                    "type": "object",
                    "required": ["grant_type"],
                    "properties": {
                        "grant_type": {
                            "type": "string",
                            "enum": ["password", "client_credentials", "refresh_token"],
                        },
                        "username": {"type": "string"},
                        "password": {"type": "string"},
                        "client_id": {"type": "string"},
                        "client_secret": {"type": "string"},
                        "refresh_token": {"type": "string"},
                        "scope": {"type": "string"},
                    },
                }
            }
        },
    }
}


@auth.post(
    "/auth/token",
    dependencies=[allow(public())],
    summary="OAuth2 token endpoint (password, client_credentials, refresh_token)",
    openapi_extra=TOKEN_DOC,
    responses={400: {"description": "RFC 6749 §5.2 error"}, 401: {"description": "bad client"}},
)
async def token(request: Request) -> Response:
    try:
        _limit_ip(request)
        form = await _form(request)
        issued = await _grant(request, form)
    except OAuthError as exc:
        return exc.response()
    return JSONResponse(issued, headers=NO_STORE)


@auth.post(
    "/auth/logout",
    dependencies=[allow(public())],
    summary="Revoke a refresh token and its whole family",
    status_code=204,
    openapi_extra=TOKEN_DOC,
)
async def logout(request: Request) -> Response:
    try:
        form = await _form(request)
    except OAuthError as exc:
        return exc.response("/auth/logout")
    grants: Grants = request.app.state.grants
    await grants.logout(str(form.get("refresh_token") or form.get("token") or ""))
    return Response(status_code=204, headers=NO_STORE)


@auth.post(
    "/auth/password",
    dependencies=[allow(password_holder())],
    summary="Change your own password (the only call a password_change_required token may make)",
    description=(
        "JSON body `{current_password, new_password}`; the new password follows the rules of "
        "passwords administrators set. Answers a new token pair (as `POST /auth/token`); "
        "every refresh token issued before, on every device, is revoked. A wrong current "
        "password counts as a failed sign-in of the username (lockout)."
    ),
    responses={
        200: {"description": "password changed; a new token pair"},
        401: {"description": "no or bad token, or the account is no longer active"},
        403: {"description": "wrong current password (`wrong-password`), or not a person"},
        409: {"description": "the password was changed meanwhile (`changed`)"},
        422: {"description": "new password too short/long, or the same as the current one"},
        429: {"description": "too many attempts from this address, or the username is locked"},
    },
)
async def change_password(
    body: PasswordChangeIn, request: Request, principal: CurrentPrincipal
) -> Response:
    _limit_ip(request)
    changes: PasswordChanges = request.app.state.password_changes
    issued = await changes.change(principal, body)
    return JSONResponse(issued.body(), headers=NO_STORE)


@keys_router.get(
    "/.well-known/jwks.json", dependencies=[allow(public())], summary="Token signing keys"
)
async def jwks(request: Request, session: SessionDep) -> JSONResponse:
    store: KeyStore = request.app.state.keys
    document = await store.jwks(session)
    return JSONResponse(document, headers={"Cache-Control": "public, max-age=60"})


@keys_router.post(
    "/api/v1/admin/keys/rotate",
    dependencies=[allow(bureau_admin())],
    summary="Rotate the signing key (the old one stays published until its tokens expire)",
)
async def rotate(
    request: Request, session: SessionDep, principal: CurrentPrincipal
) -> dict[str, str]:
    store: KeyStore = request.app.state.keys
    retired = await store.active_kids(session)
    row = await store.rotate(session)
    await changed(
        session,
        principal,
        kind="key",
        key=row.kid,
        action="rotated",
        data={"old_kids": retired, "new_kid": row.kid, "alg": row.alg},
        publish=False,
    )
    verifier = request.app.state.verifier
    if isinstance(verifier, GatewayVerifier):  # tests may install another verifier
        verifier.keys_changed()
    return {"kid": row.kid, "alg": row.alg}


async def _grant(request: Request, form: FormData) -> dict[str, Any]:
    grants: Grants = request.app.state.grants
    kind = str(form.get("grant_type") or "")
    if kind == "password":
        issued = await grants.password(_field(form, "username"), _field(form, "password"))
    elif kind == "client_credentials":
        client_id, secret, basic = _client_auth(request, form)
        ip = request.client.host if request.client else None
        scope = _field(form, "scope") or None
        issued = await grants.client_credentials(client_id, secret, scope, ip, basic)
    elif kind == "refresh_token":
        issued = await grants.refresh(_field(form, "refresh_token"))
    elif not kind:
        raise OAuthError("invalid_request", "grant_type is required", detail="缺少 grant_type")
    else:
        raise OAuthError(
            "unsupported_grant_type",
            f"grant_type {kind!r} is not supported",
            detail=f"不支持的授权方式：{kind}",
        )
    return issued.body()


async def _form(request: Request) -> FormData:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != FORM:
        raise OAuthError(
            "invalid_request",
            f"send the parameters as {FORM} (RFC 6749 §3.2)",
            detail=f"参数须以 {FORM} 格式提交（RFC 6749 §3.2）",
        )
    return await request.form()


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _client_auth(request: Request, form: FormData) -> tuple[str, str, bool]:
    """HTTP Basic (RFC 6749 §2.3.1, form-urlencoded parts) or client_id/secret in the body."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return _field(form, "client_id"), _field(form, "client_secret"), False
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise OAuthError(
            "invalid_client",
            "malformed Basic credentials",
            detail="Basic 认证信息格式有误",
            status=401,
            basic=True,
        ) from exc
    client_id, _, secret = decoded.partition(":")
    return unquote(client_id), unquote(secret), True


def _limit_ip(request: Request) -> None:
    limiter: RateLimiter = request.app.state.limiter
    ip = request.client.host if request.client else "unknown"
    wait = limiter.public_ip(ip)
    if wait:
        raise TooManyRequests("该地址的登录请求过于频繁，请稍后再试", retry_after=wait)
