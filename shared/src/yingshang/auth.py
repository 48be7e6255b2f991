"""Token verification (zero trust) and per-route access declarations.

Every service verifies the gateway-issued JWT itself from the JWKS; no header "added" by the
gateway is trusted. Every route declares exactly one :class:`AccessRule` (public, staff roles,
or client scope); :func:`route_access` enumerates them so a test fails for any route without one.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Literal

import httpx
from fastapi import Depends, FastAPI, Request
from fastapi.routing import APIRoute, iter_route_contexts
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from yingshang.problems import Forbidden, Invalid, ServiceUnavailable, Unauthorized

ALGORITHMS = ["Ed25519", "ES256"]
ROLES = ("clerk", "staff", "head", "admin")
Role = Literal["clerk", "staff", "head", "admin"]

# Fixed department codes of the coordinating bodies (ARCHITECTURE.md, "Auth and access").
COMMITTEE, BUREAU, HALL = "COMMITTEE", "BUREAU", "HALL"
HOTLINE_CENTER, COMPLAINTS_CENTER, ENTERPRISE_CENTER = (
    "HOTLINE_CENTER",
    "COMPLAINTS_CENTER",
    "ENTERPRISE_CENTER",
)


@dataclass(frozen=True, slots=True)
class Position:
    """One post a person holds: department + role. People hold several (交叉挂职)."""

    dept: str
    role: str


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling, as the verified token says."""

    sub: str
    name: str = ""
    staff_no: str | None = None
    positions: tuple[Position, ...] = ()
    scopes: frozenset[str] = frozenset()
    client_id: str | None = None
    token_id: str | None = None
    expires_at: float = 0.0
    claims: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_client(self) -> bool:
        return self.client_id is not None

    def has(self, role: str | Iterable[str] | None = None, dept: str | None = None) -> bool:
        """Holds a position with ``role`` (any of several) in ``dept`` (any dept if None)."""
        roles = {role} if isinstance(role, str) else (set(role) if role is not None else None)
        return any(
            (roles is None or p.role in roles) and (dept is None or p.dept == dept)
            for p in self.positions
        )

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def depts(self, role: str | Iterable[str] | None = None) -> set[str]:
        roles = {role} if isinstance(role, str) else (set(role) if role is not None else None)
        return {p.dept for p in self.positions if roles is None or p.role in roles}

    def held_depts(self) -> set[str]:
        """Every department the person holds a post in, as the token says — not only the one
        named by ``X-Acting-Position``: acting as a bureau member does not stop a person
        belonging to a unit (交叉挂职). For "no one judges their own cause" checks."""
        depts = self.depts()
        for p in self.claims.get("positions") or []:
            if isinstance(p, dict) and p.get("dept"):
                depts.add(str(p["dept"]))
        return depts

    def public_view(self) -> dict[str, Any]:
        return {
            "sub": self.sub,
            "name": self.name,
            "staff_no": self.staff_no,
            "positions": [{"dept": p.dept, "role": p.role} for p in self.positions],
            "scopes": sorted(self.scopes),
            "client_id": self.client_id,
        }


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    positions = tuple(
        Position(str(p["dept"]), str(p["role"]))
        for p in claims.get("positions") or []
        if isinstance(p, dict)
    )
    scope = claims.get("scope") or ""
    return Principal(
        sub=str(claims["sub"]),
        name=str(claims.get("name") or ""),
        staff_no=claims.get("staff_no"),
        positions=positions,
        scopes=frozenset(scope.split() if isinstance(scope, str) else scope),
        client_id=claims.get("client_id"),
        token_id=claims.get("jti"),
        expires_at=float(claims.get("exp") or 0),
        claims=claims,
    )


PASSWORD_CHANGE_CLAIM = "password_change_required"  # noqa: S105 - a claim's name
CHANGE_PASSWORD_FIRST = "请先修改管理员设置的初始密码（POST /auth/password）"  # noqa: S105


class PasswordChangeRequired(Forbidden):
    """A good token whose holder must change the password an administrator set before doing
    anything else (the gateway flags it; every service refuses it too, reached directly)."""

    code, title = "password-change-required", "须先修改密码"


