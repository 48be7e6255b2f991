"""The contact's phone is sealed at rest (yingshang.sealing): the row holds no phone, the center
reads it in full and others masked as before, the center's search by phone still finds the
case through the blind index, and the migration seals the rows written before it."""

import asyncio
from typing import Any

from alembic import command

from tests.builders import BASE, ENTERPRISE, People, register
from yingshang import sealing
from yingshang.migrate import alembic_config
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.sealed import assert_sealed, stored
from ys_complaints.app import SERVICE_DIR
from ys_complaints.cases.models import PHONE as SEALED

PHONE = ENTERPRISE["contact_phone"]
COLUMNS = ("contact_phone", "contact_phone_index")


async def _raw(sut: ServiceUnderTest, number: str) -> tuple[Any, ...]:
    [row] = await stored(sut.database_url, "complaints_cases", *COLUMNS, where="number = :n",
                         n=number)  # fmt: skip
    return row


async def _found(sut: ServiceUnderTest, people: People, phone: str) -> list[str]:
    listed = await sut.client.get(f"{BASE}/cases", params={"phone": phone}, headers=people.officer)
    assert listed.status_code == 200, listed.text
    return [item["id"] for item in listed.json()["items"]]


async def test_the_row_holds_no_phone_and_the_center_still_finds_the_case_by_it(
    complaints: ServiceUnderTest, people: People
) -> None:
    case = await register(complaints.client, people.clerk)
    phone, index = await _raw(complaints, case["number"])
    assert_sealed([(phone,)], PHONE)
    assert index == SEALED.index(PHONE)
    assert PHONE not in index
    assert case["enterprise"]["contact_phone"] == "135****5678"
    read = await complaints.client.get(f"{BASE}/cases/{case['id']}", headers=people.officer)
    assert read.json()["enterprise"]["contact_phone"] == PHONE
    assert await _found(complaints, people, PHONE) == [case["id"]]
    assert await _found(complaints, people, "13900000000") == []


async def test_the_migration_seals_the_rows_written_before_it(
    complaints: ServiceUnderTest, people: People
) -> None:
    case = await register(complaints.client, people.clerk)
    config = alembic_config(SERVICE_DIR, complaints.database_url)
    await asyncio.to_thread(command.downgrade, config, "complaints_0002")
    before = await stored(complaints.database_url, "complaints_cases", "contact_phone")
    assert before == [(PHONE,)]  # in clear, as before the migration
    await asyncio.to_thread(command.upgrade, config, "heads")
    phone, index = await _raw(complaints, case["number"])
    assert phone.startswith(sealing.PREFIX)
    assert PHONE not in phone
    assert index == SEALED.index(PHONE)
    assert await _found(complaints, people, PHONE) == [case["id"]]
    read = await complaints.client.get(f"{BASE}/cases/{case['id']}", headers=people.officer)
    assert read.json()["enterprise"]["contact_phone"] == PHONE
