"""Department codes with a hall-wide view."""

from yingshang.auth import HALL

HALL_DEPTS = frozenset({HALL})