class TokenVerifier:
    """Verifies JWTs against a JWKS (file or URL), with key cache, rotation and a token cache."""

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        jwks_url: str | None = None,
        jwks_file: Path | None = None,
        jwks: dict[str, Any] | None = None,
        cache_size: int = 4096,
        refresh_min_seconds: float = 5.0,
    ) -> None:
        self.issuer, self.audience = issuer, audience
        self.jwks_url, self.jwks_file = jwks_url, jwks_file
        self._keys: KeySet | None = KeySet.import_key_set(jwks) if jwks else None  # type: ignore[arg-type]
        self._cache: OrderedDict[str, Principal] = OrderedDict()
        self._cache_size = cache_size
        self._refresh_min = refresh_min_seconds
        self._last_refresh = 0.0
        self._lock = asyncio.Lock()
        self._claims = jwt.JWTClaimsRegistry(
            leeway=5,
            iss={"essential": True, "value": issuer},
            aud={"essential": True, "value": audience},
            exp={"essential": True},
            sub={"essential": True},
        )

    async def _load_keys(self, force: bool = False) -> KeySet:
        async with self._lock:
            fresh = time.monotonic() - self._last_refresh < self._refresh_min
            if self._keys is not None and (not force or fresh):
                return self._keys
            document = await self._fetch_jwks()
            self._keys = KeySet.import_key_set(document)
            self._last_refresh = time.monotonic()
            return self._keys

    async def _fetch_jwks(self) -> Any:
        if self.jwks_file is not None:
            return json.loads(await asyncio.to_thread(self.jwks_file.read_text))
        if not self.jwks_url:
            raise ServiceUnavailable("未配置令牌公钥（JWKS）")
        try:
            async with httpx.AsyncClient(timeout=5) as client:
                response = await client.get(self.jwks_url)
                response.raise_for_status()
                return response.json()
        except httpx.HTTPError as exc:
            raise ServiceUnavailable("暂时无法取得令牌公钥，请稍后再试") from exc

    async def verify(self, token: str) -> Principal:
        """The token's principal; 401 for a bad token, 403 for one whose holder must first
        change the password an administrator set (only the gateway's password change takes
        such a token, through :meth:`verify_identity`)."""
        principal = await self.verify_identity(token)
        if principal.claims.get(PASSWORD_CHANGE_CLAIM):
            raise PasswordChangeRequired(CHANGE_PASSWORD_FIRST)
        return principal

    async def verify_identity(self, token: str) -> Principal:
        """The token's principal, whatever it may do (cached until it expires)."""
        cached = self._cache.get(token)
        if cached is not None and cached.expires_at > time.time():
            self._cache.move_to_end(token)
            return cached
        principal = await self._verify_uncached(token)
        self._cache[token] = principal
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return principal

    async def _verify_uncached(self, token: str) -> Principal:
        keys = await self._load_keys()
        try:
            decoded = jwt.decode(token, keys, algorithms=ALGORITHMS)
        except (ValueError, JoseError) as exc:
            if "kid" not in str(exc).lower() and not isinstance(exc, ValueError):
                raise Unauthorized("令牌无效") from exc
            # Unknown key id: the issuer may have rotated; refetch once (rate-limited).
            keys = await self._load_keys(force=True)
            try:
                decoded = jwt.decode(token, keys, algorithms=ALGORITHMS)
            except (ValueError, JoseError) as exc2:
                raise Unauthorized("令牌无效") from exc2
        try:
            self._claims.validate(decoded.claims)
        except JoseError as exc:
            raise Unauthorized(f"令牌被拒绝：{exc.error}") from exc
        return principal_from_claims(decoded.claims)

    def forget(self, token: str) -> None:
        self._cache.pop(token, None)


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthorized("请先登录（Authorization: Bearer <token>）")
    return value.strip()


AccessKind = Literal["public", "staff", "scope", "any", "authenticated"]


@dataclass(frozen=True)
class AccessRule:
    """A route's access declaration, usable as a FastAPI dependency returning the principal.

    * ``public``: no token needed (a valid token is still read, an invalid one is ignored);
    * ``staff``: a position with one of ``roles`` (in one of ``depts`` if given);
    * ``scope``: an integration client holding ``scope``;
    * ``any``: staff matching roles/depts OR a client with the scope.
    """

    kind: AccessKind
    roles: tuple[str, ...] = ()
    depts: tuple[str, ...] = ()
    scope: str | None = None

    async def __call__(self, request: Request) -> Principal | None:
        token = bearer_token(request) if self.kind != "public" else _soft_token(request)
        if token is None:
            if self.kind == "public":
                return None
            raise Unauthorized("请先登录")
        verifier: TokenVerifier = request.app.state.verifier
        if self.kind == "public":
            try:
                principal: Principal | None = await verifier.verify(token)
            except (Unauthorized, ServiceUnavailable, PasswordChangeRequired):
                principal = None  # a public page serves them as anyone
        else:
            principal = acting_as(await verifier.verify(token), request.headers.get(ACTING_HEADER))
            self.check(principal)
        request.state.principal = principal
        return principal

    def allows(self, principal: Principal) -> bool:
        staff_ok = any(principal.has(self.roles, d) for d in (self.depts or (None,)))
        scope_ok = self.scope is not None and principal.has_scope(self.scope)
        if self.kind == "staff":
            return staff_ok and not principal.is_client
        if self.kind == "scope":
            return scope_ok
        if self.kind == "authenticated":
            return True
        return (staff_ok and not principal.is_client) or scope_ok

    def check(self, principal: Principal) -> None:
        if not self.allows(principal):
            raise Forbidden("您当前的岗位无权进行此操作")

    def describe(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "roles": list(self.roles),
            "depts": list(self.depts),
            "scope": self.scope,
        }


