"""Labels of departments, windows and staff numbers (the bulletin prints names, not codes)."""

from datetime import datetime

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.clock import now
from ys_ratings.models import Base

DEPARTMENT, WINDOW, STAFF = "department", "window", "staff"


class DirectoryEntry(Base):
    __tablename__ = "ratings_directory"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
