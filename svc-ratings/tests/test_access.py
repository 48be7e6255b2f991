"""Every route of svc-ratings declares exactly one access rule, and the public ones are few.

``yingshang.auth.route_access`` sees no route under FastAPI ≥ 0.16x, which nests included
routers (``_IncludedRouter``); until it does, this walks the nested routers itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi.routing import APIRoute

from yingshang.auth import AccessRule
from yingshang.testing.apps import ServiceUnderTest

PUBLIC = {
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("GET", "/api/v1/ratings/invitations/{token}"),
    ("POST", "/api/v1/ratings/invitations/{token}/rating"),
}


def api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from api_routes(inner.routes)


def rules(dependant: Any) -> Iterator[AccessRule]:
    for dep in dependant.dependencies:
        if isinstance(dep.call, AccessRule):
            yield dep.call
        yield from rules(dep)


async def test_every_route_declares_one_kind_of_access(ratings: ServiceUnderTest) -> None:
    table = {
        (method, route.path): {r.kind for r in rules(route.dependant)}
        for route in api_routes(ratings.app.routes)
        for method in route.methods or ()
    }
    assert len(table) > 30
    undeclared = sorted(key for key, kinds in table.items() if len(kinds) != 1)
    assert undeclared == []
    public = {key for key, kinds in table.items() if kinds == {"public"}}
    assert public == PUBLIC
