"""A visit on a pairing belongs to the pairing's department; dates stay in the county's range."""

from typing import Any

import httpx

from tests.builders import BASE, TODAY, People, Walk, new_key
from yingshang.testing.apps import ServiceUnderTest


def wire(sut: ServiceUnderTest) -> httpx.AsyncClient:
    """A client that gets the 500 a server would send instead of the raised exception."""
    transport = httpx.ASGITransport(app=sut.app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://visits")


def a_visit(**overrides: Any) -> dict[str, Any]:
    return {
        "visited_on": TODAY,
        "participants": [{"name": "王志明", "title": "副县长"}],
        "summary": "走访了解企业生产经营情况。",
        **overrides,
    }


async def test_a_visit_on_a_pairing_is_the_pairings_departments(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    """The responsible department (责任单位) makes the visit and is counted for it: naming
    another department on a paired visit is refused, and nothing is written."""
    pairing = await walk.pairing()  # FGJ
    url, headers = f"{BASE}/visits", people.staff("FGJ")
    other = await visits.client.post(
        url,
        json=a_visit(pairing_id=pairing["id"], department="GXJ"),
        headers={**headers, **new_key()},
    )
    assert other.status_code == 422, other.text
    assert other.json()["field"] == "department"
    listed = await visits.client.get(url, headers=people.center)
    assert listed.json()["items"] == []
    same = await visits.client.post(
        url,
        json=a_visit(pairing_id=pairing["id"], department="FGJ"),
        headers={**headers, **new_key()},
    )
    unnamed = await visits.client.post(
        url, json=a_visit(pairing_id=pairing["id"]), headers={**headers, **new_key()}
    )
    assert (same.status_code, unnamed.status_code) == (201, 201), (same.text, unnamed.text)
    assert same.json()["department"] == unnamed.json()["department"] == "FGJ"


async def test_dates_outside_the_countys_range_are_422_problems(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    enterprise = await walk.enterprise()
    pairing = {
        "enterprise_id": enterprise["id"],
        "leader_name": "王志明",
        "leader_rank": "county_leader",
        "department": "FGJ",
    }
    async with wire(visits) as client:
        for starts_on in ("9999-12-01", "0001-01-01"):
            made = await client.post(
                f"{BASE}/assignments",
                json={**pairing, "starts_on": starts_on},
                headers={**people.center, **new_key()},
            )
            assert made.status_code == 422, made.text
            assert made.headers["content-type"] == "application/problem+json"
        stats = await client.get(
            f"{BASE}/stats",
            params={"date_from": "9999-01-01", "date_to": "9999-12-31"},
            headers=people.bureau,
        )
        assert stats.status_code == 422, stats.text
