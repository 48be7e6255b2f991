"""``make pg-create``: create one PostgreSQL database per service (``ys_gateway``, ...).

Prints the ``YS_<SERVICE>_DATABASE_URL`` lines that point ``make run`` at them.

    python scripts/pg_create.py [--url postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import tomllib
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]

from yingshang.testing.databases import with_database

ROOT = Path(__file__).resolve().parents[1]


def service_names() -> list[str]:
    plan = tomllib.loads((ROOT / "deploy" / "services.toml").read_text(encoding="utf-8"))
    return [service["name"] for service in plan["service"]]


async def create(url: str, names: list[str]) -> None:
    conn = await asyncpg.connect(url)
    try:
        existing = {r["datname"] for r in await conn.fetch("SELECT datname FROM pg_database")}
        for name in names:
            database = f"ys_{name}"
            if database in existing:
                print(f"{database}: exists")
            else:
                await conn.execute(f'CREATE DATABASE "{database}"')
                print(f"{database}: created")
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    names = service_names()
    asyncio.run(create(args.url, names))
    print("\nTo run on them: export these, then `make run` (migrations run at start):")
    for name in names:
        print(f"export YS_{name.upper()}_DATABASE_URL={with_database(args.url, f'ys_{name}')}")


if __name__ == "__main__":
    main()
