"""An item's committed limit (承诺时限) is 40% of its statutory limit "unless an item sets its
own" (DOMAIN.md): changing the statutory limit moves a default commitment, never an item's
own."""

from __future__ import annotations

from yingshang.testing.apps import ServiceUnderTest

from .builders import People, item_named
from .test_catalog_and_disclosure import patch


async def test_an_items_own_commitment_survives_a_statutory_change(
    hall: ServiceUnderTest, people: People
) -> None:
    """公章刻制备案 sets its own commitment (1 of statutory 5; the default would be 2): its
    statutory limit going to 6 leaves the promise to the public at 1 working day."""
    c = hall.client
    seal = await item_named(c, "公章刻制备案")
    assert (seal["statutory_limit"], seal["committed_limit"]) == (5, 1)
    r = await patch(c, seal["code"], {"statutory_limit": 6}, people.admin())
    assert r.status_code == 200, r.text
    assert (r.json()["statutory_limit"], r.json()["committed_limit"]) == (6, 1)


async def test_a_default_commitment_follows_the_statutory_limit(
    hall: ServiceUnderTest, people: People
) -> None:
    """食品经营许可 is on the default (8 of 20): statutory 25 makes it 10; null returns an
    item's own commitment to the default."""
    c = hall.client
    food = await item_named(c, "食品经营许可")
    assert (food["statutory_limit"], food["committed_limit"]) == (20, 8)
    r = await patch(c, food["code"], {"statutory_limit": 25}, people.admin())
    assert (r.status_code, r.json()["committed_limit"]) == (200, 10), r.text
    seal = await item_named(c, "公章刻制备案")
    r = await patch(c, seal["code"], {"committed_limit": None}, people.admin())
    assert (r.status_code, r.json()["committed_limit"]) == (200, 2), r.text
