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


class Department(DirectoryDepartment, Base):
    __tablename__ = "ratings_departments"


class User(DirectoryUser, Base):
    __tablename__ = "ratings_users"


class DirectoryEntry(Base):
    """A label of another kind than departments and people: the windows of the halls."""

    __tablename__ = "ratings_directory"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
