"""RFC 9457 problem details for every error, and domain exceptions that carry their status.

Domain code raises :class:`DomainError` subclasses (never ``HTTPException``); one set of
handlers renders ``application/problem+json``. No stack trace ever reaches a client.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("yingshang.problems")

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://yingshang.gov.cn/problems/"
# Read by people (the console shows it where no field is named): Chinese. Each entry of
# ``errors`` keeps pydantic's ``type`` (what the console words per field) and ``message``.
VALIDATION_TITLE = "提交的内容未通过校验"
# The problems of the framework itself (routing, body parsing, the proxy): one type per
# status, named as the domain's are (``problems/not-found``, never ``problems/404``), with
# the title in Chinese. Domain errors of the same status keep their own, more specific type.
FRAMEWORK_PROBLEMS: dict[int, tuple[str, str]] = {
    400: ("bad-request", "请求有误"),
    401: ("unauthorized", "需要登录"),
    403: ("forbidden", "无权操作"),
    404: ("not-found", "未找到"),
    405: ("method-not-allowed", "该地址不支持此请求方法"),
    406: ("not-acceptable", "无法提供所要求的格式"),
    409: ("conflict", "与当前状态冲突"),
    413: ("too-large", "请求内容过大"),
    415: ("unsupported-media-type", "不支持的内容类型"),
    422: ("invalid", "提交的内容有误"),
    429: ("rate-limited", "请求过于频繁"),
    500: ("internal", "内部错误"),
    502: ("bad-gateway", "上游服务出错"),
    503: ("unavailable", "服务暂时不可用"),
    504: ("gateway-timeout", "上游服务未及时响应"),
}
# Starlette's own details (the status phrase, "Not Found"): said in Chinese instead.
_FRAMEWORK_DETAILS = {
    404: "没有这个地址，或无权查看",
    405: "该地址不支持此请求方法",
    401: "请先登录（Authorization: Bearer <token>）",
}


def framework_problem(status: int) -> tuple[str, str]:
    """``(code, title)`` of the framework's problem for ``status``."""
    return FRAMEWORK_PROBLEMS.get(status, ("bad-request" if status < 500 else "internal",
                                           "请求未能处理"))  # fmt: skip


class DomainError(Exception):
    """A rule was broken; rendered as a problem detail with ``status``."""

    status: int = 400
    code: str = "bad-request"
    title: str = "请求有误"

    def __init__(self, detail: str = "", *, code: str | None = None, **extra: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        if code:
            self.code = code
        self.extra = extra

    def headers(self) -> dict[str, str]:
        return {}


class NotFound(DomainError):
    status, code, title = 404, "not-found", "未找到"


class Forbidden(DomainError):
    status, code, title = 403, "forbidden", "无权操作"


class Unauthorized(DomainError):
    status, code, title = 401, "unauthorized", "需要登录"

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": 'Bearer realm="yingshang"'}


class Conflict(DomainError):
    status, code, title = 409, "conflict", "与当前状态冲突"


class Invalid(DomainError):
    """422 naming the offending field(s): ``Invalid("...", field="committed_limit")``."""

    status, code, title = 422, "invalid", "提交的内容有误"


class PreconditionFailed(DomainError):
    status, code, title = 412, "stale", "内容已被他人修改，请重新读取"


class PreconditionRequired(DomainError):
    status, code, title = 428, "if-match-required", "需要 If-Match 请求头"


class TooManyRequests(DomainError):
    status, code, title = 429, "rate-limited", "请求过于频繁"

    def __init__(self, detail: str = "", *, retry_after: int = 1, **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class MalformedBody(DomainError):
    """400: the request body cannot be parsed at all (no JSON), so no field can be named."""

    status, code, title = 400, "malformed-body", "请求内容无法解析"


class ServiceUnavailable(DomainError):
    status, code, title = 503, "unavailable", "服务暂时不可用"

    def headers(self) -> dict[str, str]:
        return {"Retry-After": "1"}


@contextmanager
def named_in_body(field: str) -> Iterator[None]:
    """Looking up a thing the request *body* names: its :class:`NotFound` becomes a 422 on
    ``field`` (a 404 would say the URL names nothing)::

        with named_in_body("item"):
            item = await get_by_ref(session, body.item)
    """
    try:
        yield
    except NotFound as exc:
        raise Invalid(exc.detail, field=field) from exc


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    *,
    code: str | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """Build a problem+json response."""
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + (code or framework_problem(status)[0]),
        "title": title,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _request_id(request: Request) -> str | None:
    rid = getattr(request.state, "request_id", None)
    return str(rid) if rid else None


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return problem(
        exc.status,
        exc.title,
        exc.detail,
        code=exc.code,
        instance=request.url.path,
        headers=exc.headers(),
        request_id=_request_id(request),
        **exc.extra,
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    if any(e.get("type") == "json_invalid" for e in exc.errors()):
        # not a field's value: the body as a whole is no JSON (pydantic's ``loc`` here is
        # the offset where parsing failed, no field)
        return await _domain_error(request, MalformedBody("请求内容不是有效的 JSON"))
    errors = [
        {
            "field": ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "body",
            "message": e.get("msg", ""),
            "type": e.get("type", ""),
        }
        for e in exc.errors()
    ]
    fields = "、".join(e["field"] for e in errors)
    return problem(
        422,
        VALIDATION_TITLE,
        f"以下字段填写有误：{fields}",
        code="validation",
        instance=request.url.path,
        errors=errors,
        request_id=_request_id(request),
    )


def _phrase(status: int) -> str | None:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return None


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers) if exc.headers else None
    status = exc.status_code
    detail: str | None = exc.detail if isinstance(exc.detail, str) else None
    if detail is None or detail == _phrase(status):
        detail = _FRAMEWORK_DETAILS.get(status)
    code, title = framework_problem(status)
    return problem(
        status,
        title,
        detail,
        code=code,
        instance=request.url.path,
        headers=headers,
        request_id=_request_id(request),
    )


# The database cannot take the statement right now (locked past the busy timeout, disk full,
# connection lost): the request failed whole and may be retried, so 503, not 500.
TRANSIENT_DATABASE = ("database is locked", "disk is full", "disk i/o error")


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, OperationalError)
    message = str(exc.orig).lower()
    if not exc.connection_invalidated and not any(m in message for m in TRANSIENT_DATABASE):
        return await _unhandled(request, exc)
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path, message)
    unavailable = ServiceUnavailable("the database is busy or unavailable; retry shortly")
    return await _domain_error(request, unavailable)


