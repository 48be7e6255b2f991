"""CSV cells that a spreadsheet program opens as text, never as a formula.

Exports carry free text typed by the public (titles, comments). A cell starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return would be evaluated by Excel or WPS as a formula
(CSV injection, OWASP); such a cell is prefixed with an apostrophe, which they show as text.
"""

from __future__ import annotations

from datetime import datetime

from yingshang.clock import SHANGHAI, ensure_utc

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """``text`` as a CSV cell that no spreadsheet runs."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(value: object) -> str:
    """Any value as a CSV cell: empty for None, a time as the county reads it (Asia/Shanghai,
    to the minute), text made safe (:func:`safe_cell`)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{ensure_utc(value).astimezone(SHANGHAI):%Y-%m-%d %H:%M}"
    return safe_cell(str(value))
