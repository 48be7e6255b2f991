"""The event catalogue: registration, validation of incoming events, the AsyncAPI document."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pytest
from pydantic import BaseModel

from yingshang.events.catalogue import EventCatalogue, EventRejected
from yingshang.events.envelope import make_event


class TicketClosed(BaseModel):
    case_number: str
    department: str


def a_catalogue() -> EventCatalogue:
    events = EventCatalogue()
    events.register(
        "ys.hotline.ticket.closed",
        TicketClosed,
        description="a 12345 ticket was closed (办结)",
        consumers=("ratings",),
    )
    return events


def closed_event(**data: object) -> bytes:
    payload = {"case_number": "T1", "department": "HOTLINE_CENTER", **data}
    return make_event("hotline", "ys.hotline.ticket.closed", payload, subject="T1").to_json()


def without(raw: bytes, *names: str) -> bytes:
    document = orjson.loads(raw)
    for name in names:
        del document[name]
    return orjson.dumps(document)


def with_attr(raw: bytes, **values: object) -> bytes:
    return orjson.dumps({**orjson.loads(raw), **values})


def test_the_stored_json_is_the_event_as_a_json_document() -> None:
    """``to_json`` (what the outbox stores and the relay publishes) is written by pydantic in
    one pass: the same text as the event dumped to a dict and encoded (None fields left out
    of the envelope, kept in ``data``; times with ``Z``; text unescaped; extension fields)."""
    payload = {
        "case_number": "RX20261128-00001",
        "department": None,
        "note": "第1号反映：噪音扰民",
        "at": datetime(2026, 11, 28, 3, 4, 5, 123456, tzinfo=UTC),
        "levels": [{"level": 1, "after": {"amount": 0, "unit": "working_days"}}],
        "ratio": 0.8,
    }
    event = make_event("hotline", "ys.hotline.ticket.closed", payload).model_copy(
        update={"partitionkey": "ticket/1"}
    )
    raw = event.to_json()
    assert raw == orjson.dumps(event.model_dump(mode="json", exclude_none=True))
    document = orjson.loads(raw)
    assert "subject" not in document
    assert document["data"]["department"] is None
    assert document["data"]["at"] == "2026-11-28T03:04:05.123456Z"


def test_a_valid_event_parses_into_its_payload_model() -> None:
    parsed = a_catalogue().parse(closed_event(), subject="ys.hotline.ticket.closed")
    assert isinstance(parsed.payload, TicketClosed)
    assert parsed.payload.case_number == "T1"
    assert parsed.spec.producer == "hotline"
    assert parsed.event.subject == "T1"


@pytest.mark.parametrize(
    ("raw", "subject", "kind", "says"),
    [
        (b"{not json", None, "malformed", "not JSON"),
        (b'{"type": "ys.hotline.ticket.closed"}', None, "malformed", "not a CloudEvent"),
        (closed_event(department=None), None, "invalid", "department"),
        (closed_event(), "ys.hotline.ticket.opened", "forged", "differs from type"),
        (without(closed_event(), "id"), None, "malformed", "no id"),
        (without(closed_event(), "specversion", "source"), None, "malformed", "no specversion"),
        (with_attr(closed_event(), id=""), None, "malformed", "no id"),
        (b'["a", "list"]', None, "malformed", "not a JSON object"),
    ],
)
def test_bad_events_are_rejected_with_a_reason(
    raw: bytes, subject: str | None, kind: str, says: str
) -> None:
    with pytest.raises(EventRejected) as caught:
        a_catalogue().parse(raw, subject=subject)
    assert caught.value.kind == kind
    assert says in caught.value.reason


def test_an_unknown_type_is_rejected() -> None:
    raw = make_event("hotline", "ys.hotline.ticket.vanished", {}).to_json()
    with pytest.raises(EventRejected, match="unknown event type") as caught:
        a_catalogue().parse(raw)
    assert caught.value.kind == "unknown"


def test_an_event_claiming_another_producer_is_forged() -> None:
    document = orjson.loads(closed_event())
    document["source"] = "/yingshang/ratings"
    with pytest.raises(EventRejected, match="not the producer") as caught:
        a_catalogue().parse(orjson.dumps(document))
    assert caught.value.kind == "forged"


def test_registration_refuses_bad_and_repeated_types() -> None:
    events = a_catalogue()
    with pytest.raises(ValueError, match="already registered"):
        events.register("ys.hotline.ticket.closed", TicketClosed, description="again")
    with pytest.raises(ValueError, match="is not ys"):
        events.register("hotline.closed", TicketClosed, description="bad subject")
    events.register("ys.hotline.ticket.closed", TicketClosed, description="v2", replace=True)
    assert events.spec("ys.hotline.ticket.closed").description == "v2"


def test_asyncapi_document_describes_every_type() -> None:
    events = a_catalogue().include(EventCatalogue())
    document = events.asyncapi()
    assert document["asyncapi"] == "3.0.0"
    channel = document["channels"]["ys_hotline_ticket_closed"]
    assert channel["address"] == "ys.hotline.ticket.closed"
    message = document["components"]["messages"]["ys_hotline_ticket_closed"]
    assert message["payload"]["properties"]["data"] == {"$ref": "#/components/schemas/TicketClosed"}
    assert message["payload"]["properties"]["source"] == {"const": "/yingshang/hotline"}
    schema = document["components"]["schemas"]["TicketClosed"]
    assert set(schema["required"]) == {"case_number", "department"}
    actions = {k: v["action"] for k, v in document["operations"].items()}
    assert actions == {
        "hotline_send_ys_hotline_ticket_closed": "send",
        "ratings_receive_ys_hotline_ticket_closed": "receive",
    }
    orjson.dumps(document)  # JSON-ready as it is
