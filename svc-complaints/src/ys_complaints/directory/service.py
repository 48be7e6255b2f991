"""The center's departments (``yingshang.directory``): seed file at start, gateway events after.

``require`` gives a known, active department or town, or a 422 naming the field."""

from yingshang.directory import Departments
from ys_complaints.directory.models import Department

DEPARTMENTS = Departments(Department)
require = DEPARTMENTS.require
names = DEPARTMENTS.names
