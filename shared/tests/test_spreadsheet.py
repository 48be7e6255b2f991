"""CSV cells as county staff read them in a spreadsheet program."""

from datetime import UTC, datetime

from yingshang.spreadsheet import cell


def test_a_due_time_at_midnight_is_24_00_of_its_last_day() -> None:
    """A working-day limit ends at 24:00 of its last day: the console and the SMS say
    ``2026-12-11 24:00``, and so does an export (``2026-12-12 00:00`` reads a day later)."""
    midnight = datetime(2026, 12, 11, 16, 0, tzinfo=UTC)  # 2026-12-12 00:00 in the county
    assert cell(midnight, due=True) == "2026-12-11 24:00"
    assert cell(midnight) == "2026-12-12 00:00"  # an event's time, as it happened
    afternoon = datetime(2026, 12, 11, 9, 30, tzinfo=UTC)
    assert cell(afternoon, due=True) == cell(afternoon) == "2026-12-11 17:30"


def test_flags_and_formulas_read_as_text() -> None:
    assert (cell(True), cell(False), cell(None)) == ("是", "否", "")
    assert cell("=SUM(A1)") == "'=SUM(A1)"
