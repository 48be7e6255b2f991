"""The hall's working queue (``order=queue``): 绿色通道 applications first (key projects: a
priority queue, DOMAIN.md), then by the running clock's due time, soonest first; those
without a running limit after them, closed ones last; cursor pages keep that order."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest

from .builders import BASE, AnApplication, People, all_materials, item_named, window_clerk
from .test_applications_clock import act

FOOD, SEAL, PENSION = "食品经营许可", "公章刻制备案", "城乡居民养老保险参保登记"


async def _submit(
    hall: ServiceUnderTest,
    people: People,
    clock: FrozenClock,
    name: str,
    *,
    complete: bool = True,
    **kw: Any,
) -> dict[str, Any]:
    """An application for ``name`` at window W01, a minute after the one before."""
    clock.advance(timedelta(minutes=1))
    item = await item_named(hall.client, name)
    materials = all_materials(item) if complete else all_materials(item)[:1]
    body = {**AnApplication(item=item["code"], materials=materials).build(), **kw}
    r = await hall.client.post(f"{BASE}/applications", json=body, headers=window_clerk(people))
    assert r.status_code == 201, r.text
    return dict(r.json())


async def _walk(hall: ServiceUnderTest, people: People, **params: Any) -> list[list[str]]:
    """Every page of the list, as numbers, through the cursors."""
    pages: list[list[str]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        r = await hall.client.get(f"{BASE}/applications", params=query, headers=people.clerk())
        assert r.status_code == 200, r.text
        pages.append([a["number"] for a in r.json()["items"]])
        cursor = r.json()["next_cursor"]
        if cursor is None:
            return pages


async def test_the_queue_puts_the_green_channel_first_then_the_soonest_due(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    # Monday 2 March, all complete at once unless said: food 8 wd → 12th, seal 1 wd → 3rd,
    # food on the green channel 3 wd → 5th; an intake 补正 has no limit running yet; the
    # 即办件 finished on the spot is closed.
    food = await _submit(hall, people, clock, FOOD)
    waiting = await _submit(hall, people, clock, FOOD, complete=False)
    seal = await _submit(hall, people, clock, SEAL)
    green = await _submit(hall, people, clock, FOOD, green_channel=True)
    pension = await _submit(hall, people, clock, PENSION)
    done = await act(hall.client, pension, "finish-on-the-spot", window_clerk(people))
    assert done.status_code == 200, done.text
    assert waiting["due_at"] is None
    assert seal["due_at"] < green["due_at"] < food["due_at"]

    queue = [green, seal, food, waiting, pension]
    pages = await _walk(hall, people, order="queue", limit=2)
    assert pages == [[a["number"] for a in queue[n : n + 2]] for n in (0, 2, 4)]
    newest = await _walk(hall, people)  # the default stays: the latest submitted first
    assert newest == [[a["number"] for a in (pension, green, seal, waiting, food)]]
    # filters apply to the queue as to the list
    greens = await _walk(hall, people, order="queue", green_channel="true")
    assert greens == [[green["number"]]]


async def test_a_cursor_of_one_order_is_refused_by_the_other(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    for _ in range(3):
        await _submit(hall, people, clock, FOOD)
    listed = f"{BASE}/applications"
    first = await hall.client.get(listed, params={"limit": 1}, headers=people.clerk())
    cursor = first.json()["next_cursor"]
    r = await hall.client.get(
        listed, params={"order": "queue", "cursor": cursor}, headers=people.clerk()
    )
    assert (r.status_code, r.json()["field"]) == (422, "cursor")
    queued = await hall.client.get(
        listed, params={"order": "queue", "limit": 1}, headers=people.clerk()
    )
    r = await hall.client.get(
        listed, params={"cursor": queued.json()["next_cursor"]}, headers=people.clerk()
    )
    assert (r.status_code, r.json()["field"]) == (422, "cursor")
    bad = await hall.client.get(listed, params={"order": "oldest"}, headers=people.clerk())
    assert bad.status_code == 422
