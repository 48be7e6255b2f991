"""Personal data an event carries for one consumer (``yingshang.events.sealed``): sealed by
the producer, opened by that consumer only, a value in clear (published before) taken as it
is, across a rotation of the data secret; the producer's model refuses a value in clear, and
what goes to a reader without a key leaves the sealed values out."""

from typing import Annotated

import pytest
from pydantic import BaseModel, Field, ValidationError

from yingshang import sealing
from yingshang.events.sealed import Passage, SealedValue, without_sealed

PHONE = "13812345678"
TO_COMPLAINTS = Passage("hotline", "complaints")


@pytest.fixture(autouse=True)
def _own_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sealing, "_keyring", None)
    sealing.configure("first-secret")


class Sent(BaseModel):
    """A producer's payload model."""

    phone: SealedValue | None


class Received(BaseModel):
    """The consumer's model of the same payload: opened, then checked."""

    phone: Annotated[str, TO_COMPLAINTS.opened("enterprise.phone")] = Field(max_length=11)


def test_a_field_sealed_for_a_consumer_opens_there_only() -> None:
    sealed = TO_COMPLAINTS.seal("enterprise.phone", PHONE)
    assert sealed.startswith(sealing.PREFIX)
    assert PHONE not in sealed
    assert "5678" not in sealed
    assert TO_COMPLAINTS.seal("enterprise.phone", None) is None
    assert TO_COMPLAINTS.open("enterprise.phone", sealed) == PHONE
    assert TO_COMPLAINTS.open("enterprise.phone", PHONE) == PHONE  # in clear, as sent before
    for passage, field in ((Passage("hotline", "ratings"), "enterprise.phone"),
                           (TO_COMPLAINTS, "content")):  # fmt: skip
        with pytest.raises(ValueError, match="does not open"):
            passage.open(field, sealed)
    with pytest.raises(ValueError, match="does not open"):  # not the hotline's own rows' key
        sealing.open_sealed("hotline", "enterprise.phone", sealed)
    sealing.configure("second-secret", ["first-secret"])  # a rotation: still opens
    assert TO_COMPLAINTS.open("enterprise.phone", sealed) == PHONE
    sealing.configure("second-secret")
    with pytest.raises(ValueError, match="no configured data secret"):
        TO_COMPLAINTS.open("enterprise.phone", sealed)


def test_the_producer_refuses_a_value_in_clear_and_the_consumer_opens_it() -> None:
    with pytest.raises(ValidationError, match="pattern"):
        Sent(phone=PHONE)
    sent = Sent(phone=TO_COMPLAINTS.seal("enterprise.phone", PHONE))
    assert Received.model_validate(sent.model_dump()).phone == PHONE
    assert Received(phone=PHONE).phone == PHONE  # an event in clear, published before
    too_long = TO_COMPLAINTS.seal("enterprise.phone", PHONE + "0")
    with pytest.raises(ValidationError, match="at most 11"):  # checked once opened
        Received(phone=too_long)
    with pytest.raises(ValidationError, match="does not open"):
        Received(phone=TO_COMPLAINTS.seal("content", PHONE))


def test_a_reader_without_a_key_gets_no_sealed_value() -> None:
    sealed = TO_COMPLAINTS.seal("enterprise.phone", PHONE)
    data = {"id": "1", "enterprise": {"phone": sealed, "uscc": None}, "list": [sealed, "x", 3]}
    assert without_sealed(data) == {"id": "1", "enterprise": {"uscc": None}, "list": ["x", 3]}
