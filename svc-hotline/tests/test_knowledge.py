"""Knowledge base: Chinese full-text search by bigrams (SQLite FTS5 / PostgreSQL)."""

from yingshang.testing.apps import ServiceUnderTest
from ys_hotline.knowledge.tokens import index_tokens, query_tokens

from .builders import BASE, People


def test_bigram_tokens() -> None:
    assert index_tokens("营业执照") == "营 业 执 照 营业 业执 执照"
    assert query_tokens("营业执照") == ["营业", "业执", "执照"]
    assert query_tokens("照") == ["照"]
    assert query_tokens("ETC 卡") == ["etc", "卡"]


async def test_search_finds_whole_word_and_part(hotline: ServiceUnderTest, people: People) -> None:
    entry = {"question": "食品经营许可证怎么办？", "answer": "先领取营业执照，再申请食品经营许可。",
             "category_code": "SCJG_FOOD"}  # fmt: skip
    created = await hotline.client.post(f"{BASE}/knowledge", json=entry, headers=people.center_head)
    assert created.status_code == 201, created.text
    for q in ("营业执照", "执照", "食品经营"):
        found = await hotline.client.get(
            f"{BASE}/knowledge/search",
            params={"q": q, "category": "SCJG_FOOD"},
            headers=people.operator,
        )
        assert [i["id"] for i in found.json()["items"]] == [created.json()["id"]], q
    missing = await hotline.client.get(
        f"{BASE}/knowledge/search", params={"q": "照营"}, headers=people.operator
    )
    assert missing.json()["items"] == []
    retired = await hotline.client.delete(
        f"{BASE}/knowledge/{created.json()['id']}", headers=people.center_head
    )
    assert retired.json()["active"] is False
    gone = await hotline.client.get(
        f"{BASE}/knowledge/search", params={"q": "食品经营"}, headers=people.operator
    )
    assert gone.json()["items"] == []
    clerk_edit = await hotline.client.post(f"{BASE}/knowledge", json=entry, headers=people.operator)
    assert clerk_edit.status_code == 403
