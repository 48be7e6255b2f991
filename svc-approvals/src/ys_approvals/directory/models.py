"""Departments as the hall knows them: an item or a package names its department by code."""

from yingshang.directory import DirectoryDepartment
from ys_approvals.models import Base


class Department(DirectoryDepartment, Base):
    __tablename__ = "approvals_departments"
