"""Duplicate hints' similarity: bigram Jaccard through bit signatures, exact."""

import random
import uuid

import pytest

from ys_hotline.tickets import duplicates


def reference(a: str, b: str) -> float:
    left, right = duplicates._bigrams(a), duplicates._bigrams(b)
    return len(left & right) / len(left | right) if left and right else 0.0


def test_signatures_give_the_exact_bigram_jaccard() -> None:
    rng = random.Random(7)
    alphabet = "营业执照办理施工噪音扰民夜间拖欠工资小区附近部门处理abc123，。 "
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(60)]
    texts += ["第1号反映：小区附近施工噪音扰民。", "第2号反映：小区附近施工噪音扰民。", "", "。。"]
    for a in texts:
        for b in texts[:20]:
            assert duplicates.similarity(a, b) == pytest.approx(reference(a, b)), (a, b)


def test_the_bit_numbering_starts_over_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(duplicates, "VOCABULARY", 8)
    first = "小区附近施工噪音扰民，夜间十点后仍在作业"
    before = duplicates.similarity(first, first + "请处理")
    generation = duplicates._generation
    assert len(duplicates._BIT_OF) > 8
    after = duplicates.similarity(first, first + "请处理")  # numbering restarted first
    assert duplicates._generation == generation + 1
    assert before == after == pytest.approx(reference(first, first + "请处理"))


def test_a_hint_is_built_once_per_candidate_state_and_cannot_change() -> None:
    ticket_id = uuid.UUID("0190f1c2-a3b4-4c5d-8e9f-00112233aabb")
    candidate = duplicates._Candidate(ticket_id, "RX20261127-00001", "噪音", None)
    first = candidate.hint("received", "similar_content")
    assert candidate.hint("received", "similar_content") is first
    assert first.id_text == "0190f1c2-a3b4-4c5d-8e9f-00112233aabb"
    assert (first.view.id, first.view.number, first.view.title) == (
        ticket_id, "RX20261127-00001", "噪音",
    )  # fmt: skip
    dispatched = candidate.hint("dispatched", "similar_content")
    assert dispatched is not first
    assert dispatched.view.status == "dispatched"
    assert candidate.hint("received", "same_phone").view.reason == "same_phone"
    assert first.view.status == "received"
    with pytest.raises(ValueError, match="frozen"):
        first.view.status = "closed"  # shared between intakes: frozen


def test_a_kept_candidate_is_compared_in_the_current_bit_numbering(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "小区附近施工噪音扰民，夜间十点后仍在作业"
    ticket_id = uuid.UUID("0190f1c2-a3b4-4c5d-8e9f-00112233aabc")
    duplicates.remember(ticket_id, "RX20261127-00002", "噪音", text)
    kept = duplicates._KNOWN[ticket_id.hex]
    before = duplicates._generation
    monkeypatch.setattr(duplicates, "VOCABULARY", 8)
    generation = duplicates._current_generation()  # the numbering starts over
    assert generation == before + 1
    mine = duplicates._signature(text + "请处理", generation)
    assert kept.signature(generation) == duplicates._signature(text, generation)
    assert duplicates._jaccard(mine, kept.signature(generation)) == pytest.approx(
        reference(text, text + "请处理")
    )
