"""CSV cells that a spreadsheet program opens as text, never as a formula.

Exports carry free text typed by the public (titles, comments). A cell starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return would be evaluated by Excel or WPS as a formula
(CSV injection, OWASP); such a cell is prefixed with an apostrophe, which they show as text.
Exports are read by county staff: their header row is in Chinese, as the console labels the
same fields.
"""

from __future__ import annotations

from datetime import datetime

from yingshang.clock import county_due, county_minute

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """``text`` as a CSV cell that no spreadsheet runs."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(value: object, *, due: bool = False) -> str:
    """Any value as a CSV cell: empty for None, 是/否 for a flag, a time as the county reads it
    (Asia/Shanghai, to the minute; a ``due`` time in the county's 24:00 form, as the console
    and the SMS write it: :func:`yingshang.clock.county_due`), text made safe
    (:func:`safe_cell`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return county_due(value) if due else county_minute(value)
    return safe_cell(str(value))
