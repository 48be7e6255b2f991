"""Names the bulletin prints instead of codes: departments and people are the county
directory's (``yingshang.directory``); windows (approvals' ``<hall>/<window>``) are ratings'
own labels from the county file."""

from datetime import datetime

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.clock import now
from yingshang.directory import DirectoryDepartment, DirectoryUser
from ys_ratings.models import Base

DEPARTMENT, WINDOW, STAFF = "department", "window", "staff"
HALL = "hall"  # a service hall: its ``department`` is the unit running it


class Department(DirectoryDepartment, Base):
    __tablename__ = "ratings_departments"


class User(DirectoryUser, Base):
    __tablename__ = "ratings_users"


class DirectoryEntry(Base):
    """A label of another kind than departments and people: the halls and their windows."""

    __tablename__ = "ratings_directory"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(60))  # of a hall: the unit running it
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
