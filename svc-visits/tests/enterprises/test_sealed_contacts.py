"""An enterprise's contacts are sealed at rest, the list whole (``SealedJSON``): the row holds
neither names nor phones, the API masks and reveals them as before, the migration seals the
rows written before it (its downgrade opens them), and ``python -m yingshang.sealing ys_visits``
reseals them under a new data secret."""

import asyncio
import json
import os
import subprocess
import sys
from typing import Any

import pytest
from alembic import command

from tests.builders import BASE, People, Walk, ok
from yingshang import sealing
from yingshang.migrate import alembic_config
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.sealed import assert_sealed, stored
from ys_visits.app import SERVICE_DIR

PHONE, NAME = "13512345678", "王五"


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> Any:
    """``keys(current, *previous)``: the process's data secrets for this test only."""
    monkeypatch.setattr(sealing, "_keyring", sealing.keyring())
    return sealing.configure


async def _raw_contacts(visits: ServiceUnderTest) -> list[tuple[Any, ...]]:
    return await stored(visits.database_url, "visits_enterprises", "contacts")


async def _full_contacts(visits: ServiceUnderTest, people: People, enterprise_id: str) -> Any:
    url = f"{BASE}/enterprises/{enterprise_id}/contacts"
    read = await visits.client.get(url, params={"reason": "回访企业"}, headers=people.center)
    return (await ok(read))["contacts"]


async def test_the_row_holds_neither_names_nor_phones(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    enterprise = await walk.enterprise()
    assert_sealed(await _raw_contacts(visits), PHONE, NAME, "总经理")
    assert enterprise["contacts"] == [{"name": NAME, "title": "总经理", "phone": "135****5678"}]
    full = await _full_contacts(visits, people, enterprise["id"])
    assert full == [{"name": NAME, "title": "总经理", "phone": PHONE}]


async def test_the_migration_seals_the_contacts_written_before_it(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    enterprise = await walk.enterprise()
    config = alembic_config(SERVICE_DIR, visits.database_url)
    await asyncio.to_thread(command.downgrade, config, "visits_0008")
    [(before,)] = await _raw_contacts(visits)
    clear = before if isinstance(before, list) else json.loads(before)  # PostgreSQL: JSON
    assert clear == [{"name": NAME, "title": "总经理", "phone": PHONE}]  # the downgrade opened it
    await asyncio.to_thread(command.upgrade, config, "heads")
    assert_sealed(await _raw_contacts(visits), PHONE, NAME)
    full = await _full_contacts(visits, people, enterprise["id"])
    assert full[0]["phone"] == PHONE


async def test_the_reseal_command_moves_them_to_the_new_secret(
    visits: ServiceUnderTest, people: People, walk: Walk, keys: Any
) -> None:
    keys("secret-of-2026")
    enterprise = await walk.enterprise()
    keys("secret-of-2027", ["secret-of-2026"])
    env = {
        **os.environ,
        "YS_DATA_SECRET": "secret-of-2027",
        "YS_DATA_SECRETS_PREVIOUS": '["secret-of-2026"]',
        "YS_VISITS_DATABASE_URL": visits.database_url,
    }
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "yingshang.sealing", "ys_visits"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "visits_enterprises" in done.stdout
    [(contacts,)] = await _raw_contacts(visits)
    assert contacts.split(".")[1] == sealing.key_id("secret-of-2027")
    keys("secret-of-2027")  # the old secret dropped: the contacts still open
    full = await _full_contacts(visits, people, enterprise["id"])
    assert full[0]["phone"] == PHONE
