"""Ratings an upheld appeal excluded (DOMAIN.md, Ratings: "upheld appeals exclude the rating
from statistics, never delete it"). svc-ratings publishes ``ys.ratings.rating.excluded``;
svc-visits consumes it with its other ratings events: the problem keeps its level, marked
excluded, and the enterprise-satisfaction figures no longer count it. Handling is
idempotent and order-proof (an exclusion of a replaced rating, or one that comes before its
rating)."""

import uuid
from typing import Any

from tests.builders import BASE, People, Walk, ok
from tests.stats.test_report import rate
from yingshang.events import make_event
from yingshang.testing.apps import ServiceUnderTest
from ys_ratings.events import RatingExcluded
from ys_visits.consumers import CONSUMERS, RatingSubmitted, on_rating

EXCLUDED = "ys.ratings.rating.excluded"
MARCH = {"date_from": "2026-03-01", "date_to": "2026-03-31"}


def exclusion(problem: dict[str, Any], rating_id: str) -> dict[str, Any]:
    """The payload as svc-ratings builds it (its own model)."""
    return RatingExcluded(
        case_id=problem["id"], case_number=problem["number"], department="GXJ",
        rating_id=uuid.UUID(rating_id), appeal_id=uuid.uuid4(), service="visits",
    ).model_dump(mode="json")  # fmt: skip


async def deliver(sut: ServiceUnderTest, data: dict[str, Any]) -> None:
    """The event through svc-visits' consumer of it, as the consumer runs it: validated by the
    catalogue, in one write transaction."""
    spec = next((s for s in CONSUMERS if EXCLUDED in s.handlers), None)
    assert spec is not None, f"svc-visits does not consume {EXCLUDED}"
    event = make_event("ratings", EXCLUDED, data)
    async with sut.app.state.db.write() as session:
        await spec.handlers[EXCLUDED](session, event, spec.catalogue.validate(event).payload)


async def rate_as(sut: ServiceUnderTest, problem_id: str, level: int, rating_id: str) -> None:
    data = {"case_id": problem_id, "rating_id": rating_id, "level": level, "service": "visits",
            "case_kind": "problem"}  # fmt: skip
    event = make_event("ratings", "ys.ratings.rating.submitted", data)
    async with sut.app.state.db.write() as session:
        await on_rating(session, event, RatingSubmitted.model_validate(data))


async def closed_problem(walk: Walk, people: People) -> dict[str, Any]:
    solved = await walk.solved()
    return await walk.step(solved, "confirm", people.center,
                           {"confirmed_by": "王五", "channel": "on_site"})  # fmt: skip


async def figures(sut: ServiceUnderTest, people: People) -> dict[str, Any]:
    report = await ok(await sut.client.get(f"{BASE}/stats", params=MARCH, headers=people.bureau))
    return dict(report["satisfaction"])


async def test_the_consumer_reads_the_event_as_ratings_publishes_it() -> None:
    """The durable consumer of ratings events is subscribed to the exclusion subject."""
    spec = next((s for s in CONSUMERS if EXCLUDED in s.handlers), None)
    assert spec is not None
    assert EXCLUDED in (spec.config().filter_subjects or [])


async def test_a_rating_excluded_by_an_upheld_appeal_leaves_the_satisfaction_figures(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    """A closed problem rated 1 then excluded: the March figures count no rating; the problem
    still shows its level, marked excluded. The same event again changes nothing."""
    closed = await closed_problem(walk, people)
    rating_id = str(uuid.uuid4())
    await rate_as(visits, closed["id"], 1, rating_id)
    assert (await figures(visits, people))["rated"] == 1
    for _ in range(2):
        await deliver(visits, exclusion(closed, rating_id))
        assert await figures(visits, people) == {
            "rated": 0,
            "average_level": None,
            "good_rate": None,
        }
    view = await ok(await visits.client.get(f"{BASE}/problems/{closed['id']}",
                                            headers=people.center))  # fmt: skip
    assert (view["satisfaction"], view["satisfaction_excluded"]) == (1, True)


async def test_an_exclusion_counts_for_its_own_rating_only(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    """The exclusion of a rating a later one replaced leaves the later one counted; an
    exclusion delivered before its rating keeps that rating out when it arrives."""
    replaced = await closed_problem(walk, people)
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    await rate(visits, replaced["id"], 1)  # another rating (its id unknown to this test)
    await rate_as(visits, replaced["id"], 2, first)
    await rate_as(visits, replaced["id"], 5, second)
    await deliver(visits, exclusion(replaced, first))
    assert await figures(visits, people) == {"rated": 1, "average_level": 5.0, "good_rate": 1.0}
    early = await closed_problem(walk, people)
    late_rating = str(uuid.uuid4())
    await deliver(visits, exclusion(early, late_rating))
    await rate_as(visits, early["id"], 3, late_rating)
    assert await figures(visits, people) == {"rated": 1, "average_level": 5.0, "good_rate": 1.0}


async def test_a_rating_excluded_as_an_invalid_claim_leaves_the_figures_too(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    """An approved 无效差评 claim excludes a rating with no appeal behind it (``appeal_id``
    absent, ``reason`` invalid_rating): read like an appeal's, noted as what it was."""
    closed = await closed_problem(walk, people)
    rating_id = str(uuid.uuid4())
    await rate_as(visits, closed["id"], 1, rating_id)
    data = RatingExcluded(
        case_id=closed["id"], case_number=closed["number"], department="GXJ",
        rating_id=uuid.UUID(rating_id), reason="invalid_rating", service="visits",
    ).model_dump(mode="json")  # fmt: skip
    assert data["appeal_id"] is None
    await deliver(visits, data)
    assert (await figures(visits, people))["rated"] == 0
    timeline = await ok(await visits.client.get(f"{BASE}/problems/{closed['id']}/timeline",
                                                headers=people.center))  # fmt: skip
    notes = [t["note"] for t in timeline if t["action"] == "rating_excluded"]
    assert notes == ["无效差评审核通过：该评价不计入统计"]
    # the ratings consumer's steps read in words: who wrote them, and the level given
    rated = [(t["actor_name"], t["note"]) for t in timeline if t["action"] == "rated"]
    assert rated == [("系统（好差评）", "好差评：非常不满意")]
