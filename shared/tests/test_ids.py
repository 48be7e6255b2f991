"""Bulk version-7 ids: valid UUIDs that sort in the order they were handed out, so entries
written together at one instant (a stage's 预警, 超期 and 督办) read back in that order."""

import uuid

import pytest

from yingshang.ids import uuid7_hex


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
