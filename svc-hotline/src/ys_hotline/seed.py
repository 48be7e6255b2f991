"""Idempotent default data: departments (deploy/seed/county.yaml), the dispatch catalogue,
the 五限时 policies and (outside production) a few demo knowledge-base entries."""

import asyncio
import logging
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.db import Database
from yingshang.directory import County, read_county, seed_directory
from yingshang.settings import COUNTY_FILE
from yingshang.time.policies import seed_policies
from ys_hotline.catalogue import service as catalogue
from ys_hotline.catalogue.models import DispatchCategory
from ys_hotline.catalogue.schemas import CategoryIn
from ys_hotline.directory.service import DEPARTMENTS
from ys_hotline.knowledge import service as knowledge
from ys_hotline.knowledge.models import KnowledgeEntry
from ys_hotline.knowledge.schemas import EntryIn
from ys_hotline.policies import default_policies
from ys_hotline.settings import Settings

log = logging.getLogger("ys_hotline.seed")
SEED_ACTOR = "system:seed"


# Used only when deploy/seed/county.yaml is missing (a bare checkout of this service).
FALLBACK = County(
    departments=[
        {"code": "HOTLINE_CENTER", "name": "12345热线中心", "kind": "coordinating"},
        {"code": "BUREAU", "name": "营商环境建设局", "kind": "coordinating"},
        {
            "code": "COMPLAINTS_CENTER",
            "name": "非公有制经济发展侵权投诉中心",
            "kind": "coordinating",
        },
        {"code": "SCJGJ", "name": "市场监督管理局", "kind": "department"},
        {"code": "ZJJ", "name": "住房和城乡建设局", "kind": "department"},
        {"code": "RSJ", "name": "人力资源和社会保障局", "kind": "department"},
        {"code": "JTJ", "name": "交通运输局", "kind": "department"},
        {"code": "LONGQUAN", "name": "龙泉镇", "kind": "town"},
    ]
)

# 派单目录: (code, name, lead, co-handling, level, transfer to the complaints center)
CATALOGUE: list[tuple[str, str, str | None, list[str], str, bool]] = [
    ("SCJG_FOOD", "市场监管/食品安全", "SCJGJ", ["WJJ"], "county", False),
    ("SCJG_PRICE", "市场监管/价格收费", "SCJGJ", ["FGJ"], "county", False),
    ("SCJG_CONSUMER", "市场监管/消费维权", "SCJGJ", [], "county", False),
    ("ZJ_PROPERTY", "住房/物业管理", "ZJJ", [], "county", False),
    ("ZJ_HOUSING", "住房/房屋质量与交付", "ZJJ", ["ZRZYJ"], "county", False),
    ("RS_WAGES", "劳动保障/欠薪", "RSJ", ["ZJJ"], "county", False),
    ("RS_SOCIAL", "劳动保障/社会保险", "RSJ", ["YBJ"], "county", False),
    ("YB_MEDICAL", "医疗保障/医保报销", "YBJ", [], "county", False),
    ("JT_ROAD", "道路/交通", "JTJ", ["GAJ"], "county", False),
    ("JT_TRANSIT", "道路/公交客运", "JTJ", [], "county", False),
    ("HJ_POLLUTION", "生态环境/污染防治", "STHJJ", [], "county", False),
    ("CG_STREET", "城市管理/占道经营", "ZHZFJ", [], "county", False),
    ("SW_WATER", "水务/供水排水", "SWJ", [], "county", False),
    ("JY_SCHOOL", "教育/入学招生", "JYJ", [], "county", False),
    ("WJ_HEALTH", "卫生健康/医疗服务", "WJJ", [], "county", False),
    ("SP_SERVICE", "政务服务/审批办事", "XZSPJ", [], "county", False),
    ("NY_SUBSIDY", "农业农村/惠农补贴", "NYNCJ", ["CZJ"], "county", False),
    ("YS_POLICY", "营商环境/惠企政策", "FGJ", ["GXJ", "SHWJ"], "county", False),
    ("YS_INFRINGE", "营商环境/涉企侵权", None, [], "county", True),
    ("TOWN_VILLAGE", "乡镇/村务与环境卫生", None, [], "town", False),
]

KNOWLEDGE: list[tuple[str, str, str | None, str | None]] = [
    (
        "个体工商户如何办理营业执照？",
        "携带身份证原件、经营场所证明到县政务服务中心企业开办窗口办理，或通过贵州政务服务网"
        "在线申请营业执照，材料齐全当场办结，不收费。",
        "SP_SERVICE",
        "SCJGJ",
    ),
    (
        "营业执照遗失了怎么补领？",
        "通过国家企业信用信息公示系统发布遗失声明后，到企业开办窗口申请补领营业执照。",
        "SP_SERVICE",
        "SCJGJ",
    ),
    (
        "灵活就业人员如何缴纳城乡居民养老保险？",
        "可到户籍所在地镇乡（街道）社保服务窗口或通过贵州社保App缴费，每年1月至12月均可缴纳。",
        "RS_SOCIAL",
        "RSJ",
    ),
    (
        "异地就医如何备案报销？",
        "通过国家医保服务平台App办理异地就医备案，备案后在定点医院直接结算。",
        "YB_MEDICAL",
        "YBJ",
    ),
    (
        "被拖欠工资应该向哪里投诉？",
        "可拨打12345或到县人力资源和社会保障局劳动保障监察大队投诉，请准备劳动合同、考勤记录等证据。",
        "RS_WAGES",
        "RSJ",
    ),
]


def _county(path: Path) -> County:
    if not path.is_file():
        log.warning("seed file %s missing: using the built-in departments", path)
    return read_county(path, FALLBACK)


async def seed(
    session: AsyncSession, county_yaml: Path = COUNTY_FILE, *, demo: bool = True
) -> None:
    """Add what is missing; never overwrite what an admin changed."""
    await seed_policies(session, "hotline", default_policies())
    await seed_directory(session, await asyncio.to_thread(_county, county_yaml), DEPARTMENTS)
    known = {d.code for d in await DEPARTMENTS.listing(session) if d.active}
    if not await session.scalar(select(func.count()).select_from(DispatchCategory)):
        for code, name, lead, co, level, transfer in CATALOGUE:
            if (lead and lead not in known) or not set(co) <= known:
                continue  # a reduced department list (fallback): skip what cannot route
            body = CategoryIn(
                name=name,
                lead_department=lead,
                co_departments=co,
                level=level,
                transfer_to_complaints=transfer,
            )
            await catalogue.upsert(session, code, body, SEED_ACTOR, if_match=None)
    if demo and not await session.scalar(select(func.count()).select_from(KnowledgeEntry)):
        for question, answer, category, department in KNOWLEDGE:
            entry = EntryIn(
                question=question, answer=answer, category_code=category, department=department
            )
            await knowledge.create(session, entry, SEED_ACTOR)


async def seed_on_start(db: Database, settings: Settings) -> None:
    """The start-up seed (``yingshang.seeding``): defaults always, demo entries outside
    production."""
    async with db.write() as session:
        await seed(session, settings.county_file, demo=settings.env != "production")
