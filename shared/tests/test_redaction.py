"""A person's identity taken out of free text: hidden ([已隐去]) or the phone masked as its
field reads, however the number and the enterprise's name are written."""

from __future__ import annotations

import pytest

from yingshang.redaction import REDACTED, Redactor, name_forms


def test_name_forms_drop_the_legal_form_and_the_region() -> None:
    assert name_forms("凤冈县绿源茶业有限公司") == {
        "凤冈县绿源茶业有限公司",
        "凤冈县绿源茶业",
        "绿源茶业有限公司",
        "绿源茶业",
    }


@pytest.mark.parametrize(
    "written", ["13655556666", "136 5555 6666", "136-5555-6666", "136.5555.6666", "136 5555-6666"]
)
def test_a_phone_is_found_however_it_is_written(written: str) -> None:
    hide = Redactor.hiding(phones=["13655556666"])
    mask = Redactor.masking_phones("13655556666")
    assert hide.text(f"电话{written}。") == f"电话{REDACTED}。"
    assert mask.text(f"电话{written}。") == "电话136****6666。"


def test_hiding_takes_out_every_term_and_masking_keeps_other_numbers() -> None:
    hide = Redactor.hiding(
        enterprises=["凤冈县绿源茶业有限公司"],
        terms=["周九", "91520327MA6DM8Q41N", None],
        phones=["13655556666"],
        masked_phones=["0851-28888888"],
    )
    text = "我是周九，绿源茶业（91520327ma6dm8q41n），电话13655556666，单位0851-28888888。"
    assert hide.text(text) == (
        f"我是{REDACTED}，{REDACTED}（{REDACTED}），电话{REDACTED}，单位0851-****8888。"
    )
    # a longer run of digits is another number (a case number, an id): left alone
    assert hide.text("编号136555566661") == "编号136555566661"
    assert Redactor.masking_phones("13655556666").text("周九，13900001111") == "周九，13900001111"


def test_nothing_to_take_out_leaves_text_as_it_is() -> None:
    for redactor in (Redactor(), Redactor.hiding(terms=[None, ""], phones=[None, "无"])):
        assert redactor.pattern is None
        assert redactor.text("我是周九") == "我是周九"
        assert redactor.optional(None) is None
