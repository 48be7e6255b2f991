"""Departments as the hotline knows them: code, name and kind (county department or town)."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.clock import now
from ys_hotline.models import Base

# Kinds in deploy/seed/county.yaml: coordinating | department | town | federation.
TOWN = "town"
COORDINATING = "coordinating"  # the committee, the bureau and its centers: they steer, not handle


class Department(Base):
    __tablename__ = "hotline_departments"

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    @property
    def is_town(self) -> bool:
        return self.kind == TOWN

    @property
    def handles_tickets(self) -> bool:
        """A ticket goes to a department, a town or a federation, never to a coordinating
        body (the hotline center itself, the bureau, the committee, the other centers)."""
        return self.kind != COORDINATING
