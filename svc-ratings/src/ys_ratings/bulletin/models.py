"""Closed months and their snapshots. The open month is computed live from rating rows."""

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.db import IdMixin
from ys_ratings.models import Base

SCOPES = ("county", "window", "staff", "department")  # "county": the one total line


class ClosedMonth(Base):
    """A month the bureau closed: its bulletin is the stored snapshot from then on."""

    __tablename__ = "ratings_closed_months"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    closed_at: Mapped[datetime] = mapped_column()
    closed_by: Mapped[str] = mapped_column(String(120))
    # the closer's name as the token gave it then (none for a month closed before it was kept)
    closed_by_name: Mapped[str | None] = mapped_column(String(120))
    ratings: Mapped[int] = mapped_column(Integer)


class BulletinRow(IdMixin, Base):
    """One line of a closed month's bulletin (snapshot; later events never change it)."""

    __tablename__ = "ratings_bulletin_rows"
    __table_args__ = (UniqueConstraint("month", "scope", "key", name="uq_ratings_bulletin_rows"),)

    month: Mapped[str] = mapped_column(String(7))
    scope: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(80))
    label: Mapped[str | None] = mapped_column(String(200))  # the name as it was at closing
    count: Mapped[int] = mapped_column(Integer)
    good_county: Mapped[int] = mapped_column(Integer)
    good_national: Mapped[int] = mapped_column(Integer)
    bad: Mapped[int] = mapped_column(Integer)
    rectifications: Mapped[int] = mapped_column(Integer)
    rectifications_due: Mapped[int] = mapped_column(Integer)
    callbacks_due: Mapped[int] = mapped_column(Integer)
    rectified_on_time: Mapped[int] = mapped_column(Integer)
    called_back: Mapped[int] = mapped_column(Integer)
    rank: Mapped[int] = mapped_column(Integer)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
