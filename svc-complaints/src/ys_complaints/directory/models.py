"""Departments and towns as the complaints center knows them (the possible respondents)."""

from datetime import datetime

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.clock import now
from ys_complaints.models import Base


class Department(Base):
    __tablename__ = "complaints_departments"

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))  # coordinating | department | town | federation
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
