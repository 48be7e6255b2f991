"""RFC 9457 problem details for every error, and domain exceptions that carry their status.

Domain code raises :class:`DomainError` subclasses (never ``HTTPException``); one set of
handlers renders ``application/problem+json``. No stack trace ever reaches a client.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
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
# ``errors`` keeps pydantic's ``type`` (what the console words per field, a code clients may
# match on) and says its ``message`` in Chinese (:func:`error_message`).
VALIDATION_TITLE = "提交的内容未通过校验"
# pydantic's error types in words, filled from the error's ``ctx`` (its limits, the values
# expected); a type not listed reads as the generic :data:`_SOME_ERROR`.
_ERROR_MESSAGES: dict[str, str] = {
    "missing": "必须填写",
    "extra_forbidden": "不接受该字段",
    "none_required": "此处应为空",
    "string_type": "应为文本",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "string_pattern_mismatch": "格式不符合要求",
    "string_unicode": "应为有效的文本",
    "string_not_ascii": "只能包含 ASCII 字符",
    "enum": "应为以下之一：{expected}",
    "literal_error": "应为以下之一：{expected}",
    "union_tag_invalid": "类型应为以下之一：{expected_tags}",
    "union_tag_not_found": "缺少用于区分类型的字段 {discriminator}",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数，不能有小数",
    "int_parsing_size": "整数超出可处理的范围",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "finite_number": "应为有限的数字",
    "decimal_type": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_max_digits": "最多 {max_digits} 位数字",
    "decimal_max_places": "小数最多 {decimal_places} 位",
    "decimal_whole_digits": "整数部分最多 {whole_digits} 位",
    "fraction_type": "应为数字",
    "fraction_parsing": "应为数字",
    "multiple_of": "应为 {multiple_of} 的整数倍",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应大于或等于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应小于或等于 {le}",
    "bool_type": "应为是或否（true / false）",
    "bool_parsing": "应为是或否（true / false）",
    "list_type": "应为列表",
    "tuple_type": "应为列表",
    "set_type": "应为列表",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "dataclass_type": "应为对象",
    "uuid_type": "应为 UUID",
    "uuid_parsing": "应为 UUID",
    "uuid_version": "UUID 版本不符",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期，不能含时刻",
    "date_past": "应为今天以前的日期",
    "date_future": "应为今天以后的日期",
    "datetime_type": "应为日期时间（ISO 8601）",
    "datetime_parsing": "应为日期时间（ISO 8601）",
    "datetime_from_date_parsing": "应为日期时间（ISO 8601）",
    "datetime_object_invalid": "应为有效的日期时间",
    "datetime_past": "应为过去的时间",
    "datetime_future": "应为将来的时间",
    "timezone_aware": "应带时区",
    "timezone_naive": "不应带时区",
    "timezone_offset": "时区偏移不符",
    "time_type": "应为时刻（HH:MM）",
    "time_parsing": "应为时刻（HH:MM）",
    "time_delta_type": "应为时长",
    "time_delta_parsing": "应为时长",
    "url_type": "应为网址",
    "url_parsing": "应为有效的网址",
    "url_syntax_violation": "应为有效的网址",
    "url_too_long": "网址最长 {max_length} 个字符",
    "url_scheme": "网址应以 {expected_schemes} 开头",
    "bytes_type": "应为文本",
    "bytes_too_short": "至少 {min_length} 个字节",
    "bytes_too_long": "最多 {max_length} 个字节",
    "json_type": "应为 JSON 文本",
    "is_instance_of": "类型不符",
    "callable_type": "类型不符",
    "frozen_set_type": "应为列表",
    "mapping_type": "应为对象",
    "iterable_type": "应为列表",
    "invalid_key": "键名无效",
    "bytes_invalid_encoding": "编码无效",
    "unexpected_keyword_argument": "不接受该字段",
    "missing_argument": "必须填写",
    "missing_keyword_only_argument": "必须填写",
    "recursion_depth_exceeded": "内容嵌套过深",
    "frozen_field": "该字段不可修改",
    "frozen_instance": "不可修改",
    "recursion_loop": "内容嵌套过深",
    "complex_type": "应为数字",
    "complex_str_parsing": "应为数字",
}
_SOME_ERROR = "填写有误"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _words(value: Any) -> str:
    """A ``ctx`` value in a message: pydantic's lists (``'a', 'b' or 'c'``) joined with 、."""
    text = str(value)
    return text.replace(" or ", "、").replace(", ", "、")


