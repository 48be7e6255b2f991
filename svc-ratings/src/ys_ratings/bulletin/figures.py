"""Bulletin arithmetic: tallies per window / staff member / department, rates, ranks, flags.

County rule: good = 4–5 only ("基本满意就是基本不满意"); national rule: good = not 1–2
(国办发〔2019〕51号). Both are reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from ys_ratings.ratings.models import BAD_MAX, COUNTY_GOOD_MIN, NATIONAL_GOOD_MIN

SCOPE_COLUMNS = {"window": 1, "staff": 2, "department": 0}  # position in (dept, window, staff)


@dataclass
class Tally:
    count: int = 0
    good_county: int = 0
    good_national: int = 0
    bad: int = 0
    rectifications: int = 0
    # the denominators: 按期整改 counts the rectifications completed or past their deadline,
    # 回访率 those called back as well (one not yet due is neither a failure nor a success)
    rectifications_due: int = 0
    callbacks_due: int = 0
    rectified_on_time: int = 0
    called_back: int = 0
    rank: int = 0
    flagged: bool = False

    def add_level(self, level: int, n: int) -> None:
        self.count += n
        self.good_county += n if level >= COUNTY_GOOD_MIN else 0
        self.good_national += n if level >= NATIONAL_GOOD_MIN else 0
        self.bad += n if level <= BAD_MAX else 0

    def add_rectifications(self, counts: RectificationCounts) -> None:
        self.rectifications += counts.total
        self.rectifications_due += counts.due
        self.callbacks_due += counts.callbacks_due
        self.rectified_on_time += counts.on_time
        self.called_back += counts.called_back

    @property
    def ranking_key(self) -> tuple[float, float]:
        return (
            percent(self.good_county, self.count) or 0.0,
            percent(self.good_national, self.count) or 0.0,
        )


class RectificationCounts(NamedTuple):
    """One group's rectifications: all, those due (completed or past their deadline), those
    due for the 回访 (due, or called back already), on time, called back."""

    total: int
    due: int
    callbacks_due: int
    on_time: int
    called_back: int


def percent(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100.0 * part / whole, 2)


@dataclass
class Tables:
    """One month's figures: ``scopes[scope][key]`` and the county-wide total."""

    total: Tally = field(default_factory=Tally)
    scopes: dict[str, dict[str, Tally]] = field(
        default_factory=lambda: {scope: {} for scope in SCOPE_COLUMNS}
    )

    def _lines(self, keys: tuple[str | None, str | None, str | None]) -> Iterable[Tally]:
        yield self.total
        for scope, column in SCOPE_COLUMNS.items():
            key = keys[column]
            if key:  # hotline ratings have no window; some nodes no 工号
                yield self.scopes[scope].setdefault(key, Tally())

    def add_levels(
        self, keys: tuple[str | None, str | None, str | None], level: int, n: int
    ) -> None:
        for tally in self._lines(keys):
            tally.add_level(level, n)

    def add_rectifications(
        self, keys: tuple[str | None, str | None, str | None], counts: RectificationCounts
    ) -> None:
        for tally in self._lines(keys):
            tally.add_rectifications(counts)

    def rank(self) -> None:
        """Competition ranking (1, 2, 2, 4) by county good rate, then national good rate."""
        for lines in self.scopes.values():
            ordered = sorted(lines.values(), key=lambda t: t.ranking_key, reverse=True)
            for position, tally in enumerate(ordered, start=1):
                same = position > 1 and tally.ranking_key == ordered[position - 2].ranking_key
                tally.rank = ordered[position - 2].rank if same else position

    def bottom(self, scope: str) -> set[str]:
        """Keys ranked last in ``scope``: none when fewer than two are ranked, or when all are
        tied (the last rank is then also the first: nobody is at the bottom)."""
        lines = self.scopes[scope]
        if len(lines) < 2:
            return set()
        last = max(t.rank for t in lines.values())
        if last == 1:
            return set()
        return {key for key, t in lines.items() if t.rank == last}

    def flag(self, previous: Tables) -> None:
        """约谈 flag: at the bottom this month and the month before (DOMAIN.md, Ratings)."""
        for scope, lines in self.scopes.items():
            for key in self.bottom(scope) & previous.bottom(scope):
                lines[key].flagged = True
