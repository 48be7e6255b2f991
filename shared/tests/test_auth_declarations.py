"""The access-declaration walk sees every route, including those of included routers."""

import pytest
from fastapi import FastAPI

from yingshang.app import allow, router
from yingshang.auth import document_access, public, route_access, staff, undeclared_routes


def _app() -> FastAPI:
    app = FastAPI()
    cases = router("/api/v1/sample")

    @cases.get("/cases", dependencies=[allow(staff("head"))])
    async def list_cases() -> list[str]:
        return []

    @cases.get("/open")
    async def undeclared() -> list[str]:
        return []

    @cases.get("/both", dependencies=[allow(public()), allow(staff())])
    async def ambiguous() -> list[str]:
        return []

    app.include_router(cases)
    return app


def test_included_routes_are_enumerated_with_their_rules() -> None:
    table = route_access(_app())
    assert [r.kind for r in table[("GET", "/api/v1/sample/cases")]] == ["staff"]
    assert table[("GET", "/api/v1/sample/cases")][0].roles == ("head",)


def test_a_route_without_one_declaration_is_reported() -> None:
    assert undeclared_routes(_app()) == [
        ("GET", "/api/v1/sample/both"),
        ("GET", "/api/v1/sample/open"),
    ]


def test_the_acting_position_narrows_and_never_widens() -> None:
    from yingshang.auth import Position, Principal, acting_as
    from yingshang.problems import Forbidden, Invalid

    chair = Principal("u1", positions=(Position("GSL", "head"), Position("BUREAU", "staff")))
    assert acting_as(chair, None) is chair
    assert acting_as(chair, "BUREAU/staff").positions == (Position("BUREAU", "staff"),)
    assert not acting_as(chair, "BUREAU/staff").has("head")
    with pytest.raises(Forbidden):
        acting_as(chair, "BUREAU/head")
    for malformed in ("BUREAU", "/staff", "BUREAU/"):
        with pytest.raises(Invalid):
            acting_as(chair, malformed)
    client = Principal("c1", client_id="province", scopes=frozenset({"hotline:push"}))
    assert acting_as(client, "BUREAU/head") is client


def test_the_openapi_says_which_operations_need_a_token() -> None:
    app = _app()
    open_ = router("/api/v1/sample")

    @open_.get("/public", dependencies=[allow(public())])
    async def anyone() -> list[str]:
        return []

    app.include_router(open_)
    document_access(app)
    spec = app.openapi()
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    cases = spec["paths"]["/api/v1/sample/cases"]["get"]
    assert cases["security"] == [{"bearer": []}]
    assert cases["x-access"] == {"kind": "staff", "roles": ["head"]}
    assert spec["paths"]["/api/v1/sample/public"]["get"]["security"] == []
    assert "security" not in spec["paths"]["/api/v1/sample/open"]["get"]  # nothing declared
    assert app.openapi() is spec  # built once
