"""Errors as RFC 9457 problems: what a handler did not foresee still answers as a problem."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from enum import StrEnum
from http import HTTPStatus
from typing import Any, Literal

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel, Field, field_validator, model_validator
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from yingshang.observability import Metrics, RequestContextMiddleware
from yingshang.problems import (
    PROBLEM_BASE,
    PROBLEM_JSON,
    NotFound,
    install_problem_handlers,
    named_in_body,
)


def app_with(route: str, error: type[Exception] | None) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get(route)
    async def compute(day: date) -> dict[str, str]:
        if error is not None:
            raise error("boom")
        return {"after": (day + timedelta(days=1)).isoformat()}

    return app


async def get(app: FastAPI, url: str) -> httpx.Response:
    # raise_app_exceptions=False: the client gets what a server sends, 500 included
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.get(url)


async def test_date_arithmetic_past_the_calendar_is_a_422_problem() -> None:
    response = await get(app_with("/next", None), "/next?day=9999-12-31")
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["type"].endswith("/invalid")
    assert "范围" in response.json()["detail"]


async def test_a_refused_field_is_a_problem_worded_in_chinese() -> None:
    """The title and detail of a validation problem are read by people (zh-CN); each field's
    entry keeps its name, pydantic's message and its type, which the console words itself."""
    response = await get(app_with("/next", None), "/next?day=13812345678")
    assert response.status_code == 422
    body = response.json()
    assert (body["type"], body["title"]) == (
        "https://yingshang.gov.cn/problems/validation",
        "提交的内容未通过校验",
    )
    assert body["detail"] == "以下字段填写有误：query.day"
    [error] = body["errors"]
    assert (error["field"], error["type"]) == ("query.day", "date_from_datetime_inexact")
    assert error["message"]


@pytest.mark.parametrize(
    ("kind", "message", "status", "code"),
    [
        (DBAPIError, 'invalid byte sequence for encoding "UTF8": 0x00', 422, "nul-character"),
        (DataError, "unsupported Unicode escape sequence \\u0000", 422, "nul-character"),
        (DataError, "value too long for type character varying(60)", 422, "invalid"),
        (DBAPIError, "connection reset by peer", 500, "internal"),
        (
            IntegrityError,
            'duplicate key value violates unique constraint "uq_x"',
            409,
            "concurrent",
        ),
        (IntegrityError, "UNIQUE constraint failed: hotline_tickets.number", 409, "concurrent"),
        (IntegrityError, 'null value in column "title" violates not-null', 500, "internal"),
    ],
)
async def test_a_value_the_database_refuses_is_a_422_problem(
    kind: type[DBAPIError], message: str, status: int, code: str
) -> None:
    """PostgreSQL refuses a NUL character in text (SQLite stores it): a 422, not a 500; any
    other driver error stays a 500."""

    class Refusing(kind):  # type: ignore[misc, valid-type]
        def __init__(self, _: str) -> None:
            super().__init__("INSERT …", {}, Exception(message))

    response = await get(app_with("/store", Refusing), "/store?day=2026-11-27")
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["type"].endswith("/" + code)
    assert not response.json()["detail"].isascii()  # said to people, in Chinese


async def test_a_lost_update_race_is_a_412_problem() -> None:
    """Two writers passed the same If-Match; the versioned UPDATE of the later one matched no
    row (SQLAlchemy's StaleDataError): a 412 to read again, not a 500."""
    response = await get(app_with("/save", StaleDataError), "/save?day=2026-11-27")
    assert response.status_code == 412, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["type"].endswith("/stale")
    assert not response.json()["detail"].isascii()


async def test_other_unforeseen_errors_stay_500_problems() -> None:
    response = await get(app_with("/fail", RuntimeError), "/fail?day=2026-11-27")
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["type"].endswith("/internal")
    assert not response.json()["detail"].isascii()


