"""``Idempotency-Key`` for POSTs that create something (draft-ietf-httpapi-idempotency-key-header).

Semantics, per key and per client (scope = the token's client id, else its subject; callers
without a token share the scope ``anonymous``):

* first request: runs; a successful response (status < 400) is stored and replayed exactly
  for 24 h (:data:`RETENTION`) — same status, headers and body, plus ``Idempotent-Replayed:
  true``; an error response or an exception stores nothing and releases the key;
* same key, same request, first one still running → 409 problem (``Retry-After: 1``);
* same key, different request (method, path, query or canonical body) → 422 problem;
* keys: 8-255 visible ASCII characters, 16+ without a token (a UUID is right); the header
  may be a bare token or a quoted structured-field string.

How it stays exactly-once with the request-owned transaction (``TransactionalRoute``): the
key is claimed in the request's own write transaction, so the effects and the stored response
commit together or not at all, and a failure, a rollback or a crash leaves the key free.

1. in this process, a registry of the keys whose requests are running answers a second
   request with the same key at once (409, or 422 for a different request), before it
   queues for the writer;
2. the transaction starts by inserting a marker for ``(scope, key)`` (insert-if-absent on the
   primary key); an existing row is a finished request: its response is replayed (or 422).
   Another process: on SQLite it cannot be writing at the same time (``BEGIN IMMEDIATE``),
   so it finds the finished row; on PostgreSQL a transaction-level advisory lock on the key
   (``pg_try_advisory_xact_lock``) tells a second replica 409 while the first one runs;
3. after the handler, the response is written into the marker in the same transaction.

A dependency can neither answer with the replayed response nor outlive the commit (the
registry entry must), hence a route class, attached per route with :func:`idempotent_post`::

    @idempotent_post(api, "/cases", status_code=201, response_model=CaseOut,
                     dependencies=[allow(staff("clerk"))])
    async def open_case(body: CaseIn, session: SessionDep, ...) -> CaseOut: ...

Rows live until :func:`purge_expired` removes them (call it from a periodic sweep).

At rest the table holds neither a key nor an answer readable from the database: a creating
answer may carry a secret shown once (a query code; on the gateway a client secret, a
webhook's signing secret). A row is found by a digest of scope and key (:func:`row_key`) and
its body is encrypted (AES-256-GCM) under a key derived from the ``Idempotency-Key`` itself,
which only the client holds: the retry that brings the key opens the answer and replays it,
query code included; a copy of the database alone opens nothing. (Keys are meant to be
UUIDs; a short, guessable key protects its answer only as well as it can be guessed.) An app
may also set ``app.state.idempotency_sealer`` (:class:`Sealer`, the gateway's key secret): the
body is then sealed with it too.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any, NamedTuple, Protocol, TypeVar

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import (
    JSON,
    BigInteger,
    Index,
    LargeBinary,
    String,
    and_,
    bindparam,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import Executable

from yingshang.auth import AccessRule, bearer_token
from yingshang.cases.numbers import upsert_for
from yingshang.clock import now
from yingshang.db import PlumbingBase, TransactionalRoute, UTCDateTime, get_session
from yingshang.prepared import Prepared
from yingshang.problems import Conflict, DomainError, Invalid

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
RETENTION = timedelta(hours=24)
IN_FLIGHT, DONE = "in_flight", "done"
ANONYMOUS = "anonymous"
_KEY = re.compile(r"^[\x21-\x7e]{8,255}$")  # visible ASCII, no spaces
ANONYMOUS_MIN_LENGTH = 16  # shared scope: keys must be unguessable (use a UUID)
_NOT_STORED = {"content-length", "x-request-id", "traceparent"}

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
F = TypeVar("F", bound=Callable[..., Any])


class IdempotencyRecord(PlumbingBase):
    __tablename__ = "ys_idempotency"
    __table_args__ = (Index("ix_ys_idempotency_expires_at", "expires_at"),)

    scope: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(12))
    owner: Mapped[str | None] = mapped_column(String(32))  # the claim's random token
    status: Mapped[int | None]
    headers: Mapped[list[list[str]] | None] = mapped_column(JSON)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class KeyInFlight(Conflict):
    code, title = "idempotency-key-in-flight", "使用该 Idempotency-Key 的请求正在处理"

    def headers(self) -> dict[str, str]:
        return {"Retry-After": "1"}


class BadIdempotencyKey(DomainError):
    status, code, title = 400, "idempotency-key", "缺少 Idempotency-Key 或格式有误"


class Sealer(Protocol):
    """Reversible encryption of stored response bodies (``app.state.idempotency_sealer``)."""

    def seal_bytes(self, plain: bytes) -> bytes: ...

    def open_bytes(self, sealed: bytes) -> bytes: ...


@dataclass(frozen=True)
class Claim:
    """This request's hold on ``(scope, key)`` while it runs."""

    scope: str
    key: str  # as the client sent it: never stored
    request_hash: str
    sealer: Sealer | None = None  # the app's, when its stored responses are sealed

    @cached_property
    def row_key(self) -> str:
        """The key's digest (the claim's INSERT and the stored answer's UPDATE both name it)."""
        return row_key(self.scope, self.key)


