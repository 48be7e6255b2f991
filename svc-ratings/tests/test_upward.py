"""Upward reporting: every rating as an event in the provincial field set, a monthly export;
indicator sets as versioned data."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest
from ys_ratings.app import SERVICE_DIR, create_app
from ys_ratings.seed import seed_database
from ys_ratings.settings import Settings

from .builders import CENTER, Events, People, case_fields, rated

EXPORT = "/api/v1/ratings/reports/province-export"


async def test_each_rating_is_pushed_in_the_provincial_field_set_without_the_rater(
    ratings: ServiceUnderTest, events: Events, clock: FrozenClock
) -> None:
    rating_id = await rated(ratings, events, 2)
    [event] = await events.outbox("ys.ratings.rating.submitted")
    data = event["data"]
    assert data["rating_id"] == rating_id
    assert (data["level"], data["node"], data["rectification_opened"]) == (2, "finish", True)
    province = data["province"]
    assert province["case_number"] == data["case_number"]
    assert province["item_code"] == "11520327MB1D40000X4000000000001"
    assert (province["staff_no"], province["rater_type"]) == ("ZW2001", 0)
    assert not {"rater", "rater_name", "rater_phone", "phone"} & set(data)
    [invitation] = await events.outbox("ys.ratings.invitation.created")
    # an SMS link works only whole: the gateway's public address leads it
    assert invitation["data"]["token_url"].startswith("http://127.0.0.1:8000/console/public/rate/")


async def test_the_rating_link_starts_with_the_public_base_url(
    service_app: Callable[..., Any],
) -> None:
    """``YS_PUBLIC_BASE_URL``: where citizens reach the console, the link's absolute start; the
    page behind it says the case's applicant type, the form's default rater type."""
    sut: ServiceUnderTest = await service_app(
        create_app,
        Settings,
        SERVICE_DIR,
        ratings_center_dept=CENTER,
        public_base_url="https://zwfw.yingshang.gov.cn/",
    )
    await seed_database(sut.app.state.db, sut.settings.county_file)  # type: ignore[attr-defined]
    events = Events(sut)
    token = await events.invitation_token(rater_type="legal_person")
    [invitation] = await events.outbox("ys.ratings.invitation.created")
    assert invitation["data"]["token_url"] == (
        f"https://zwfw.yingshang.gov.cn/console/public/rate/{token}"
    )
    view = await sut.client.get(f"/api/v1/ratings/invitations/{token}")
    assert view.json()["rater_type"] == "legal_person", view.text
    person = await events.invitation_token()
    assert (await sut.client.get(f"/api/v1/ratings/invitations/{person}")).json()[
        "rater_type"
    ] == "person"
    for wrong in ("zwfw.yingshang.gov.cn", "https://zwfw.yingshang.gov.cn/console", ""):
        with pytest.raises(ValidationError):
            Settings(public_base_url=wrong)


async def test_monthly_export_pages_and_csv(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    for level in (5, 4, 1):
        await rated(ratings, events, level)
        clock.advance(timedelta(minutes=1))
    province = people.province("ratings:read")
    first = await ratings.client.get(
        EXPORT, params={"month": "2026-10", "limit": 2}, headers=province
    )
    assert first.status_code == 200, first.text
    page = first.json()
    assert len(page["items"]) == 2
    rest = await ratings.client.get(
        EXPORT, params={"month": "2026-10", "cursor": page["next_cursor"]}, headers=province
    )
    assert [i["level"] for i in page["items"] + rest.json()["items"]] == [5, 4, 1]
    csv = await ratings.client.get(
        EXPORT, params={"month": "2026-10", "format": "csv"}, headers=people.bureau()
    )
    assert csv.text.splitlines()[0].lstrip("\ufeff").startswith("办件编号,事项编码")
    assert len(csv.text.splitlines()) == 4
    denied = await ratings.client.get(
        EXPORT, params={"month": "2026-10"}, headers=people.department()
    )
    assert denied.status_code == 403


async def _export_row(ratings: ServiceUnderTest, people: People, number: str) -> dict[str, str]:
    response = await ratings.client.get(
        EXPORT, params={"month": "2026-10", "format": "csv"}, headers=people.bureau()
    )
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    return next(row for row in rows if row["办件编号"] == number)


def _visit(**overrides: Any) -> dict[str, Any]:
    visit = {**case_fields(), "level": 4, "staff_no": "RX1001", "rater_type": "person"}
    return {**visit, "revisited_at": "2026-10-14T08:00:00Z", **overrides}


async def test_a_return_visit_reports_the_tickets_closure_as_its_node_time(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    """The upward report's 受理/办结时间 of a 12345 rating (node 回访): the 办结 the visit
    rates, as the ``revisited`` event says; from an older producer's event (no ``closed_at``),
    the closure the case facts hold — unless it came after the visit (a later round's)."""
    carried = _visit(closed_at="2026-10-13T09:30:00Z")
    await events.send("ys.hotline.ticket.revisited", carried)
    row = await _export_row(ratings, people, carried["case_number"])
    assert (row["评价节点"], row["受理/办结时间"]) == ("revisit", "2026-10-13T09:30:00Z")
    [submitted] = await events.outbox("ys.ratings.rating.submitted")
    assert submitted["data"]["province"]["node_at"] == "2026-10-13T09:30:00Z"
    older, reclosed = _visit(), _visit()
    for visit, closed_at in ((older, "2026-10-12T07:00:00Z"), (reclosed, "2026-10-14T09:00:00Z")):
        closure = {**case_fields(), "received_at": "2026-10-09T01:00:00Z", "closed_at": closed_at}
        closure.update({k: visit[k] for k in ("case_id", "case_number", "department")})
        await events.send("ys.hotline.ticket.closed", closure)
        await events.send("ys.hotline.ticket.revisited", visit)
    assert (await _export_row(ratings, people, older["case_number"]))[
        "受理/办结时间"
    ] == "2026-10-12T07:00:00Z"
    assert (await _export_row(ratings, people, reclosed["case_number"]))["受理/办结时间"] == ""


async def test_indicator_sets_are_versioned_data(
    ratings: ServiceUnderTest, events: Events, people: People
) -> None:
    url = "/api/v1/ratings/indicator-sets"
    seeded = (await ratings.client.get(url, headers=people.department())).json()
    assert sorted((s["kind"], s["version"]) for s in seeded) == [("offline", 1), ("online", 1)]
    new = {
        "kind": "offline",
        "name": "线下评价指标(2027版)",
        "indicators": [
            {"code": "overall", "name": "整体满意度"},
            {"code": "waiting", "name": "等候时间"},
        ],
    }
    published = await ratings.client.post(
        url, json=new, headers={**people.center("head"), "Idempotency-Key": str(uuid.uuid4())}
    )
    assert published.status_code == 201, published.text
    assert published.json()["version"] == 2
    token = await events.invitation_token()
    view = (await ratings.client.get(f"/api/v1/ratings/invitations/{token}")).json()
    assert [i["code"] for i in view["indicators"]] == ["overall", "waiting"]
    duplicate = {**new, "indicators": [{"code": "a", "name": "x"}, {"code": "a", "name": "y"}]}
    refused = await ratings.client.post(url, json=duplicate, headers=people.center("head"))
    assert refused.status_code == 422
    clerk = await ratings.client.post(url, json=new, headers=people.department())
    assert clerk.status_code == 403
