"""The hotline's departments (``yingshang.directory``): seed file at start, gateway events after."""

from yingshang.directory import Departments
from ys_hotline.directory.models import Department

DEPARTMENTS = Departments(Department)