# --- at rest: the key's digest, the answer encrypted under the key ------------------------------

_NONCE = 12  # bytes, AES-GCM


def row_key(scope: str, key: str) -> str:
    """What ``ys_idempotency.key`` holds for ``key``: a digest (the key opens the answer)."""
    return hashlib.sha256(f"ys-idempotency-row\n{scope}\n{key}".encode()).hexdigest()


def _answer_cipher(scope: str, key: str) -> AESGCM:
    hkdf = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=scope.encode(), info=b"ys-idempotency-answer"
    )
    return AESGCM(hkdf.derive(key.encode()))


def lock_answer(scope: str, key: str, plain: bytes) -> bytes:
    """``plain`` encrypted under a key derived from the Idempotency-Key (nonce first)."""
    nonce = os.urandom(_NONCE)
    return nonce + _answer_cipher(scope, key).encrypt(nonce, plain, scope.encode())


def open_answer(scope: str, key: str, locked: bytes) -> bytes:
    """The stored answer in clear; ``ValueError`` if ``key`` does not open it."""
    try:
        return _answer_cipher(scope, key).decrypt(locked[:_NONCE], locked[_NONCE:], scope.encode())
    except InvalidTag as exc:
        raise ValueError("the stored answer does not open with this Idempotency-Key") from exc


# --- the request hash ------------------------------------------------------------------------


async def request_hash(request: Request) -> str:
    """SHA-256 of method, path, query and canonical body (JSON key order and whitespace, and
    multipart boundaries, do not make two requests different)."""
    body = await request.body()
    scope = request.scope  # path and query as sent (``request.url`` would build a URL object)
    query = scope["query_string"].decode("latin-1")
    digest = hashlib.sha256(f"{request.method}\n{scope['path']}\n{query}\n".encode())
    digest.update(_canonical_body(body, request.headers.get("content-type", "")))
    return digest.hexdigest()


def _canonical_body(body: bytes, content_type: str) -> bytes:
    media, _, params = content_type.partition(";")
    media = media.strip().lower()
    if media == "application/json" or media.endswith("+json"):
        try:
            parsed = orjson.loads(body)
        except orjson.JSONDecodeError:
            return body
        # (not handed on to the route as its parsed body: orjson makes integers beyond 64
        # bits floats, where the route's own parse keeps them exact)
        return orjson.dumps(parsed, option=orjson.OPT_SORT_KEYS)
    if media.startswith("multipart/"):
        boundary = re.search(r'boundary="?([^";]+)"?', params)
        if boundary:
            return body.replace(boundary.group(1).encode(), b"")
    return body


# --- claim, store, release --------------------------------------------------------------------


class _Stored(NamedTuple):
    """What the decision about a key needs of its row."""

    request_hash: str
    state: str
    status: int | None
    headers: list[list[str]] | None
    body: bytes | None
    expires_at: datetime


_T: Any = IdempotencyRecord.__table__
# (bind names other than the column names: UPDATE reserves those for its SET clause)
_SAME = and_(_T.c.scope == bindparam("of_scope"), _T.c.key == bindparam("of_key"))
_LOAD = Prepared(select(*(_T.c[name] for name in _Stored._fields)).where(_SAME))
_FREE = Prepared(delete(_T).where(_SAME))
_MARKER_COLUMNS = ("scope", "key", "request_hash", "state", "created_at", "locked_until",
                   "expires_at")  # fmt: skip


def _marker(dialect: Dialect) -> Executable:
    values: dict[str, Any] = {name: bindparam(name) for name in _MARKER_COLUMNS}
    upsert = upsert_for(dialect)(_T).values(values).on_conflict_do_nothing()
    statement: Executable = upsert.returning(_T.c.key)
    return statement


_INSERT_MARKER = Prepared(_marker)
_STORE = Prepared(
    update(_T)
    .where(_SAME, _T.c.state == IN_FLIGHT)
    .values(
        state=DONE,
        status=bindparam("status"),
        headers=bindparam("headers", type_=JSON()),
        body=bindparam("body", type_=LargeBinary()),
    )
)
_TRY_LOCK = Prepared(select(func.pg_try_advisory_xact_lock(bindparam("lock", type_=BigInteger))))


def running_keys(request: Request) -> dict[tuple[str, str], str]:
    """This process's keys whose requests are running: ``(scope, key)`` → request hash."""
    state = request.app.state
    running: dict[tuple[str, str], str] | None = getattr(state, "idempotency_running", None)
    if running is None:
        running = state.idempotency_running = {}
    return running


