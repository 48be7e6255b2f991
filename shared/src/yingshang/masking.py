"""Server-side masking of personal data (GB/T 35273 display restriction).

Responses carry masked phone and ID numbers unless the caller's role needs the full value
(DOMAIN.md, "Personal data and audit"); every unmasked read is then audited
(:func:`yingshang.audit.record_unmasked_read`). :func:`mask_fields` applies one role decision to
a dict and reports which fields went out unmasked, so the caller can audit exactly those.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from typing import Any, NamedTuple

MASK = "*"

Masker = Callable[[str], str]

# 复姓 compound surnames: the surname stays visible, so these keep two characters.
_COMPOUND = (
    "欧阳司马上官诸葛东方皇甫尉迟公孙慕容长孙宇文司徒夏侯轩辕令狐钟离澹台端木南宫西门独孤呼延百里东郭"
    "万俟闻人赫连申屠濮阳太叔淳于单于拓跋公冶公羊仲孙第五左丘谷梁段干巫马亓官司寇子车颛孙壤驷漆雕乐正"
)
COMPOUND_SURNAMES = frozenset(_COMPOUND[i : i + 2] for i in range(0, len(_COMPOUND), 2))


def mask(value: str, keep_start: int = 1, keep_end: int = 1, char: str = MASK) -> str:
    """Keep ``keep_start`` and ``keep_end`` characters; too short a value is masked whole."""
    if len(value) <= keep_start + keep_end:
        return char * len(value)
    middle = len(value) - keep_start - keep_end
    return value[:keep_start] + char * middle + (value[-keep_end:] if keep_end else "")


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``; ``0851-28888888`` → ``0851-****8888``."""
    area, dash, rest = value.partition("-")
    if value.startswith("0") and dash:
        number, dash, extension = rest.partition("-")
        return f"{area}-{mask(number, 0, 4)}{dash}{extension}"
    return mask(value, 3, 4)


def mask_resident_id(value: str) -> str:
    """``520302199001011234`` → ``5203**********1234`` (birth date and sequence hidden)."""
    return mask(value, 4, 4)


def mask_name(value: str) -> str:
    """``张三`` → ``张*``, ``欧阳娜娜`` → ``欧阳**``; the surname stays, the given name goes."""
    name = value.strip()
    if len(name) <= 1:
        return MASK * len(name)
    keep = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    return mask(name, keep, 0)


def mask_uscc(value: str) -> str:
    """``91350100M000100Y43`` → ``91350100********43``: authority, type and region stay."""
    return mask(value, 8, 2)


def mask_email(value: str) -> str:
    """``zhang.san@example.cn`` → ``z*******@example.cn``."""
    local, at, domain = value.partition("@")
    return mask(local, 1, 0) + at + domain if at else mask(value)


class MaskedView(NamedTuple):
    """A dict ready for a response, and the fields that went out unmasked (to audit)."""

    data: dict[str, Any]
    revealed: list[str]


def mask_fields(
    data: Mapping[str, Any],
    maskers: Mapping[str, Masker],
    *,
    reveal: bool | Collection[str] = False,
) -> MaskedView:
    """Mask the fields named in ``maskers`` unless ``reveal`` (all, or the named ones).

    ``reveal`` is the role decision, e.g. ``principal.has("clerk", HOTLINE_CENTER)``.
    Missing, ``None`` and empty values are left alone and never count as revealed.
    """
    out = dict(data)
    revealed: list[str] = []
    for field, masker in maskers.items():
        value = out.get(field)
        if not isinstance(value, str) or not value:
            continue
        if reveal is True or (not isinstance(reveal, bool) and field in reveal):
            revealed.append(field)
        else:
            out[field] = masker(value)
    return MaskedView(out, revealed)


# Mobile numbers as people write them: an optional country prefix (+86, 0086, 86), groups
# 3-4-4 separated by a space or hyphen, next to letters ("TEL13912345678"). Never inside a
# longer run of digits or hex digits: item codes, case numbers and UUIDs (a UUID's last group
# can hold 11 digits that look like a mobile, "…-16933277785f") must stay intact.
MOBILE_IN_TEXT = re.compile(
    r"(?<![\dA-Fa-f])(?:(?:\+|00)?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?![\dA-Fa-f])"
)
RESIDENT_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
# Fields that identify events, cases and rows: never masked (ids are what a reader matches on).
IDENTIFIER_KEYS = frozenset({"id", "subject", "source", "type", "time", "traceparent"})
PHONE_KEYS = ("phone", "mobile", "tel")
ID_KEYS = ("id_number", "id_no", "resident_id", "id_card")


def mask_numbers(value: Any, key: str = "") -> Any:
    """Phone and ID numbers masked wherever they appear in a JSON-like ``value``: whole values
    under a phone or ID key, numbers inside any other text (free text such as a reason)."""
    if isinstance(value, dict):
        return {k: mask_numbers(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_numbers(v, key) for v in value]
    if not isinstance(value, str):
        return value
    lowered = key.lower()
    if lowered in IDENTIFIER_KEYS or lowered.endswith("_id"):
        return value
    if any(k in lowered for k in ID_KEYS):
        return mask_resident_id(value)
    if any(k in lowered for k in PHONE_KEYS):
        return mask_phone(value)
    value = RESIDENT_ID_IN_TEXT.sub(lambda m: mask_resident_id(m.group()), value)
    return MOBILE_IN_TEXT.sub(_masked_mobile, value)


def _masked_mobile(match: re.Match[str]) -> str:
    """The 11 digits of the number, masked (prefix and separators dropped)."""
    digits = "".join(c for c in match.group() if c.isdigit())[-11:]
    return mask_phone(digits)
