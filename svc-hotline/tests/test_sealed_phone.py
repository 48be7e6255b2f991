"""The requester's phone is sealed at rest (yingshang.sealing): the row holds no phone, the
API masks and reveals it as before, the duplicate hint "same phone" still finds its tickets
through the blind index, across a change of data secret, and the migration seals the rows
written before it."""

import asyncio
from typing import Any

import pytest
from alembic import command

from yingshang import sealing
from yingshang.migrate import alembic_config
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.sealed import assert_sealed, stored
from ys_hotline.app import SERVICE_DIR
from ys_hotline.tickets.models import Ticket

from .builders import BASE, People, create

PHONE = "13812345678"
COLUMNS = ("requester_phone", "requester_phone_index")


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> Any:
    """``keys(current, *previous)``: the process's data secrets for this test only."""
    monkeypatch.setattr(sealing, "_keyring", sealing.keyring())
    return sealing.configure


async def _raw(hotline: ServiceUnderTest, number: str) -> tuple[Any, ...]:
    [row] = await stored(hotline.database_url, "hotline_tickets", *COLUMNS, where="number = :n",
                         n=number)  # fmt: skip
    return row


def _same_phone(ticket: dict[str, Any]) -> list[str]:
    return [d["id"] for d in ticket["duplicates"] if d["reason"] == "same_phone"]


async def test_the_row_holds_no_phone_and_the_api_masks_and_reveals_it(
    hotline: ServiceUnderTest, people: People
) -> None:
    c = hotline.client
    t = await create(c, people.operator, title="第一件", content="小区门口占道经营")
    phone, index = await _raw(hotline, t["number"])
    assert_sealed([(phone,)], PHONE)
    assert PHONE not in index
    assert len(index) == sealing.INDEX_LENGTH
    assert t["requester"]["phone"] == "138****5678"
    operator = await c.get(f"{BASE}/tickets/{t['id']}", headers=people.operator)
    assert operator.json()["requester"]["phone"] == PHONE  # the operators' audited read
    center = await c.get(f"{BASE}/tickets/{t['id']}", headers=people.center_head)
    assert center.json()["requester"]["phone"] == "138****5678"
    again = await create(c, people.operator, title="第二件", content="另一处路灯不亮")
    assert _same_phone(again) == [t["id"]]  # found by the blind index
    other = await create(c, people.operator, requester={"name": "李四", "phone": "13912345678"})
    assert _same_phone(other) == []


async def test_after_a_change_of_secret_old_tickets_read_and_match(
    hotline: ServiceUnderTest, people: People, keys: Any
) -> None:
    c = hotline.client
    keys("secret-of-2026")
    old = await create(c, people.operator, title="第一件", content="小区门口占道经营")
    keys("secret-of-2027", ["secret-of-2026"])
    read = await c.get(f"{BASE}/tickets/{old['id']}", headers=people.operator)
    assert read.json()["requester"]["phone"] == PHONE
    new = await create(c, people.operator, title="第二件", content="另一处路灯不亮")
    assert _same_phone(new) == [old["id"]]  # the old row's index, under the old secret
    (old_phone, old_index), (new_phone, new_index) = [
        await _raw(hotline, t["number"]) for t in (old, new)
    ]
    assert old_phone.split(".")[1] == sealing.key_id("secret-of-2026")
    assert new_phone.split(".")[1] == sealing.key_id("secret-of-2027")
    assert old_index != new_index

    async with hotline.app.state.db.write() as session:  # resealed: the old secret may go
        connection = await session.connection()
        resealed = await connection.run_sync(sealing.reseal, [Ticket.__table__])
    assert resealed == 1
    keys("secret-of-2027")
    read = await c.get(f"{BASE}/tickets/{old['id']}", headers=people.operator)
    assert read.json()["requester"]["phone"] == PHONE
    third = await create(c, people.operator, title="第三件", content="噪音扰民")
    assert sorted(_same_phone(third)) == sorted([old["id"], new["id"]])

    keys("secret-of-2028")  # a secret that never sealed them: nothing opens
    with pytest.raises(ValueError, match="no configured data secret"):
        await c.get(f"{BASE}/tickets/{old['id']}", headers=people.operator)


async def test_the_migration_seals_the_rows_written_before_it(
    hotline: ServiceUnderTest, people: People
) -> None:
    c = hotline.client
    t = await create(c, people.operator, title="第一件", content="小区门口占道经营")
    config = alembic_config(SERVICE_DIR, hotline.database_url)
    await asyncio.to_thread(command.downgrade, config, "hotline_0007")
    before = await stored(hotline.database_url, "hotline_tickets", "requester_phone")
    assert before == [(PHONE,)]  # in clear, as before the migration
    await asyncio.to_thread(command.upgrade, config, "heads")
    phone, index = await _raw(hotline, t["number"])
    assert phone.startswith(sealing.PREFIX)
    assert PHONE not in phone
    assert index == Ticket.requester_phone.type.index(PHONE)
    read = await c.get(f"{BASE}/tickets/{t['id']}", headers=people.operator)
    assert read.json()["requester"]["phone"] == PHONE
    again = await create(c, people.operator, title="第二件", content="另一处路灯不亮")
    assert _same_phone(again) == [t["id"]]