async def claim(session: AsyncSession, mine: Claim) -> Response | None:
    """Claim ``(scope, key)`` in the request's transaction (its first statements): ``None``
    when this request is to run, else the stored response to replay (422 for a different
    request, 409 while another replica runs it)."""
    at = now()
    if session.get_bind().dialect.name == "postgresql":
        lock = int.from_bytes(
            hashlib.sha256(f"{mine.scope}\n{mine.key}".encode()).digest()[:8], "big", signed=True
        )
        if not await _TRY_LOCK.scalar(session, lock=lock):
            raise KeyInFlight("使用该 Idempotency-Key 的第一个请求仍在处理，请稍后重试")
    for _attempt in range(2):
        inserted = await _INSERT_MARKER.scalar(
            session,
            scope=mine.scope,
            key=mine.row_key,
            request_hash=mine.request_hash,
            state=IN_FLIGHT,
            created_at=at,
            locked_until=at,
            expires_at=at + RETENTION,
        )
        if inserted is not None:
            return None
        existing = await _load(session, mine.scope, mine.row_key)
        if existing is not None:
            answer = _decide(existing, mine, at)
            if answer is not None:
                return answer
            # past its retention (or a marker nothing finished): free the key, insert again
            await _FREE.run(session, of_scope=mine.scope, of_key=mine.row_key)
    raise KeyInFlight("该 Idempotency-Key 正在交接，请重试")


async def _load(session: AsyncSession, scope: str, key: str) -> _Stored | None:
    row = await _LOAD.first(session, of_scope=scope, of_key=key)
    return None if row is None else _Stored(*row)


def _decide(record: _Stored, mine: Claim, at: datetime) -> Response | None:
    """Replay or raise 422 for a finished request; ``None`` when the row no longer holds the
    key (past its retention; or never finished, which a committed row cannot be)."""
    if record.expires_at <= at or record.state != DONE:
        return None
    if record.request_hash != mine.request_hash:
        raise _reused()
    return replay(record, mine)


def _reused() -> Invalid:
    return Invalid(
        "该 Idempotency-Key 已用于另一个不同的请求",
        code="idempotency-key-reused",
        field=HEADER,
    )


def replay(record: _Stored | IdempotencyRecord, mine: Claim) -> Response:
    """The stored response, byte for byte, marked as a replay."""
    body = record.body or b""
    if body:
        body = open_answer(mine.scope, mine.key, body)
    if mine.sealer is not None and body:
        body = mine.sealer.open_bytes(body)
    response = Response(content=body, status_code=record.status or 200)
    for name, value in record.headers or []:
        response.headers.append(name, value)
    response.headers[REPLAYED_HEADER] = "true"
    return response


async def store(session: AsyncSession, mine: Claim, response: Response) -> None:
    """Mark the claim done with ``response``, in the request's own transaction."""
    body = getattr(response, "body", None)
    if not isinstance(body, bytes):
        raise RuntimeError("an idempotent route must return a complete, non-streaming response")
    if mine.sealer is not None and body:
        body = mine.sealer.seal_bytes(body)
    if body:
        body = lock_answer(mine.scope, mine.key, body)
    headers = [
        [name.decode("latin-1"), value.decode("latin-1")]
        for name, value in response.raw_headers
        if name.decode("latin-1").lower() not in _NOT_STORED
    ]
    stored = await _STORE.run(
        session,
        of_scope=mine.scope,
        of_key=mine.row_key,
        status=response.status_code,
        headers=headers,
        body=body,
    )
    if stored != 1:
        raise RuntimeError("the Idempotency-Key marker of this request is gone")


async def purge_expired(session: AsyncSession, *, at: datetime | None = None) -> int:
    """Delete records past their retention; returns how many. Run periodically."""
    result = await session.execute(
        delete(_T).where(_T.c.expires_at <= (at or now())).returning(_T.c.key)
    )
    return len(result.all())


# --- the route class ----------------------------------------------------------------------------


def parse_key(raw: str | None) -> str | None:
    """The key from the header: a structured-field string (quoted) or a bare token."""
    if raw is None:
        return None
    key = raw.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1]
    if not _KEY.match(key):
        raise BadIdempotencyKey("Idempotency-Key 应为 8–255 个可见 ASCII 字符（建议使用 UUID）")
    return key


async def scope_of(request: Request, *, public_route: bool) -> str | None:
    """Who the key belongs to. A bad token counts as no token on a public route (as its
    access rule treats it); elsewhere ``None``: the access rule will answer 401."""
    token = bearer_token(request) if not public_route else _soft_bearer(request)
    if token is None:
        return ANONYMOUS
    try:
        principal = await request.app.state.verifier.verify(token)
    except DomainError:
        return ANONYMOUS if public_route else None
    return f"client:{principal.client_id}" if principal.client_id else f"sub:{principal.sub}"


