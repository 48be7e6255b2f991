"""A case opened by a 12345 transfer (DOMAIN.md, Hotline: "Transfer").

* The originating ticket number is for the center and oversight (``origin_ticket_number`` is
  withheld from the unit); the timeline's ``created`` entry does not hand it to the unit
  either — the ticket leads back to the caller.
* Deadlines count from receipt (DOMAIN.md): the case is received when 12345 received the
  matter, and its acceptance clock and the statistics count from then, not from the transfer.
"""

from datetime import UTC, datetime
from typing import Any

from tests.builders import BASE, People, step, transferred_ticket
from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest
from ys_complaints.consumers import EVENTS, on_transferred

TICKET_NUMBER = "RX20260306-00042"


async def transfer(sut: ServiceUnderTest, received_at: str) -> None:
    event = transferred_ticket(
        TICKET_NUMBER, "镇里要求企业赞助活动，否则不予办理审批。", received_at
    )
    async with sut.app.state.db.write() as session:
        await on_transferred(session, event, EVENTS.validate(event).payload)


async def the_case(sut: ServiceUnderTest, p: People) -> dict[str, Any]:
    [item] = (await sut.client.get(f"{BASE}/cases", headers=p.officer)).json()["items"]
    return dict((await sut.client.get(f"{BASE}/cases/{item['id']}", headers=p.officer)).json())


async def test_the_unit_does_not_learn_the_originating_ticket(
    complaints: ServiceUnderTest, people: People
) -> None:
    c, p = complaints.client, people
    await transfer(complaints, "2026-03-02T01:00:00Z")
    case = await the_case(complaints, p)
    case = await step(c, case, "accept", p.officer, {"category": "arbitrary_charges"})
    await step(c, case, "assign", p.officer)
    url = f"{BASE}/cases/{case['id']}"
    unit = (await c.get(url, headers=p.head())).json()
    assert unit["origin_ticket_number"] is None
    timeline = await c.get(f"{url}/timeline", headers=p.head())
    assert timeline.status_code == 200
    assert timeline.json()[0]["action"] == "created"
    assert TICKET_NUMBER not in timeline.text
    for reader in (p.officer, p.bureau):  # the control: the center and oversight see it
        seen = (await c.get(f"{url}/timeline", headers=reader)).json()
        assert TICKET_NUMBER in (seen[0]["note"] or "")


async def test_the_case_counts_from_the_tickets_receipt(
    complaints: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """Received by 12345 on Friday 6 March, transferred on Monday 9 March: 受理决定 within 3
    working days of the receipt is due at the end of Wednesday 11 March (not Thursday)."""
    clock.set(datetime(2026, 3, 9, 2, 0, tzinfo=UTC))
    await transfer(complaints, "2026-03-06T02:00:00Z")
    case = await the_case(complaints, people)
    assert case["received_at"] == "2026-03-06T02:00:00Z"
    [acceptance] = case["stages"]
    assert (acceptance["stage"], acceptance["started_at"]) == ("acceptance", "2026-03-06T02:00:00Z")
    assert acceptance["due_at"] == case["due_at"] == "2026-03-11T16:00:00Z"
    first_week = {"from": "2026-03-01", "to": "2026-03-07"}
    stats = await complaints.client.get(
        f"{BASE}/statistics", params=first_week, headers=people.bureau
    )
    assert stats.json()["received"] == 1


async def test_a_receipt_is_never_later_than_its_transfer(
    complaints: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """Received on Friday 6 March, transferred Monday 9 March — and a second ticket whose
    hotline clock ran ahead: its receipt is taken as the transfer, never in the future."""
    clock.set(datetime(2026, 3, 9, 2, 0, tzinfo=UTC))
    await transfer(complaints, "2026-03-06T02:00:00Z")
    await transfer(complaints, "2026-03-09T05:00:00Z")
    page = (await complaints.client.get(f"{BASE}/cases", headers=people.officer)).json()
    assert sorted(x["received_at"] for x in page["items"]) == [
        "2026-03-06T02:00:00Z",
        "2026-03-09T02:00:00Z",
    ]
