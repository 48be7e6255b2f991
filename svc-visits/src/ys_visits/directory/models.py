"""Departments and service halls as svc-visits knows them."""

from datetime import datetime

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.clock import now
from yingshang.db import UTCDateTime
from ys_visits.models import Base


class Department(Base):
    """A county department, town or coordinating body (kinds as in deploy/seed/county.yaml)."""

    __tablename__ = "visits_departments"

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now, onupdate=now)


class Hall(Base):
    """A service hall (政务服务大厅 / 便民服务中心) where leaders sit on duty (坐班)."""

    __tablename__ = "visits_halls"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(60))  # HALL, or the town running it
    kind: Mapped[str] = mapped_column(String(10))  # county | town
