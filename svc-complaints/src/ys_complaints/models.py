"""svc-complaints tables (its own database). Plumbing tables come from yingshang."""

from sqlalchemy.orm import DeclarativeBase

from yingshang.db import TYPE_MAP, new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = TYPE_MAP


def load_models() -> None:
    """Import every model module so the metadata and mappers are complete."""
    from ys_complaints.cases import models as cases  # noqa: F401
    from ys_complaints.directory import models as directory  # noqa: F401
    from ys_complaints.enforcement import models as enforcement  # noqa: F401
    from ys_complaints.inspections import models as inspections  # noqa: F401
