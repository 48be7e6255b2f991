"""Departments as the hotline knows them: code, name, kind (county department or town) and
whether they are still active (``yingshang.directory``)."""

from yingshang.directory import DirectoryDepartment
from ys_hotline.models import Base

# Kinds in deploy/seed/county.yaml: coordinating | department | town | federation.
TOWN = "town"
COORDINATING = "coordinating"  # the committee, the bureau and its centers: they steer, not handle


class Department(DirectoryDepartment, Base):
    __tablename__ = "hotline_departments"

    @property
    def is_town(self) -> bool:
        return self.kind == TOWN

    @property
    def handles_tickets(self) -> bool:
        """A ticket goes to a department, a town or a federation, never to a coordinating
        body (the hotline center itself, the bureau, the committee, the other centers)."""
        return self.kind != COORDINATING