async def _out_of_range(request: Request, exc: Exception) -> JSONResponse:
    # Date arithmetic past year 9999 (or before year 1) on a value the request supplied, where
    # no field type bounded it: the input is wrong, not the service. Logged to find the field.
    log.warning("out of range on %s %s", request.method, request.url.path, exc_info=exc)
    invalid = Invalid("a date, time or number in the request is outside the range counted in")
    return await _domain_error(request, invalid)


async def _data_error(request: Request, exc: Exception) -> JSONResponse:
    # The database refused a value the request carried that no field type caught: PostgreSQL
    # takes no NUL character (U+0000) in text (asyncpg's error reaches SQLAlchemy as a plain
    # DBAPIError), and checks lengths and numeric ranges itself (DataError).
    assert isinstance(exc, DBAPIError)
    message = str(exc.orig).lower()
    if isinstance(exc, IntegrityError) and ("unique" in message or "duplicate key" in message):
        # Two requests raced to create the same thing (one external id, one number) on a
        # database that runs writers side by side: the loser retries and reads the winner's.
        log.warning("concurrent duplicate on %s %s: %s", request.method, request.url.path,
                    message)  # fmt: skip
        raced = Conflict("a concurrent request made the same thing; retry", code="concurrent")
        return await _domain_error(request, raced)
    nul = "0x00" in message or "\\u0000" in message
    if not nul and not isinstance(exc, DataError):
        return await _unhandled(request, exc)
    log.warning("value refused by the database on %s %s: %s", request.method,
                request.url.path, message)  # fmt: skip
    if nul:
        invalid = Invalid("text must not contain the NUL character (U+0000)", code="nul-character")
    else:
        invalid = Invalid("a value in the request does not fit what the service stores")
    return await _domain_error(request, invalid)


async def _stale(request: Request, exc: Exception) -> JSONResponse:
    # A versioned row (``yingshang.db.VersionMixin``) changed between this request's If-Match
    # check and its UPDATE … WHERE version = :old: another writer won the race (PostgreSQL
    # runs writers side by side). Nothing of this request was kept; read again and retry.
    log.warning("lost update race on %s %s: %s", request.method, request.url.path, exc)
    stale = PreconditionFailed("it changed while this request was saving it; read it again")
    return await _domain_error(request, stale)


async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem(
        500,
        "内部错误",
        "The error was logged; quote the request id.",
        code="internal",
        instance=request.url.path,
        request_id=_request_id(request),
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Every error of ``app`` becomes RFC 9457 problem details."""
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(OperationalError, _database_error)
    app.add_exception_handler(OverflowError, _out_of_range)
    app.add_exception_handler(DBAPIError, _data_error)
    app.add_exception_handler(StaleDataError, _stale)
    app.add_exception_handler(Exception, _unhandled)
