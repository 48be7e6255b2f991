"""Validators for Chinese identifiers, as plain functions and as pydantic annotated types.

The annotated types (``USCC``, ``MobilePhone``, ``ResidentId`` ...) normalise the input
(trim, upper-case, drop separators) and raise ``ValueError``; inside a request body that becomes
the 422 problem detail naming the field (``yingshang.problems``). Outside pydantic, call the
``normalise_*`` functions (``ValueError`` on bad input) or the ``is_valid_*`` predicates.
A check across two parameters (:func:`ordered_period`) raises the 422 problem itself; a
model's rule that one field requires another names each one left out (:func:`refuse_missing`).
A step's justification (退单, 审核退回, 延期, 不予受理 …) follows one rule everywhere: ``Reason`` in
a body, :func:`require_reason` for a note a step makes required.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    StringConstraints,
    ValidationError,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from yingshang.clock import SHANGHAI, ensure_utc, now, today
from yingshang.problems import Invalid

# 统一社会信用代码 unified social credit code, GB 32100-2015: 18 characters from this set
# (no I, O, S, V, Z); the 18th is a check character over the first 17.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUES = {c: i for i, c in enumerate(USCC_CHARSET)}

# 公民身份号码 resident identity number, GB 11643-1999: 17 digits + check (0-9 or X).
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECKS = "10X98765432"
_RESIDENT_ID = re.compile(r"^[1-9]\d{16}[\dX]$")
EARLIEST_BIRTH = date(1900, 1, 1)
# Dates a county counts in. Python's own range (years 1–9999) overflows in deadline and
# period arithmetic near its ends; a date outside this range is a typing error, not a case.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2199, 12, 31)

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Landline: area code (0 + 2-3 digits), 7-8 digit number, optional extension.
_LANDLINE = re.compile(r"^(0\d{2,3})-?(\d{7,8})(?:-(\d{1,6}))?$")
_SEPARATORS = re.compile(r"[\s()（）]+")
# 实施编码 implementation code of a service item: the implementing body's USCC + 13 characters.
_IMPLEMENTATION_TAIL = re.compile(r"^[0-9A-Z]{13}$")


def uscc_check_char(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters."""
    total = sum(_USCC_VALUES[c] * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]  # 31 → 0


def normalise_uscc(value: str) -> str:
    """Upper-cased, trimmed USCC; ``ValueError`` unless 18 valid chars with a matching check."""
    code = value.strip().upper()
    if len(code) != 18:
        raise ValueError("统一社会信用代码应为 18 位")
    if any(c not in _USCC_VALUES for c in code):
        raise ValueError("统一社会信用代码含有 GB 32100 不允许的字符")
    if uscc_check_char(code[:17]) != code[17]:
        raise ValueError("统一社会信用代码的校验位不正确")
    return code


def resident_id_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECKS[total % 11]


def normalise_resident_id(value: str) -> str:
    """18-digit resident ID (GB 11643): format, plausible birth date, check character."""
    number = value.strip().upper()
    if not _RESIDENT_ID.match(number):
        raise ValueError("身份证号应为 17 位数字加 1 位校验码（数字或 X）")
    _birth_date(number[6:14])
    if resident_id_check_char(number[:17]) != number[17]:
        raise ValueError("身份证号的校验码不正确")
    return number


def _birth_date(yyyymmdd: str) -> date:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError as exc:
        raise ValueError("身份证号中的出生日期无效") from exc
    if not EARLIEST_BIRTH <= born <= now().astimezone(SHANGHAI).date():
        raise ValueError("身份证号中的出生日期不合理")
    return born


def normalise_mobile(value: str) -> str:
    """Mainland mobile number, 11 digits; separators and a +86 / 0086 prefix are dropped."""
    digits = _SEPARATORS.sub("", value).replace("-", "")
    for prefix in ("+86", "0086"):
        digits = digits.removeprefix(prefix)
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if not _MOBILE.match(digits):
        raise ValueError("不是有效的手机号码（11 位，以 13–19 开头）")
    return digits


