"""Bulletin output (JSON); CSV and HTML are rendered from the same lines."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from ys_ratings.bulletin.figures import Tally, percent
from ys_ratings.bulletin.service import Bulletin

Scope = Literal["county", "window", "staff", "department"]


class BulletinLine(BaseModel):
    scope: Scope
    key: str
    label: str | None = Field(None, description="name of the department, window or 工号")
    count: int
    good_county: int = Field(description="4–5 (county rule)")
    good_national: int = Field(description="3–5 (national rule: not 差评)")
    bad: int = Field(description="差评 (1–2)")
    county_good_rate: float | None = Field(description="% good by the county rule")
    national_good_rate: float | None = Field(description="% good by the national rule")
    rectifications: int
    rectifications_due: int = Field(
        description="completed or past their deadline: the denominator of on_time_rate"
    )
    rectified_on_time: int
    on_time_rate: float | None
    callbacks_due: int = Field(description="due or called back: the denominator of callback_rate")
    called_back: int
    callback_rate: float | None
    rank: int | None
    flagged: bool = Field(description="bottom two months running (约谈)")

    @classmethod
    def of(cls, scope: Scope, key: str, t: Tally, label: str | None = None) -> BulletinLine:
        return cls(
            scope=scope,
            key=key,
            label=label,
            count=t.count,
            good_county=t.good_county,
            good_national=t.good_national,
            bad=t.bad,
            county_good_rate=percent(t.good_county, t.count),
            national_good_rate=percent(t.good_national, t.count),
            rectifications=t.rectifications,
            rectifications_due=t.rectifications_due,
            rectified_on_time=t.rectified_on_time,
            on_time_rate=percent(t.rectified_on_time, t.rectifications_due),
            callbacks_due=t.callbacks_due,
            called_back=t.called_back,
            callback_rate=percent(t.called_back, t.callbacks_due),
            rank=t.rank or None,
            flagged=t.flagged,
        )


class BulletinOut(BaseModel):
    month: str
    status: Literal["open", "closed"]
    computed_at: datetime
    closed_by: str | None = Field(description="the closer's account id")
    closed_by_name: str | None = Field(description="the closer's name (关账人)")
    total: BulletinLine
    departments: list[BulletinLine]
    windows: list[BulletinLine]
    staff: list[BulletinLine]

    @classmethod
    def of(cls, report: Bulletin) -> BulletinOut:
        def lines(scope: Scope) -> list[BulletinLine]:
            items = report.tables.scopes[scope].items()
            ordered = sorted(items, key=lambda kv: (kv[1].rank, kv[0]))
            names = report.labels.get(scope, {})
            return [BulletinLine.of(scope, key, t, names.get(key)) for key, t in ordered]

        return cls(
            month=report.month,
            status="closed" if report.closed else "open",
            computed_at=report.computed_at,
            closed_by=report.closed.closed_by if report.closed else None,
            closed_by_name=report.closed.closed_by_name if report.closed else None,
            total=BulletinLine.of("county", "*", report.tables.total),
            departments=lines("department"),
            windows=lines("window"),
            staff=lines("staff"),
        )

    def all_lines(self) -> list[BulletinLine]:
        return [self.total, *self.departments, *self.windows, *self.staff]
