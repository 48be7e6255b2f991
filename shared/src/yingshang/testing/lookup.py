"""案件查询 in tests: a case number as staff type or paste it, and what a staff list finds by
its exact ``?number=``."""

from __future__ import annotations

from yingshang.testing.apps import ServiceUnderTest


def as_typed(number: str) -> str:
    """``number`` as a Chinese input method may give it: full-width, lower case, spaces around."""
    return " " + "".join(chr(ord(c) + 0xFEE0) for c in number.lower()) + " "


async def found_by_number(
    sut: ServiceUnderTest, url: str, number: str, headers: dict[str, str]
) -> list[str]:
    """The ids the list at ``url`` answers ``?number=number`` with (it must answer 200)."""
    r = await sut.client.get(url, params={"number": number}, headers=headers)
    assert r.status_code == 200, r.text
    return [item["id"] for item in r.json()["items"]]
