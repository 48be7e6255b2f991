"""Implementation codes (实施编码) of service items and USCCs of implementing bodies."""

from __future__ import annotations

from yingshang.problems import Invalid
from yingshang.validators import normalise_implementation_code, uscc_check_char

# GB 32100-2015: 1 = 机构编制 (organs), 1 = 机关; 520327 = 凤冈县 administrative division.
ORGAN_PREFIX = "11"
COUNTY_DIVISION = "520327"
# GB 11714-1997 organisation code check weights.
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def check_implementation_code(code: str) -> str:
    """The normalised code, or a 422 problem naming the ``code`` field."""
    try:
        return normalise_implementation_code(code)
    except ValueError as exc:
        raise Invalid(str(exc), code="invalid-implementation-code", field="code") from exc


def organisation_code(serial: int) -> str:
    """A 9-char organisation code (GB 11714): 8 digits + check character."""
    body = f"{serial:08d}"
    check = 11 - sum(int(c) * w for c, w in zip(body, ORG_WEIGHTS, strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def organ_uscc(serial: int) -> str:
    """A valid USCC of a county organ (seed data: the departments of the county)."""
    first17 = ORGAN_PREFIX + COUNTY_DIVISION + organisation_code(serial)
    return first17 + uscc_check_char(first17)


def implementation_code(body_uscc: str, item_type: int, item_no: int, variant: int = 0) -> str:
    """18-char USCC + 13: 2-digit item type, 5-digit main item, 3-digit sub item, 3-digit
    variant (GB/T 39554.1 keeps the tail's layout to each province; this is ours)."""
    return f"{body_uscc}{item_type:02d}{item_no:05d}{variant:03d}000"