async def test_refused_requests_leave_a_log_line_with_their_request_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """4xx and 5xx answers are logged (method, path, status, caller; no query string), so a
    request id a caller quotes finds the line; successes are counted in metrics only."""
    app = app_with("/next", None)
    app.add_middleware(RequestContextMiddleware, metrics=Metrics("probe"))
    with caplog.at_level(logging.INFO, logger="yingshang.access"):
        ok = await get(app, "/next?day=2026-11-27")
        bad = await get(app, "/next?day=13812345678")
    assert ok.status_code == 200
    assert bad.status_code == 422
    [record] = [r for r in caplog.records if r.name == "yingshang.access"]
    assert record.getMessage().startswith("GET /next -> 422 in ")
    assert "13812345678" not in record.getMessage()
    assert record.levelno == logging.INFO


async def send(app: FastAPI, method: str, url: str, **kwargs: Any) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.request(method, url, **kwargs)


class Item(BaseModel):
    item: str


class Delivery(StrEnum):
    PICKUP = "pickup"
    POSTAL = "postal"


class Order(BaseModel):
    name: str = Field(min_length=2)
    delivery: Delivery
    copies: int = Field(ge=1, le=5)
    size: Literal["a4", "a3"]
    note: str

    @field_validator("note")
    @classmethod
    def _worded(cls, note: str) -> str:
        raise ValueError("note: 说明须写清楚")


class Payer(BaseModel):
    kind: Literal["person", "company"]
    company: str | None = None

    @model_validator(mode="after")
    def _company_named(self) -> Payer:
        if self.kind == "company" and not self.company:
            raise ValueError("company: 单位付款须填写单位名称")
        return self


class Invoice(BaseModel):
    payer: Payer
    payers: list[Payer] = []
    copies: int = 1

    @model_validator(mode="after")
    def _copies(self) -> Invoice:
        if self.copies > 1 and not self.payers:
            raise ValueError("copies: 多份发票须逐份写明付款人")
        return self


def app_with_body() -> FastAPI:
    app = app_with("/next", None)

    @app.post("/orders")
    async def order(body: Order) -> dict[str, str]:
        return {}

    @app.post("/invoices")
    async def invoice(body: Invoice) -> dict[str, str]:
        return {}

    @app.post("/batches")
    async def batch(body: list[Item]) -> dict[str, str]:
        return {}

    @app.post("/items")
    async def take(body: Item) -> dict[str, str]:
        with named_in_body("item"):
            raise NotFound("no such item")

    return app


@pytest.mark.parametrize(
    ("method", "url", "status", "code", "title"),
    [
        ("GET", "/nowhere", 404, "not-found", "未找到"),
        ("DELETE", "/next", 405, "method-not-allowed", "该地址不支持此请求方法"),
    ],
)
async def test_the_frameworks_own_errors_are_named_problems_in_chinese(
    method: str, url: str, status: int, code: str, title: str
) -> None:
    """Routing's 404 and 405 use the problem types the domain's errors use (``not-found``,
    never ``/404``) and Chinese titles and details (never Starlette's "Not Found")."""
    response = await send(app_with("/next", None), method, url)
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert (body["type"], body["title"]) == (PROBLEM_BASE + code, title)
    assert body["detail"] != HTTPStatus(status).phrase
    assert not body["detail"].isascii()


async def test_a_body_that_is_no_json_is_a_400_naming_no_field() -> None:
    response = await send(
        app_with_body(), "POST", "/items", content=b'{"item": "x",,}',
        headers={"content-type": "application/json"},
    )  # fmt: skip
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["type"] == PROBLEM_BASE + "malformed-body"
    assert "JSON" in body["detail"]
    assert "field" not in body
    assert "errors" not in body


