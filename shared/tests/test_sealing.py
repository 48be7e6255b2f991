"""Sealing at rest (yingshang.sealing): authenticated, keyed per service and field, rotatable,
never comparable in SQL, refused with the demo secret in production."""

import pytest
from pydantic import ValidationError
from sqlalchemy import Column, MetaData, String, Table, select

from yingshang import sealing
from yingshang.sealing import Sealed, SealedJSON
from yingshang.settings import DEMO_DATA_SECRET, ServiceSettings

PHONE = "13812345678"
ID_NO = "52032719800101123X"


@pytest.fixture(autouse=True)
def _own_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sealing, "_keyring", None)
    sealing.configure("first-secret")


def test_a_sealed_value_holds_nothing_of_the_plain_one_and_opens() -> None:
    phone = Sealed("hotline", "phone")
    stored = phone.process_bind_param(PHONE, None)  # type: ignore[arg-type]
    again = phone.process_bind_param(PHONE, None)  # type: ignore[arg-type]
    assert stored
    assert again
    assert stored != again
    assert stored.startswith(f"{sealing.PREFIX}{sealing.key_id('first-secret')}.")
    assert PHONE not in stored
    assert "5678" not in stored
    assert phone.process_result_value(stored, None) == PHONE  # type: ignore[arg-type]
    assert phone.process_bind_param(None, None) is None  # type: ignore[arg-type]
    assert len(sealing.seal("approvals", "id_no", ID_NO)) <= sealing.SEALED_LENGTH


def test_a_value_opens_only_for_its_service_and_field_and_untouched() -> None:
    stored = sealing.seal("hotline", "phone", PHONE)
    for service, name in (("complaints", "phone"), ("hotline", "id_no")):
        with pytest.raises(ValueError, match="does not open"):
            sealing.open_sealed(service, name, stored)
    flipped = stored[:-2] + ("A" if stored[-2] != "A" else "B") + stored[-1]
    with pytest.raises(ValueError, match="does not open"):
        sealing.open_sealed("hotline", "phone", flipped)
    with pytest.raises(ValueError, match="not sealed"):
        sealing.open_sealed("hotline", "phone", PHONE)  # a value in clear is refused


def test_values_sealed_before_a_rotation_still_open_and_match() -> None:
    phone = Sealed("hotline", "phone")
    old, old_index = sealing.seal("hotline", "phone", PHONE), phone.index(PHONE)
    sealing.configure("second-secret", ["first-secret"])
    assert sealing.open_sealed("hotline", "phone", old) == PHONE
    new = sealing.seal("hotline", "phone", PHONE)
    assert new.split(".")[1] == sealing.key_id("second-secret") != old.split(".")[1]
    assert phone.indexes(PHONE) == [phone.index(PHONE), old_index]  # current first
    assert phone.index(" 138 1234 5678 ") == phone.index(PHONE)  # normalised
    assert phone.index(PHONE) != Sealed("complaints", "phone").index(PHONE)  # per service
    sealing.configure("second-secret")  # the old secret dropped: its values no longer open
    with pytest.raises(ValueError, match="no configured data secret"):
        sealing.open_sealed("hotline", "phone", old)


def test_a_json_value_is_sealed_whole_and_opens_as_it_was() -> None:
    contacts = SealedJSON("visits", "contacts")
    value = [{"name": "王五", "title": "总经理", "phone": PHONE}]
    stored = contacts.process_bind_param(value, None)  # type: ignore[arg-type]
    assert stored
    assert stored.startswith(f"{sealing.PREFIX}{sealing.key_id('first-secret')}.")
    for plain in (PHONE, "5678", "王五", "name"):
        assert plain not in stored
    assert contacts.process_result_value(stored, None) == value  # type: ignore[arg-type]
    assert contacts.process_bind_param(None, None) is None  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="does not open"):  # its own field's associated data
        sealing.open_sealed("visits", "phone", stored)


def test_a_sealed_column_refuses_comparison_but_not_null_checks() -> None:
    table = Table("t", MetaData(), Column("phone", Sealed("hotline", "phone")), Column("x", String))
    with pytest.raises(TypeError, match="blind index"):
        select(table).where(table.c.phone == PHONE)
    select(table).where(table.c.phone.is_(None), table.c.phone.is_not(None))


def test_production_refuses_the_demo_data_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YS_DEMO_PASSWORD", "a-real-password-of-the-county")
    for secret in (DEMO_DATA_SECRET, "change-me", ""):
        monkeypatch.setenv("YS_DATA_SECRET", secret)
        with pytest.raises(ValidationError, match="demo data secret"):
            ServiceSettings(env="production")
    monkeypatch.setenv("YS_DATA_SECRET", "a-long-random-data-secret")
    monkeypatch.setenv("YS_DATA_SECRETS_PREVIOUS", '["the-one-before"]')
    monkeypatch.setenv("YS_NOTIFY_CHANNEL", "sms_http")  # production refuses the file channel
    settings = ServiceSettings(env="production")
    ring = sealing.configure_from(settings)
    assert ring.secrets == ("a-long-random-data-secret", "the-one-before")
    monkeypatch.delenv("YS_DATA_SECRET")
    assert ServiceSettings().data_secret == DEMO_DATA_SECRET  # outside production: the demo