def _soft_bearer(request: Request) -> str | None:
    try:
        return bearer_token(request)
    except DomainError:
        return None


def _is_public(route: APIRoute) -> bool:
    return any(
        isinstance(dep.call, AccessRule) and dep.call.kind == "public"
        for dep in route.dependant.dependencies
    )


class _StoresResponse(APIRoute):
    """Innermost layer: after the handler, store a successful response under the claim."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def run(request: Request) -> Response:
            response = await handler(request)
            mine: Claim | None = getattr(request.state, "idempotency_claim", None)
            if mine is not None and response.status_code < 400:
                await store(get_session(request), mine, response)
            return response

        return run


class IdempotentRoute(TransactionalRoute, _StoresResponse):
    """A ``TransactionalRoute`` honouring ``Idempotency-Key`` on POST (key optional)."""

    key_required = False

    def get_route_handler(self) -> Handler:
        transactional = super().get_route_handler()
        public_route = _is_public(self)

        async def run(request: Request) -> Response:
            if request.method != "POST":
                return await transactional(request)
            if not public_route and _soft_bearer(request) is None:
                # no usable token: the route's access rule answers 401 before any key check
                return await transactional(request)
            key = parse_key(request.headers.get(HEADER))
            if key is None and self.key_required:
                raise BadIdempotencyKey(f"此请求须带 {HEADER} 请求头（建议使用 UUID）")
            scope = await scope_of(request, public_route=public_route) if key else None
            if key is None or scope is None:
                return await transactional(request)
            if scope == ANONYMOUS and len(key) < ANONYMOUS_MIN_LENGTH:
                raise BadIdempotencyKey("未登录时请用 UUID 作为 Idempotency-Key")
            sealer = getattr(request.app.state, "idempotency_sealer", None)
            mine = Claim(scope, key, await request_hash(request), sealer)
            return await _run_claimed(request, transactional, mine)

        return run

    async def before_write(self, request: Request, session: AsyncSession) -> Response | None:
        mine: Claim | None = getattr(request.state, "idempotency_claim", None)
        return None if mine is None else await claim(session, mine)


class IdempotencyKeyRequiredRoute(IdempotentRoute):
    """Like :class:`IdempotentRoute`, but a POST without the header gets a 400 problem."""

    key_required = True


async def _run_claimed(request: Request, handler: Handler, mine: Claim) -> Response:
    running = running_keys(request)
    held = running.get((mine.scope, mine.key))
    if held is not None:
        if held != mine.request_hash:
            raise _reused()
        raise KeyInFlight("使用该 Idempotency-Key 的第一个请求仍在处理，请稍后重试")
    running[mine.scope, mine.key] = mine.request_hash
    request.state.idempotency_claim = mine
    try:
        return await handler(request)
    finally:
        del running[mine.scope, mine.key]


def _key_parameter(required: bool) -> dict[str, Any]:
    """The header in the OpenAPI document. The route class reads and checks it itself (a
    header dependency would only parse it a second time on every request)."""
    rule = (
        "One key per intended creation: 8-255 visible ASCII characters, at least 16 without "
        "a token; a UUID is recommended."
    )
    description = (
        f"{rule} Required; a retry with the same key replays the first response (24 h)."
        if required
        else f"{rule} A retry with the same key replays the first response (24 h)."
    )
    return {
        "name": HEADER,
        "in": "header",
        "required": required,
        "description": description,
        "schema": {"type": "string", "minLength": 8, "maxLength": 255},
    }


IDEMPOTENCY_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "Idempotency-Key missing or malformed"},
    409: {"description": "a request with this Idempotency-Key is still running"},
    422: {"description": "invalid body, or the Idempotency-Key was used for another request"},
}


def idempotent_post(
    api: APIRouter, path: str, *, key_required: bool = False, **route: Any
) -> Callable[[F], F]:
    """``@idempotent_post(router, path, **post_kwargs)``: a POST route with Idempotency-Key.

    Takes the same keyword arguments as ``router.post`` (``dependencies`` must still carry
    the route's ``allow(...)`` access rule).
    """
    route_class = IdempotencyKeyRequiredRoute if key_required else IdempotentRoute
    extra = dict(route.pop("openapi_extra", None) or {})
    extra["parameters"] = [*extra.get("parameters", []), _key_parameter(key_required)]
    route["openapi_extra"] = extra
    route["responses"] = {**IDEMPOTENCY_RESPONSES, **route.get("responses", {})}

    def decorate(endpoint: F) -> F:
        api.add_api_route(
            path, endpoint, methods=["POST"], route_class_override=route_class, **route
        )
        return endpoint

    return decorate
