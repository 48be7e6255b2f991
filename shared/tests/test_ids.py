"""Version-7 ids: valid UUIDs that sort in the order they were handed out, one by one or in
bulk, so entries written together at one instant (a ticket's 受理 and 开始计时; a stage's 预警,
超期 and 督办) read back in that order."""

import time
import uuid
from unittest.mock import patch

import pytest

from yingshang.ids import uuid7, uuid7_hex, uuid7_text


def test_bulk_ids_are_uuid7_in_the_order_handed_out() -> None:
    for _ in range(50):  # the random part must never reorder them
        ids = uuid7_hex(12)
        assert ids == sorted(ids)
        parsed = [uuid.UUID(hex=i) for i in ids]
        assert {(u.version, u.variant) for u in parsed} == {(7, uuid.RFC_4122)}
        assert len(set(ids)) == 12


def test_a_call_hands_out_at_most_4096() -> None:
    assert len(uuid7_hex(4096)) == 4096
    with pytest.raises(ValueError, match="4096"):
        uuid7_hex(4097)


def test_ids_made_one_by_one_sort_in_the_order_made() -> None:
    """Within one millisecond as across them (the random part never reorders them), and
    mixed with bulk ids: a timeline's entries of one instant read back in the order written."""
    made = [uuid7() for _ in range(2000)] + [uuid.UUID(hex=i) for i in uuid7_hex(5)]
    made += [uuid7(), uuid.UUID(uuid7_text())]
    assert made == sorted(made)
    assert len(set(made)) == len(made)
    assert {(u.version, u.variant) for u in made} == {(7, uuid.RFC_4122)}


def test_a_clock_set_back_does_not_reorder_them() -> None:
    first = uuid7()
    with patch.object(time, "time_ns", return_value=0):
        later = [uuid7() for _ in range(5000)]  # past one millisecond's 4,096: the next one
    assert [first, *later] == sorted([first, *later])
