"""Idempotent default data: departments and towns (deploy/seed/county.yaml), the time-limit
policies and the enforcement-mix targets. Never overwrites what an admin changed."""

import asyncio
import logging
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.db import Database
from yingshang.directory import County, read_county, seed_directory
from yingshang.settings import COUNTY_FILE
from yingshang.time.policies import seed_policies
from ys_complaints.directory.service import DEPARTMENTS
from ys_complaints.enforcement import service as enforcement
from ys_complaints.policies import default_policies
from ys_complaints.settings import Settings

log = logging.getLogger("ys_complaints.seed")

# Used only when deploy/seed/county.yaml is missing (a bare checkout of this service).
FALLBACK = County(
    departments=[
        {
            "code": "COMPLAINTS_CENTER",
            "name": "非公有制经济发展侵权投诉中心",
            "kind": "coordinating",
        },
        {"code": "BUREAU", "name": "营商环境建设局", "kind": "coordinating"},
        {"code": "COMMITTEE", "name": "营商环境建设委员会", "kind": "coordinating"},
        {"code": "SCJGJ", "name": "市场监督管理局", "kind": "department"},
        {"code": "ZJJ", "name": "住房和城乡建设局", "kind": "department"},
        {"code": "XZSPJ", "name": "行政审批服务局", "kind": "department"},
        {"code": "ZHZFJ", "name": "综合行政执法局", "kind": "department"},
        {"code": "LONGQUAN", "name": "龙泉镇", "kind": "town"},
    ]
)


def read_departments(path: Path) -> County:
    if not path.is_file():
        log.warning("seed file %s missing: using the built-in departments", path)
    return read_county(path, FALLBACK)


async def seed(session: AsyncSession, county_yaml: Path = COUNTY_FILE) -> None:
    """Add what is missing."""
    await seed_policies(session, "complaints", default_policies())
    await seed_directory(
        session, await asyncio.to_thread(read_departments, county_yaml), DEPARTMENTS
    )
    await enforcement.ensure_targets(session)


async def seed_on_start(db: Database, settings: Settings) -> None:
    """The start-up seed (``yingshang.seeding``): departments, policies and enforcement targets
    are not demo data, so production seeds them too."""
    async with db.write() as session:
        await seed(session, settings.county_file)
