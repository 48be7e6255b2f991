"""Departments and towns as the complaints center knows them (the possible respondents)."""

from yingshang.directory import DirectoryDepartment
from ys_complaints.models import Base


class Department(DirectoryDepartment, Base):
    __tablename__ = "complaints_departments"
