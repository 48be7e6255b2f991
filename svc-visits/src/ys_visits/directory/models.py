"""Departments, the people who may be named by 工号, and service halls as svc-visits knows them."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.directory import DirectoryDepartment, DirectoryUser
from ys_visits.models import Base


class Department(DirectoryDepartment, Base):
    """A county department, town or coordinating body (kinds as in deploy/seed/county.yaml)."""

    __tablename__ = "visits_departments"


class User(DirectoryUser, Base):
    """A person of the directory: pairing leaders and indicator owners (指标长) are named by
    their 工号, which must be one of these (active)."""

    __tablename__ = "visits_users"


class Hall(Base):
    """A service hall (政务服务大厅 / 便民服务中心) where leaders sit on duty (坐班)."""

    __tablename__ = "visits_halls"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(60))  # HALL, or the town running it
    kind: Mapped[str] = mapped_column(String(10))  # county | town
