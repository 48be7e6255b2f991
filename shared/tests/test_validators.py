"""Validators: USCC (GB 32100), resident ID (GB 11643), phones, implementation codes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from pydantic import BaseModel, ValidationError, model_validator

from yingshang.clock import FrozenClock, get_clock, set_clock
from yingshang.problems import Invalid
from yingshang.validators import (
    USCC,
    ImplementationCode,
    MobilePhone,
    Phone,
    PlausibleDate,
    PlausibleDateTime,
    Reason,
    ResidentId,
    is_valid_implementation_code,
    is_valid_landline,
    is_valid_mobile,
    is_valid_resident_id,
    is_valid_uscc,
    normalise_landline,
    normalise_mobile,
    normalise_uscc,
    ordered_period,
    refuse_missing,
    require_reason,
    resident_id_check_char,
    uscc_check_char,
)

VALID_USCC = "91350100M000100Y43"
# The sample number printed in GB 11643-1999.
VALID_ID = "11010519491231002X"


def test_the_reference_uscc_is_valid() -> None:
    assert is_valid_uscc(VALID_USCC)
    assert uscc_check_char(VALID_USCC[:17]) == "3"


@pytest.mark.parametrize("last", [c for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if c != "3"])
def test_changing_the_check_character_makes_the_uscc_invalid(last: str) -> None:
    assert not is_valid_uscc(VALID_USCC[:17] + last)


@pytest.mark.parametrize(
    "code",
    ["", "91350100M000100Y4", "91350100M000100Y433", "91350100M000100I43", "9135 100M000100Y43"],
)
def test_malformed_usccs_are_rejected(code: str) -> None:
    assert not is_valid_uscc(code)


def test_uscc_is_normalised_to_upper_case() -> None:
    assert normalise_uscc(" 91350100m000100y43 ") == VALID_USCC


def test_a_check_sum_of_zero_maps_to_character_zero() -> None:
    # Search a body whose weighted sum is a multiple of 31: the check is "0", not "31".
    body = next(
        f"91350100MA{n:07d}" for n in range(10_000) if uscc_check_char(f"91350100MA{n:07d}") == "0"
    )
    assert is_valid_uscc(body + "0")


def test_resident_id_sample_of_the_standard_is_valid() -> None:
    assert is_valid_resident_id(VALID_ID)
    assert resident_id_check_char(VALID_ID[:17]) == "X"
    assert is_valid_resident_id(VALID_ID.lower())


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # wrong check digit
        "11010519491331002X",  # month 13
        "11010518991231002X",  # born before 1900
        "01010519491231002X",  # region cannot start with 0
        "11010519491231002",  # 17 characters
    ],
)
def test_implausible_resident_ids_are_rejected(number: str) -> None:
    assert not is_valid_resident_id(number)


def test_a_birth_date_in_the_future_is_rejected() -> None:
    body = "11010520300101002"
    future = body + resident_id_check_char(body)
    previous = get_clock()
    set_clock(FrozenClock(datetime(2026, 11, 26, tzinfo=UTC)))
    try:
        assert not is_valid_resident_id(future)
    finally:
        set_clock(previous)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("19912345678", "19912345678"),
    ],
)
def test_mobile_numbers_are_normalised(raw: str, expected: str) -> None:
    assert normalise_mobile(raw) == expected


@pytest.mark.parametrize("raw", ["12812345678", "1381234567", "138123456789", "abc"])
def test_bad_mobile_numbers_are_rejected(raw: str) -> None:
    assert not is_valid_mobile(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0851-28888888", "0851-28888888"),
        ("085128888888", "0851-28888888"),
        ("010-12345678", "010-12345678"),
        ("(0851) 2888 8888-123", "0851-28888888-123"),
    ],
)
def test_landlines_are_normalised(raw: str, expected: str) -> None:
    assert normalise_landline(raw) == expected


def test_a_landline_needs_an_area_code() -> None:
    assert not is_valid_landline("28888888")


def test_implementation_code_is_a_uscc_and_thirteen_more() -> None:
    assert is_valid_implementation_code(VALID_USCC + "4000117011001")
    assert not is_valid_implementation_code(VALID_USCC[:17] + "4" + "4000117011001")
    assert not is_valid_implementation_code(VALID_USCC + "400011701100")
    assert not is_valid_implementation_code(VALID_USCC + "40001170110-1")


class Enterprise(BaseModel):
    uscc: USCC
    contact: MobilePhone
    legal_rep_id: ResidentId | None = None
    office: Phone | None = None
    item: ImplementationCode | None = None


def test_annotated_types_normalise_valid_input() -> None:
    e = Enterprise(uscc="91350100m000100y43", contact="+86 13812345678", office="085128888888")
    assert (e.uscc, e.contact, e.office) == (VALID_USCC, "13812345678", "0851-28888888")


def test_annotated_types_name_the_failing_field() -> None:
    with pytest.raises(ValidationError) as info:
        Enterprise(uscc=VALID_USCC[:17] + "4", contact="13812345678", legal_rep_id="1")
    fields = {e["loc"][0] for e in info.value.errors()}
    assert fields == {"uscc", "legal_rep_id"}


def test_numbers_are_not_accepted_for_string_identifiers() -> None:
    with pytest.raises(ValidationError) as info:
        Enterprise.model_validate({"uscc": VALID_USCC, "contact": 13812345678})
    assert [e["loc"] for e in info.value.errors()] == [("contact",)]


class Period(BaseModel):
    start: PlausibleDate
    at: PlausibleDateTime | None = None


@pytest.mark.parametrize(
    "body",
    [
        {"start": "0001-01-01"},
        {"start": "9999-12-31"},
        {"start": "1899-12-31"},
        {"start": "2200-01-01"},
        {"start": "2026-11-27", "at": "0001-01-01T00:00:00+08:00"},
        {"start": "2026-11-27", "at": "9999-12-31T23:59:59-08:00"},
    ],
)
def test_dates_outside_the_countys_range_are_refused(body: dict[str, str]) -> None:
    """Years 1 and 9999 overflow in deadline and period arithmetic: refused at the field."""
    with pytest.raises(ValidationError) as info:
        Period.model_validate(body)
    assert [e["loc"][0] for e in info.value.errors()] == [("at" if "at" in body else "start")]


def test_dates_at_the_ends_of_the_range_are_accepted() -> None:
    first = Period.model_validate({"start": "1900-01-01", "at": "1900-01-01T00:00:00"})
    last = Period.model_validate({"start": "2199-12-31", "at": "2199-12-31T23:59:59+08:00"})
    assert (first.start.year, last.start.year) == (1900, 2199)


def test_a_time_without_an_offset_is_the_countys() -> None:
    naive = Period.model_validate({"start": "2026-11-27", "at": "2026-11-27T08:00:00"})
    given = Period.model_validate({"start": "2026-11-27", "at": "2026-11-27T08:00:00Z"})
    assert naive.at == datetime(2026, 11, 27, 0, 0, tzinfo=UTC)  # 08:00 in Fenggang
    assert given.at == datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def test_a_period_of_days_counts_both_ends_and_may_be_one_day() -> None:
    ordered_period(date(2026, 3, 1), date(2026, 3, 1), field="to")
    ordered_period(None, date(2026, 3, 1), field="to")
    with pytest.raises(Invalid) as refused:
        ordered_period(date(2026, 3, 2), date(2026, 3, 1), field="to")
    assert (refused.value.detail, refused.value.extra) == (
        "所选期间的结束日期早于开始日期，请重新选择日期范围",
        {"field": "to"},
    )


def test_a_period_of_instants_must_hold_one_compared_in_utc() -> None:
    """[start, end): an end at the start holds nothing; offsets compare as instants."""
    shanghai = timezone(timedelta(hours=8))
    start = datetime(2026, 3, 2, 8, tzinfo=shanghai)  # 00:00 UTC
    ordered_period(start, datetime(2026, 3, 2, 0, 0, 1, tzinfo=UTC), field="received_to")
    for end in (datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 1, 23, tzinfo=UTC)):
        with pytest.raises(Invalid) as refused:
            ordered_period(start, end, field="received_to")
        assert refused.value.detail == "所选期间的结束时间不晚于开始时间，请重新选择日期范围"


class Bill(BaseModel):
    unpaid: bool = False
    amount: int | None = None
    due: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> Bill:
        if self.unpaid:
            refuse_missing(self, ["amount", "due"], "拖欠账款须填写")
        return self


def test_fields_one_field_requires_are_refused_as_missing_each_at_its_name() -> None:
    Bill(unpaid=True, amount=1, due="2026-03-01")
    with pytest.raises(ValidationError) as refused:
        Bill(unpaid=True, amount=1)
    assert [(e["loc"], e["type"], e["msg"]) for e in refused.value.errors()] == [
        (("due",), "missing", "拖欠账款须填写")
    ]


class Returned(BaseModel):
    reason: Reason


def test_a_reason_is_two_characters_once_trimmed_in_a_body_and_in_a_note() -> None:
    """退单 with 错 says nothing: a body's ``Reason`` and a step's required note refuse it alike."""
    assert Returned(reason="  错派  ").reason == "错派"
    for said in ("错", "  错  ", "   "):
        with pytest.raises(ValidationError) as info:
            Returned(reason=said)
        assert info.value.errors()[0]["type"] == "string_too_short"
        with pytest.raises(Invalid) as refused:
            require_reason(said, "“退单”")
        assert refused.value.extra["field"] == "note"
        assert str(refused.value.detail) == "“退单”须填写理由（至少 2 个字）"
    with pytest.raises(Invalid):
        require_reason(None, "“审核退回”")
    require_reason(" 错派 ", "“退单”")  # two characters: enough
