"""The hall's departments (``yingshang.directory``): an item or a package may only name a
department of the directory that is still active (a mistyped or abolished one would route
applications to no one)."""

from yingshang.directory import Departments
from ys_approvals.directory.models import Department

DEPARTMENTS = Departments(Department)
