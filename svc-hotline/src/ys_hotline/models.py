"""svc-hotline tables (its own database). Plumbing tables come from yingshang."""

from sqlalchemy.orm import DeclarativeBase

from yingshang.db import TYPE_MAP, new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = TYPE_MAP


def load_models() -> None:
    """Import every domain model so ``Base.metadata`` is complete (migrations env, tests)."""
    import ys_hotline.catalogue.models
    import ys_hotline.directory.models
    import ys_hotline.knowledge.models
    import ys_hotline.tickets.models  # noqa: F401
