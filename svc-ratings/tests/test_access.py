"""Every route of svc-ratings declares exactly one access rule, and the public ones are few.

``yingshang.auth.route_access`` sees no route under FastAPI ≥ 0.16x, which nests included
routers (``_IncludedRouter``); until it does, this walks the nested routers itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute

from yingshang.auth import AccessRule
from yingshang.testing.apps import ServiceUnderTest

from .builders import CENTER, People

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


@pytest.mark.parametrize(
    ("position", "allowed"),
    [
        (("LONGQUAN", "admin"), False),  # a town's admin
        ((CENTER, "admin"), False),  # the ratings center's own admin: the policy is the county's
        (("BUREAU", "head"), False),
        (("BUREAU", "admin"), True),
    ],
)
async def test_rating_policies_are_the_county_administrators(
    ratings: ServiceUnderTest, people: People, position: tuple[str, str], allowed: bool
) -> None:
    """默认评价 and link expiry apply to every department's ratings: only BUREAU/admin
    changes them; anyone else gets a 403 problem and the policy stays as it was."""
    path = "/api/v1/ratings/rating-policies/default_rating"
    policy = {"enabled": True, "natural_days": 7, "level": 3}
    answer = await ratings.client.put(path, json=policy, headers=people.as_(position))
    listed = await ratings.client.get(
        "/api/v1/ratings/rating-policies", headers=people.as_(("BUREAU", "admin"))
    )
    now = next(p for p in listed.json() if p["key"] == "default_rating")
    assert answer.status_code == (200 if allowed else 403), answer.text
    assert now["enabled"] is allowed