def error_message(error: Mapping[str, Any]) -> str:
    """One pydantic error (``ValidationError.errors()`` entry) in Chinese, by its ``type`` and
    ``ctx``. A validator's own ``ValueError`` (``value_error``, ``assertion_error``) already
    says it in the words staff read: its text, without pydantic's prefix."""
    kind, ctx = str(error.get("type", "")), error.get("ctx") or {}
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return str(ctx["error"])
    message = str(error.get("msg", ""))
    if _CJK.search(message):  # a custom error (``PydanticCustomError``) in words already
        return message
    template = _ERROR_MESSAGES.get(kind)
    if template is None:
        return _SOME_ERROR
    try:
        return template.format(**{k: _words(v) for k, v in ctx.items()})
    except (KeyError, IndexError, ValueError):
        return template.split("{")[0].rstrip("：: ") or _SOME_ERROR


# A model's check across its fields names the field it refuses before its reason
# (``ValueError("enterprise_name: 法人申请须填写企业名称")``): that field, under the model's own
# place in the body, is the one refused, and the reason alone is its message.
_NAMED = re.compile(r"([A-Za-z_]\w*):\s*(.*[\u4e00-\u9fff].*)", re.DOTALL)


def field_error(error: Mapping[str, Any]) -> dict[str, str]:
    """One pydantic error as an entry of a 422's ``errors``: the ``field`` it is about (dotted,
    without the leading ``body``; a field a model validator names is added to the model's
    path: ``applicant.enterprise_name``), its Chinese ``message`` and pydantic's ``type``."""
    path = [str(p) for p in error.get("loc", ())]
    if path[:1] == ["body"]:
        path = path[1:]
    kind, message = str(error.get("type", "")), error_message(error)
    named = _NAMED.fullmatch(message) if kind in ("value_error", "assertion_error") else None
    if named:
        name, message = named.groups()
        if path[-1:] != [name]:
            path.append(name)
    return {"field": ".".join(path) or "body", "message": message, "type": kind}


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


class UnsupportedMediaType(DomainError):
    """415: a body sent under another content type than the JSON the operation reads."""

    status, code, title = 415, "unsupported-media-type", "不支持的内容类型"


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
    declared = _media_type(request)
    if declared and not _is_json(declared) and any(_whole_body(e) for e in exc.errors()):
        # The operation reads JSON and got its body as something else (text/plain holding
        # JSON, a form): the content type is what to fix, not a field.
        wrong = UnsupportedMediaType(
            f"请求内容须以 JSON 发送（Content-Type: application/json），收到的是 {declared}"
        )
        return await _domain_error(request, wrong)
    errors = [field_error(e) for e in exc.errors()]
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


def _media_type(request: Request) -> str:
    """The request's declared content type without its parameters (``charset``), lower-cased."""
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def _whole_body(error: Mapping[str, Any]) -> bool:
    """The body as a whole was refused for its kind (not an object, not a list), not for a
    value in it nor for being left out."""
    return tuple(error.get("loc", ())) == ("body",) and str(error.get("type")).endswith("_type")


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
    unavailable = ServiceUnavailable("数据库繁忙或暂不可用，请稍后重试")
    return await _domain_error(request, unavailable)


async def _out_of_range(request: Request, exc: Exception) -> JSONResponse:
    # Date arithmetic past year 9999 (or before year 1) on a value the request supplied, where
    # no field type bounded it: the input is wrong, not the service. Logged to find the field.
    log.warning("out of range on %s %s", request.method, request.url.path, exc_info=exc)
    invalid = Invalid("请求中的日期、时间或数字超出可计算的范围")
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
        raced = Conflict("另一个同时进行的请求刚创建了相同的内容，请重试", code="concurrent")
        return await _domain_error(request, raced)
    nul = "0x00" in message or "\\u0000" in message
    if not nul and not isinstance(exc, DataError):
        return await _unhandled(request, exc)
    log.warning("value refused by the database on %s %s: %s", request.method,
                request.url.path, message)  # fmt: skip
    if nul:
        invalid = Invalid("文本不能包含空字符（U+0000）", code="nul-character")
    else:
        invalid = Invalid("请求中的某个值超出了服务可保存的范围")
    return await _domain_error(request, invalid)


async def _stale(request: Request, exc: Exception) -> JSONResponse:
    # A versioned row (``yingshang.db.VersionMixin``) changed between this request's If-Match
    # check and its UPDATE … WHERE version = :old: another writer won the race (PostgreSQL
    # runs writers side by side). Nothing of this request was kept; read again and retry.
    log.warning("lost update race on %s %s: %s", request.method, request.url.path, exc)
    stale = PreconditionFailed("保存期间已有人修改，请重新读取")
    return await _domain_error(request, stale)


async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem(
        500,
        "内部错误",
        "错误已记录，请提供请求编号（request id）",
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