def normalise_landline(value: str) -> str:
    """Landline as ``<area>-<number>[-<ext>]``, e.g. ``0851-28888888``."""
    match = _LANDLINE.match(_SEPARATORS.sub("", value))
    if not match:
        raise ValueError("不是有效的固定电话号码（区号 0xx 或 0xxx，加 7–8 位号码）")
    area, number, ext = match.groups()
    return f"{area}-{number}" + (f"-{ext}" if ext else "")


def normalise_phone(value: str) -> str:
    """A mobile or a landline number (mobile tried first)."""
    try:
        return normalise_mobile(value)
    except ValueError:
        pass
    try:
        return normalise_landline(value)
    except ValueError:
        raise ValueError("不是有效的手机或固定电话号码") from None


def normalise_implementation_code(value: str) -> str:
    """31-char 实施编码: a valid 18-char USCC of the implementing body + 13 chars [0-9A-Z]."""
    code = value.strip().upper()
    if len(code) != 31:
        raise ValueError("实施编码应为 31 位")
    try:
        normalise_uscc(code[:18])
    except ValueError as exc:
        raise ValueError(f"实施编码的前 18 位：{exc}") from exc
    if not _IMPLEMENTATION_TAIL.match(code[18:]):
        raise ValueError("实施编码的后 13 位只能是数字或大写字母")
    return code


def _predicate(normalise: Callable[[str], str]) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        try:
            normalise(value)
        except ValueError:
            return False
        return True

    check.__name__ = normalise.__name__.replace("normalise", "is_valid")
    return check


is_valid_uscc = _predicate(normalise_uscc)
is_valid_resident_id = _predicate(normalise_resident_id)
is_valid_mobile = _predicate(normalise_mobile)
is_valid_landline = _predicate(normalise_landline)
is_valid_phone = _predicate(normalise_phone)
is_valid_implementation_code = _predicate(normalise_implementation_code)


def _str_only(value: object) -> object:
    # Numbers must not sneak in as ints (a leading 0 of a landline would be lost).
    if not isinstance(value, str):
        raise ValueError("应为文本")
    return value


USCC = Annotated[
    str,
    BeforeValidator(_str_only),
    AfterValidator(normalise_uscc),
    Field(examples=["91350100M000100Y43"], description="统一社会信用代码 (GB 32100-2015)"),
]
ResidentId = Annotated[
    str,
    BeforeValidator(_str_only),
    AfterValidator(normalise_resident_id),
    Field(description="居民身份证号码, 18 digits (GB 11643-1999)"),
]
MobilePhone = Annotated[
    str,
    BeforeValidator(_str_only),
    AfterValidator(normalise_mobile),
    Field(examples=["13812345678"], description="mainland mobile number"),
]
LandlinePhone = Annotated[
    str,
    BeforeValidator(_str_only),
    AfterValidator(normalise_landline),
    Field(examples=["0851-28888888"], description="landline: area code - number [- ext]"),
]
Phone = Annotated[
    str,
    BeforeValidator(_str_only),
    AfterValidator(normalise_phone),
    Field(examples=["13812345678", "0851-28888888"], description="mobile or landline"),
]
ImplementationCode = Annotated[
    str,
    BeforeValidator(_str_only),
    AfterValidator(normalise_implementation_code),
    Field(description="实施编码: implementing body's USCC (18) + 13 characters"),
]


def plausible_date(value: date) -> date:
    """``ValueError`` for a day outside 1900–2199 (see ``EARLIEST_DAY``)."""
    if not EARLIEST_DAY <= value <= LATEST_DAY:
        raise ValueError(f"日期应在 {EARLIEST_DAY} 至 {LATEST_DAY} 之间")
    return value


