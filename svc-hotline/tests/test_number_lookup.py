"""案件查询: staff find a ticket by its exact 工单编号 in the list, as they may see it."""

from typing import Any

from yingshang.testing.apps import ServiceUnderTest

from .builders import BASE, People, create, step


def full_width(number: str) -> str:
    """The number as a Chinese input method may type it: full-width, lower-case."""
    return "".join(chr(ord(c) + 0xFEE0) for c in number.lower())


async def by_number(
    hotline: ServiceUnderTest, number: str, headers: dict[str, str]
) -> list[dict[str, Any]]:
    r = await hotline.client.get(f"{BASE}/tickets", params={"number": number}, headers=headers)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


async def test_a_ticket_is_found_by_its_number_as_typed(
    hotline: ServiceUnderTest, people: People
) -> None:
    c = hotline.client
    ticket = await step(c, await create(c, people.operator), "dispatch", people.operator)
    other = await create(c, people.operator)
    typed = f"  {full_width(ticket['number'])} "
    for headers in (people.operator, people.staff("SCJGJ")):
        assert [t["id"] for t in await by_number(hotline, typed, headers)] == [ticket["id"]]
    assert [t["id"] for t in await by_number(hotline, other["number"], people.operator)] == [
        other["id"]
    ]
    # not a longer number, not another department's ticket, not an unknown one
    assert await by_number(hotline, ticket["number"] + "0", people.operator) == []
    assert await by_number(hotline, ticket["number"], people.staff("ZJJ")) == []
    assert await by_number(hotline, "RX20261126-99999", people.operator) == []


async def test_a_malformed_number_is_a_422_problem(
    hotline: ServiceUnderTest, people: People
) -> None:
    for wrong in ("RX2026", "TS20261126-00042", "RX20261126-00042; --", "工单"):
        r = await hotline.client.get(
            f"{BASE}/tickets", params={"number": wrong}, headers=people.operator
        )
        assert r.status_code == 422, (wrong, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "编号格式不正确" in r.text
