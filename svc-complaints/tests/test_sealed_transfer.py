"""The 12345 transfer arrives with the complainant and the content sealed for us
(``yingshang.events.sealed``): opened, they give the center the enterprise and the contact in
full; an event published in clear before the hotline sealed them (a rolling upgrade, or one
still in the stream) still opens its case; a value sealed for another service, or altered, is
refused (the consumer dead-letters the event) and opens nothing."""

import pytest

from tests.builders import BASE, ENTERPRISE, People, transferred_ticket
from yingshang.events import CloudEvent, EventRejected
from yingshang.events.sealed import Passage
from yingshang.testing.apps import ServiceUnderTest
from ys_complaints.consumers import EVENTS, on_transferred

CONTENT = "镇里要求企业赞助活动，否则不予办理审批。"
FULL = {
    "name": ENTERPRISE["name"],
    "uscc": ENTERPRISE["uscc"],
    "contact_name": ENTERPRISE["contact_name"],
    "contact_phone": ENTERPRISE["contact_phone"],
}


async def _consume(sut: ServiceUnderTest, event: CloudEvent) -> None:
    async with sut.app.state.db.write() as session:
        await on_transferred(session, event, EVENTS.validate(event).payload)


async def _case_of(sut: ServiceUnderTest, people: People, ticket_number: str) -> dict[str, object]:
    page = await sut.client.get(
        f"{BASE}/cases", params={"source": "hotline"}, headers=people.officer
    )
    for item in page.json()["items"]:
        case = await sut.client.get(f"{BASE}/cases/{item['id']}", headers=people.officer)
        if case.json()["origin_ticket_number"] == ticket_number:
            return dict(case.json())
    raise AssertionError(f"no case for {ticket_number}")


async def test_sealed_and_clear_transfers_both_open_their_case_in_full(
    complaints: ServiceUnderTest, people: People
) -> None:
    sealed = transferred_ticket("RX20260302-00001", CONTENT, "2026-03-02T01:00:00Z")
    assert ENTERPRISE["contact_phone"] not in sealed.to_json().decode()
    clear = transferred_ticket("RX20260302-00002", CONTENT, "2026-03-02T01:00:00Z", sealed=False)
    for event in (sealed, clear):
        await _consume(complaints, event)
    for number in ("RX20260302-00001", "RX20260302-00002"):
        case = await _case_of(complaints, people, number)
        assert case["enterprise"] == FULL  # the center reads the complainant in full
        assert case["facts"] == CONTENT


def _with_phone(event: CloudEvent, phone: str) -> CloudEvent:
    data = {**event.data, "enterprise": {**event.data["enterprise"], "phone": phone}}
    return event.model_copy(update={"data": data})


async def test_a_value_sealed_for_another_service_or_altered_is_refused(
    complaints: ServiceUnderTest, people: People
) -> None:
    event = transferred_ticket("RX20260302-00003", CONTENT, "2026-03-02T01:00:00Z")
    sealed = event.data["enterprise"]["phone"]
    elsewhere = Passage("hotline", "ratings").seal("enterprise.phone", ENTERPRISE["contact_phone"])
    altered = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    for phone in (elsewhere, altered):
        with pytest.raises(EventRejected, match="does not open"):
            EVENTS.validate(_with_phone(event, phone))
    page = await complaints.client.get(f"{BASE}/cases", headers=people.officer)
    assert page.json()["items"] == []
