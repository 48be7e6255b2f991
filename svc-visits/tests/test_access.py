"""Every route of the service declares exactly one access rule.

The platform check (``yingshang.testing.platform``) enumerates ``app.routes``; with FastAPI's
lazily included routers (0.165) that list holds the routers, not their routes, so this suite
also walks the effective routes itself until the kit does."""

from collections.abc import Iterator
from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts

from yingshang.auth import AccessRule
from ys_visits.app import create_app
from ys_visits.settings import Settings


def rules(dependant: Any) -> Iterator[AccessRule]:
    for dep in dependant.dependencies:
        if isinstance(dep.call, AccessRule):
            yield dep.call
        yield from rules(dep)


def test_every_route_declares_one_access_rule() -> None:
    app = create_app(Settings(env="test"))
    routes = [
        ctx.original_route
        for ctx in iter_route_contexts(app.routes)
        if isinstance(ctx.original_route, APIRoute)
    ]
    assert len(routes) > 40
    undeclared = [
        (sorted(r.methods), r.path)
        for r in routes
        if len({x.kind for x in rules(r.dependant)}) != 1
    ]
    assert undeclared == []
    public = [r.path for r in routes if {x.kind for x in rules(r.dependant)} == {"public"}]
    assert sorted(public) == ["/healthz", "/metrics", "/readyz"]  # no public domain route
