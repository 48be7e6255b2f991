"""Checks every service carries from its first endpoint: access declarations and a bounded fuzz.

Each service's ``tests/test_platform.py`` subclasses :class:`PlatformChecks` and names its app
factory, settings class and service dir; nothing else. The fuzz is schemathesis over the app's
own OpenAPI, in-process: no 5xx, responses conform to the documented schemas.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import httpx
import requests
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import response_schema_conformance

from yingshang.auth import ROLES, route_access, undeclared_routes
from yingshang.settings import ServiceSettings
from yingshang.testing.apps import AppFactory, ServiceUnderTest, in_process
from yingshang.testing.tokens import TestIssuer

T = TypeVar("T")
COORDINATING_DEPTS = (
    "COMMITTEE",
    "BUREAU",
    "HALL",
    "HOTLINE_CENTER",
    "COMPLAINTS_CENTER",
    "ENTERPRISE_CENTER",
)
FUZZ_CHECKS = [not_a_server_error, response_schema_conformance]


def assert_every_route_declared(app: FastAPI) -> None:
    """Fail naming each route that declares no access rule (or more than one kind)."""
    missing = undeclared_routes(app)
    assert not missing, "routes without exactly one access declaration: " + ", ".join(
        f"{method} {path}" for method, path in missing
    )


def fuzz_examples() -> int:
    """``YS_FUZZ_MAX_EXAMPLES``: small in ``make test``, larger in ``make fuzz``."""
    return int(os.environ.get("YS_FUZZ_MAX_EXAMPLES", "5"))


def all_powerful_token(issuer: TestIssuer, app: FastAPI) -> str:
    """A staff token holding every role at every coordinating body and every declared scope,
    so the fuzz reaches handlers instead of stopping at 401/403."""
    scopes = sorted({r.scope for rules in route_access(app).values() for r in rules if r.scope})
    depts = {
        *COORDINATING_DEPTS,
        *(d for rs in route_access(app).values() for r in rs for d in r.depts),
    }
    positions = [(d, role) for d in sorted(depts) for role in ROLES]
    return issuer.mint(*positions, name="模糊测试", staff_no="FUZZ0001", scopes=scopes)


class LoopThread:
    """An event loop in a thread: hypothesis drives sync code, the app lives in one loop."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> LoopThread:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()


def _httpx_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    """schemathesis serialises a case for ``requests``: let requests encode it (query, form,
    multipart, JSON) exactly as schemathesis intends, then send those bytes with httpx."""
    fields = ("method", "url", "headers", "params", "json", "data", "files", "cookies")
    prepared = requests.Request(**{k: kwargs.get(k) for k in fields}).prepare()
    headers = {k: v for k, v in prepared.headers.items() if k.lower() != "content-length"}
    body = prepared.body.encode() if isinstance(prepared.body, str) else prepared.body
    return {"method": prepared.method, "url": prepared.url, "headers": headers, "content": body}


def _fuzz_operation(
    operation: Any, send: Callable[[dict[str, Any]], httpx.Response], headers: dict[str, str]
) -> list[str]:
    failures: list[str] = []
    modes = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
    for mode in modes:

        @hypothesis_settings(
            max_examples=fuzz_examples(),
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case: Any) -> None:
            response = send(_httpx_kwargs(case.as_transport_kwargs("http://test", headers)))
            case.validate_response(response, checks=FUZZ_CHECKS, headers=headers)

        try:
            check()
        except Unsatisfiable:
            continue  # nothing to make invalid (an operation without parameters or body)
        except Exception as exc:  # collect every operation's failure, then report all
            failures.append(f"{operation.label} [{mode.value}]: {exc}")
    return failures


def fuzz_app(sut: ServiceUnderTest, loop: LoopThread) -> list[str]:
    """Fuzz every operation of ``sut``'s OpenAPI; returns a description of each failure."""
    schema = schemathesis.openapi.from_dict(sut.app.openapi())
    headers = {"Authorization": f"Bearer {all_powerful_token(sut.issuer, sut.app)}"}

    def send(kwargs: dict[str, Any]) -> httpx.Response:
        response = loop.run(sut.client.request(**kwargs))
        response.request.read()  # multipart bodies stream: schemathesis reads them afterwards
        return response

    failures: list[str] = []
    for result in schema.get_all_operations():
        if isinstance(result, Ok):
            failures += _fuzz_operation(result.ok(), send, headers)
        else:
            failures.append(f"unusable OpenAPI: {result.err()}")
    return failures


@contextmanager
def running_in_thread(
    create_app: AppFactory, settings: ServiceSettings, issuer: TestIssuer
) -> Iterator[tuple[ServiceUnderTest, LoopThread]]:
    """The in-process service, lifespan started, living in a loop thread."""
    with LoopThread() as loop:
        context = in_process(create_app, settings, issuer)
        sut = loop.run(context.__aenter__())
        try:
            yield sut, loop
        finally:
            loop.run(context.__aexit__(None, None, None))


class PlatformChecks:
    """Base of each service's ``TestPlatform``: set the three class attributes."""

    create_app: ClassVar[AppFactory]
    settings_class: ClassVar[type[ServiceSettings]]
    service_dir: ClassVar[Path]

    def test_every_route_declares_access(self) -> None:
        assert_every_route_declared(self.create_app(self.settings_class(env="test")))

    async def test_health_and_identity(self, service_app: Any, issuer: TestIssuer) -> None:
        sut = await service_app(self.create_app, self.settings_class, self.service_dir)
        service = sut.settings.service
        assert (await sut.client.get("/healthz")).status_code == 200
        anonymous = await sut.client.get(f"/api/v1/{service}/me")
        assert anonymous.status_code == 401
        assert anonymous.headers["content-type"].startswith("application/problem+json")
        me = await sut.client.get(
            f"/api/v1/{service}/me", headers=issuer.headers(("HALL", "clerk"))
        )
        assert me.json()["positions"] == [{"dept": "HALL", "role": "clerk"}]

    def test_api_fuzz(self, service_settings_for: Any, issuer: TestIssuer) -> None:
        settings = service_settings_for(self.settings_class, self.service_dir)
        with running_in_thread(self.create_app, settings, issuer) as (sut, loop):
            failures = fuzz_app(sut, loop)
        assert not failures, "\n\n".join(failures)