def _soft_token(request: Request) -> str | None:
    try:
        return bearer_token(request)
    except Unauthorized:
        return None


def public() -> AccessRule:
    return AccessRule("public")


def staff(*roles: str, depts: Iterable[str] = ()) -> AccessRule:
    """Staff holding a position with one of ``roles`` (default: any role)."""
    return AccessRule("staff", tuple(roles or ROLES), tuple(depts))


COUNTY_ADMIN = Position(BUREAU, "admin")


def county_admin() -> AccessRule:
    """System administration of what the whole county shares (time limits, working-day
    calendars, the catalogue and its packages, rating and enforcement settings, dead letters,
    the gateway's directory): ``BUREAU/admin`` only. ``admin`` is a role *within a position*:
    a town's or a department's admin administers nothing county-wide (deploy/README.md, "Keys
    and secrets": administration is for ``BUREAU/admin`` posts)."""
    return staff(COUNTY_ADMIN.role, depts=[COUNTY_ADMIN.dept])


def authenticated() -> AccessRule:
    """Any valid token, staff or client (e.g. ``/me``)."""
    return AccessRule("authenticated")


def client(scope: str) -> AccessRule:
    return AccessRule("scope", scope=scope)


def staff_or_client(scope: str, *roles: str, depts: Iterable[str] = ()) -> AccessRule:
    return AccessRule("any", tuple(roles or ROLES), tuple(depts), scope)


def _rules(dependant: Any) -> Iterator[AccessRule]:
    for dep in dependant.dependencies:
        if isinstance(dep.call, AccessRule):
            yield dep.call
        yield from _rules(dep)


def route_access(app: FastAPI) -> dict[tuple[str, str], list[AccessRule]]:
    """Every (method, path) of ``app`` with the access rules it declares.

    FastAPI includes routers lazily, so ``app.routes`` holds router wrappers: walk the
    effective routes, whose dependant merges the include-level and route-level dependencies.
    """
    table: dict[tuple[str, str], list[AccessRule]] = {}
    for context in iter_route_contexts(app.routes):
        if not isinstance(context.original_route, APIRoute):
            continue
        rules = list(_rules(context.dependant))
        for method in context.methods or ():
            table[(method, context.path or context.original_route.path)] = rules
    if not table:
        raise RuntimeError("no API routes found: the route walk no longer matches FastAPI")
    return table


def undeclared_routes(app: FastAPI) -> list[tuple[str, str]]:
    """Routes with no access declaration, or with more than one kind (ambiguous)."""
    return sorted(k for k, rules in route_access(app).items() if len({r.kind for r in rules}) != 1)


ACTING_HEADER = "X-Acting-Position"


def acting_as(principal: Principal, header: str | None) -> Principal:
    """The principal narrowed to the one position named by ``X-Acting-Position: DEPT/role``.

    A person holding several posts (交叉挂职) picks the one they act in (the console sends the
    choice with every request); without the header every position they hold counts. Naming a
    position they do not hold is refused (403): the header can narrow, never widen.
    """
    if header is None or principal.is_client:
        return principal
    dept, sep, role = header.strip().partition("/")
    if not sep or not dept or not role:
        example = "例如 HOTLINE_CENTER/head"
        raise Invalid(f"{ACTING_HEADER} 的格式为 部门/角色，{example}", field=ACTING_HEADER)
    chosen = [p for p in principal.positions if (p.dept, p.role) == (dept, role)]
    if not chosen:
        raise Forbidden(f"您没有 {dept}/{role} 这个岗位")
    return replace(principal, positions=tuple(chosen))


async def get_principal(request: Request) -> Principal:
    # async: FastAPI would run a plain ``def`` dependency on a worker thread
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is None:
        raise Unauthorized("请先登录")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


BEARER = "bearer"
BEARER_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "bearerFormat": "JWT",
    "description": "An access token from the gateway's POST /auth/token (OAuth 2: password "
    "for staff, client_credentials for integration clients).",
}


def document_access(app: FastAPI) -> None:
    """Put each route's declared access rule into ``app``'s OpenAPI: the bearer scheme, an
    operation's ``security`` (none for public routes) and ``x-access`` (the rule itself), so
    tools and readers know which token an operation needs."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = build()
            spec.setdefault("components", {}).setdefault("securitySchemes", {})[BEARER] = (
                BEARER_SCHEME
            )
            for (method, path), rules in route_access(app).items():
                operation = spec.get("paths", {}).get(path, {}).get(method.lower())
                if operation is None or len(rules) != 1:
                    continue
                rule = rules[0]
                operation["security"] = [] if rule.kind == "public" else [{BEARER: []}]
                operation["x-access"] = {
                    k: v
                    for k, v in (
                        ("kind", rule.kind),
                        ("roles", list(rule.roles)),
                        ("depts", list(rule.depts)),
                        ("scope", rule.scope),
                    )
                    if v
                }
        return app.openapi_schema  # type: ignore[return-value]  # set by build()

    app.openapi = openapi  # type: ignore[method-assign]