def plausible_datetime(value: datetime) -> datetime:
    """``ValueError`` for a time whose year is outside 1900–2199, offset or not."""
    if not EARLIEST_DAY.year <= value.year <= LATEST_DAY.year:
        raise ValueError(f"时间应在 {EARLIEST_DAY} 至 {LATEST_DAY} 之间")
    return value


def county_time(value: datetime) -> datetime:
    """A time given without an offset is the county's (Asia/Shanghai), as people there write
    it; with an offset it is kept as given."""
    return value.replace(tzinfo=SHANGHAI) if value.tzinfo is None else value


PlausibleDate = Annotated[date, AfterValidator(plausible_date)]
PlausibleDateTime = Annotated[
    datetime,
    AfterValidator(plausible_datetime),
    AfterValidator(county_time),
    Field(description="ISO 8601; without an offset, Asia/Shanghai"),
]


def not_after_today(day: date) -> date:
    """``ValueError`` for a day after the county's today (a fact that has not happened yet)."""
    current = today()
    if day > current:
        raise ValueError(f"日期不能晚于今天（{current}）")
    return day


PastOrToday = Annotated[PlausibleDate, AfterValidator(not_after_today)]
"""A day that has come: a bill's due date, the day evidence was produced or an action taken."""


def refuse_missing(model: BaseModel, names: Iterable[str], why: str) -> None:
    """In a model validator: each of ``names`` left out (``None``) is refused as ``missing``
    at its own field, with ``why`` (Chinese, for the person filling the form) as its message,
    as pydantic refuses a required field; the console then says the field must be filled,
    not that its format is wrong."""
    absent = [name for name in names if getattr(model, name) is None]
    if absent:
        raise ValidationError.from_exception_data(
            type(model).__name__,
            [
                InitErrorDetails(type=PydanticCustomError("missing", why), loc=(name,), input=None)
                for name in absent
            ],
        )


# The reason a step is taken for (退单, 审核退回, 不予受理, 延期 …), read by the people the step
# sends the matter to: at least two characters once trimmed ("错" or blanks say nothing).
REASON_MIN_LENGTH = 2
REASON_MAX_LENGTH = 2000
Reason = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=REASON_MIN_LENGTH, max_length=REASON_MAX_LENGTH
    ),
    Field(
        description=f"理由: {REASON_MIN_LENGTH}–{REASON_MAX_LENGTH} characters once trimmed",
    ),
]


def is_reason(text: str | None) -> bool:
    """Whether ``text`` would pass as a :data:`Reason` (its length once trimmed)."""
    return text is not None and len(text.strip()) >= REASON_MIN_LENGTH


def require_reason(text: str | None, step: str, *, field: str = "note") -> None:
    """A note a step makes required (a refusal, a send-back) is a :data:`Reason`: else 422 at
    ``field``, naming the step (``step``: its label, e.g. “审核退回”)."""
    if not is_reason(text):
        raise Invalid(f"{step}须填写理由（至少 {REASON_MIN_LENGTH} 个字）", field=field)


PERIOD_INSTANTS_INVERTED = "所选期间的结束时间不晚于开始时间，请重新选择日期范围"
PERIOD_DAYS_INVERTED = "所选期间的结束日期早于开始日期，请重新选择日期范围"


def ordered_period(
    start: date | datetime | None, end: date | datetime | None, *, field: str
) -> None:
    """A period whose end comes before its start is a mistake, not an empty answer: a 422
    naming ``field`` (the end's parameter), said in Chinese for the person who chose the dates.

    Days bound a period inclusively (one day starts and ends on it); instants bound a
    half-open one, ``[start, end)``, whose end must come after its start (compared in UTC, an
    instant without an offset taken as UTC). Either bound may be open (``None``)."""
    if start is None or end is None:
        return
    if isinstance(start, datetime) and isinstance(end, datetime):
        if ensure_utc(end) <= ensure_utc(start):
            raise Invalid(PERIOD_INSTANTS_INVERTED, field=field)
    elif end < start:
        raise Invalid(PERIOD_DAYS_INVERTED, field=field)
