"""Decisions told to the applicant: 不予受理, 不予许可 and the extension state a reason (blank
text is none), and the written 不予许可 decision is delivered like an approval before 办结
(行政许可法 art. 38, 44)."""

from __future__ import annotations

import pytest

from yingshang.testing.apps import ServiceUnderTest

from .builders import BASE, People, submit_item, window_clerk
from .test_applications_clock import act

FOOD = "食品经营许可"  # 承诺件 of SCJGJ


@pytest.mark.parametrize("blank", ["   ", " \n\t ", "　", " 否 "])
async def test_a_refusal_needs_a_reason_not_blank_text(
    hall: ServiceUnderTest, people: People, blank: str
) -> None:
    """不予受理 with spaces (or a single character once trimmed) is refused (422)."""
    app = await submit_item(hall, people, FOOD)
    r = await act(hall.client, app, "refuse", window_clerk(people), {"reason": blank})
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["reason"]


async def test_a_rejection_and_an_extension_need_a_reason(
    hall: ServiceUnderTest, people: People
) -> None:
    """不予许可 and the extension request with only whitespace are refused (422); a reason is
    stored trimmed."""
    c, dept = hall.client, people.staff("SCJGJ")
    app = await submit_item(hall, people, FOOD)
    assert (await act(c, app, "accept", window_clerk(people))).status_code == 200
    r = await act(c, app, "reject", dept, {"reason": " \n\t "})
    assert r.status_code == 422, r.text
    r = await act(c, app, "extension-request", dept, {"reason": "   "})
    assert r.status_code == 422, r.text
    r = await act(c, app, "extension-request", dept, {"reason": "  需现场核查 \n"})
    assert r.status_code == 200, r.text
    assert r.json()["extension_request"]["reason"] == "需现场核查"
    shown = await c.get(f"{BASE}/applications/{app['id']}", headers=dept)
    assert shown.json()["status"] == "in_review"


async def test_a_rejection_is_delivered_before_banjie(
    hall: ServiceUnderTest, people: People
) -> None:
    """review → reject (reason) → deliver → 办结: delivery is offered after a rejection and
    办结 only after delivery."""
    c, clerk = hall.client, window_clerk(people)
    app = await submit_item(hall, people, FOOD)
    assert (await act(c, app, "accept", clerk)).status_code == 200
    r = await act(c, app, "reject", people.staff("SCJGJ"), {"reason": "经营场所不符合食品安全要求"})
    assert r.status_code == 200, r.text
    shown = (await c.get(f"{BASE}/applications/{app['id']}", headers=clerk)).json()
    assert (shown["status"], shown["actions"]) == ("rejected", ["deliver"])
    assert (await act(c, app, "finish", clerk)).status_code == 409
    r = await act(c, app, "deliver", clerk, {"method": "pickup"})
    assert (r.status_code, r.json()["status"], r.json()["actions"]) == (
        200,
        "delivered",
        ["finish"],
    )
    done = await act(c, app, "finish", clerk)
    assert (done.json()["status"], done.json()["outcome"]) == ("finished", "rejected")