async def test_each_refused_field_says_why_in_chinese_with_its_limits() -> None:
    """pydantic's English messages are said again in Chinese by their ``type`` (kept as it
    is, a code), with the limits and choices of its ``ctx``; a validator's own words (a
    ``ValueError``) come without pydantic's "Value error, " prefix."""
    body = {"name": "x", "delivery": "drone", "copies": 9, "size": "b5", "note": "?"}
    response = await send(app_with_body(), "POST", "/orders", json=body)
    assert response.status_code == 422, response.text
    errors = {e["field"]: (e["type"], e["message"]) for e in response.json()["errors"]}
    assert errors == {
        "name": ("string_too_short", "至少 2 个字符"),
        "delivery": ("enum", "应为以下之一：'pickup'、'postal'"),
        "copies": ("less_than_equal", "应小于或等于 5"),
        "size": ("literal_error", "应为以下之一：'a4'、'a3'"),
        "note": ("value_error", "说明须写清楚"),
    }
    missing = await send(app_with_body(), "POST", "/orders", json={"copies": "many"})
    errors = {e["field"]: (e["type"], e["message"]) for e in missing.json()["errors"]}
    assert errors["name"] == ("missing", "必须填写")
    assert errors["copies"] == ("int_parsing", "应为整数")


async def test_a_check_across_fields_refuses_the_field_it_names_where_it_sits() -> None:
    """A model validator says which of its fields it refuses (``"company: …"``): the error is
    on that field under the model's own place in the body (``payer.company``,
    ``payers.1.company``; ``copies`` of the body itself), its message the reason alone."""
    body = {
        "payer": {"kind": "company"},
        "payers": [{"kind": "person"}, {"kind": "company", "company": ""}],
    }
    response = await send(app_with_body(), "POST", "/invoices", json=body)
    assert response.status_code == 422, response.text
    errors = [(e["field"], e["type"], e["message"]) for e in response.json()["errors"]]
    assert errors == [
        ("payer.company", "value_error", "单位付款须填写单位名称"),
        ("payers.1.company", "value_error", "单位付款须填写单位名称"),
    ]
    assert response.json()["detail"] == "以下字段填写有误：payer.company、payers.1.company"
    top = await send(app_with_body(), "POST", "/invoices",
                     json={"payer": {"kind": "person"}, "copies": 2})  # fmt: skip
    assert [(e["field"], e["message"]) for e in top.json()["errors"]] == [
        ("copies", "多份发票须逐份写明付款人")
    ]


@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("/orders", "text/plain"),
        ("/orders", "text/plain; charset=utf-8"),
        ("/batches", "application/x-www-form-urlencoded"),
    ],
)
async def test_json_sent_under_another_content_type_is_a_415(url: str, content_type: str) -> None:
    """Valid JSON labelled text/plain (or a form) is not read as JSON: a 415 that names the
    content type to send, not a 422 saying the body should be an object."""
    payload = b'[{"item": "x"}]' if url == "/batches" else b'{"name": "xy", "note": "?"}'
    response = await send(
        app_with_body(), "POST", url, content=payload, headers={"content-type": content_type}
    )
    assert response.status_code == 415, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["type"] == PROBLEM_BASE + "unsupported-media-type"
    assert body["title"] == "不支持的内容类型"
    assert "application/json" in body["detail"]
    assert content_type.split(";")[0] in body["detail"]
    assert "errors" not in body
    # the same body as JSON is read, and its fields are judged as usual
    as_json = await send(
        app_with_body(), "POST", url, content=payload,
        headers={"content-type": "application/json; charset=utf-8"},
    )  # fmt: skip
    assert as_json.status_code in (200, 422), as_json.text
    if as_json.status_code == 422:
        assert as_json.json()["type"] == PROBLEM_BASE + "validation"
        assert {e["field"] for e in as_json.json()["errors"]} >= {"delivery", "copies"}


async def test_an_unknown_thing_named_in_the_body_is_a_422_on_its_field() -> None:
    response = await send(app_with_body(), "POST", "/items", json={"item": "ZZ-404"})
    assert response.status_code == 422, response.text
    body = response.json()
    assert (body["type"], body["field"]) == (PROBLEM_BASE + "invalid", "item")
    assert body["title"] == "提交的内容有误"
