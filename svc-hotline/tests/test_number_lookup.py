"""案件查询: staff find a ticket by its exact 工单编号 in the list, as they may see it."""

from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.lookup import as_typed, found_by_number

from .builders import BASE, People, create, step


async def test_a_ticket_is_found_by_its_number_as_typed(
    hotline: ServiceUnderTest, people: People
) -> None:
    c = hotline.client
    ticket = await step(c, await create(c, people.operator), "dispatch", people.operator)
    other = await create(c, people.operator)
    typed = as_typed(ticket["number"])
    for headers in (people.operator, people.staff("SCJGJ")):
        assert await found_by_number(hotline, f"{BASE}/tickets", typed, headers) == [ticket["id"]]
    mine = await found_by_number(hotline, f"{BASE}/tickets", other["number"], people.operator)
    assert mine == [other["id"]]
    # not a longer number, not another department's ticket, not an unknown one
    assert (
        await found_by_number(hotline, f"{BASE}/tickets", ticket["number"] + "0", people.operator)
        == []
    )
    assert (
        await found_by_number(hotline, f"{BASE}/tickets", ticket["number"], people.staff("ZJJ"))
        == []
    )
    assert (
        await found_by_number(hotline, f"{BASE}/tickets", "RX20261126-99999", people.operator) == []
    )


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
