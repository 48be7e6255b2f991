"""Masking of personal data in responses, and the role decision over a dict of fields."""

from __future__ import annotations

import pytest

from yingshang.masking import (
    mask,
    mask_email,
    mask_fields,
    mask_name,
    mask_phone,
    mask_resident_id,
    mask_uscc,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "138****5678"),
        ("0851-28888888", "0851-****8888"),
        ("010-12345678-12", "010-****5678-12"),
        ("12345", "*****"),
    ],
)
def test_phones(value: str, expected: str) -> None:
    assert mask_phone(value) == expected


def test_resident_id_keeps_region_prefix_and_last_four() -> None:
    assert mask_resident_id("520302199001011234") == "5203**********1234"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("张三", "张*"), ("张三丰", "张**"), ("欧阳娜娜", "欧阳**"), ("欧阳", "欧*"), ("张", "*")],
)
def test_names_keep_the_surname(value: str, expected: str) -> None:
    assert mask_name(value) == expected


def test_uscc_email_and_generic() -> None:
    assert mask_uscc("91350100M000100Y43") == "91350100********43"
    assert mask_email("zhang.san@example.cn") == "z********@example.cn"
    assert mask("abcdef", 2, 1) == "ab***f"
    assert mask("ab", 1, 1) == "**"


MASKERS = {"phone": mask_phone, "id_number": mask_resident_id, "name": mask_name}
ROW = {"phone": "13812345678", "id_number": "520302199001011234", "name": "张三", "n": 1}


def test_mask_fields_masks_unless_the_role_needs_the_value() -> None:
    masked = mask_fields(ROW, MASKERS, reveal=False)
    assert masked.data == {
        "phone": "138****5678",
        "id_number": "5203**********1234",
        "name": "张*",
        "n": 1,
    }
    assert masked.revealed == []
    assert ROW["phone"] == "13812345678"  # the input is not modified


def test_mask_fields_reports_what_went_out_unmasked() -> None:
    everything = mask_fields(ROW, MASKERS, reveal=True)
    assert everything.data == ROW
    assert everything.revealed == ["phone", "id_number", "name"]
    only_phone = mask_fields(ROW, MASKERS, reveal={"phone"})
    assert only_phone.data["phone"] == "13812345678"
    assert only_phone.data["name"] == "张*"
    assert only_phone.revealed == ["phone"]


def test_absent_values_are_never_reported_as_revealed() -> None:
    masked = mask_fields({"phone": None, "name": ""}, MASKERS, reveal=True)
    assert masked.revealed == []
    assert masked.data == {"phone": None, "name": ""}
