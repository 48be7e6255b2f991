"""Built-in organisation (used only without deploy/seed/county.yaml) and fictional demo data."""

from typing import Any

FALLBACK_COUNTY: dict[str, list[dict[str, Any]]] = {
    "departments": [
        {"code": "ENTERPRISE_CENTER", "name": "非公有制经济服务中心", "kind": "coordinating"},
        {"code": "BUREAU", "name": "营商环境建设局", "kind": "coordinating"},
        {"code": "COMMITTEE", "name": "营商环境建设委员会", "kind": "coordinating"},
        {"code": "HALL", "name": "政务服务中心", "kind": "coordinating"},
        {"code": "FGJ", "name": "发展和改革局", "kind": "department"},
        {"code": "GXJ", "name": "工业和信息化局", "kind": "department"},
        {"code": "SCJGJ", "name": "市场监督管理局", "kind": "department"},
        {"code": "ZRZYJ", "name": "自然资源局", "kind": "department"},
        {"code": "RSJ", "name": "人力资源和社会保障局", "kind": "department"},
        {"code": "GAJ", "name": "公安局", "kind": "department"},
        {"code": "KJJ", "name": "科技局", "kind": "department"},
        {"code": "SFJ", "name": "司法局", "kind": "department"},
        {"code": "CZJ", "name": "财政局", "kind": "department"},
        {"code": "ZJJ", "name": "住房和城乡建设局", "kind": "department"},
        {"code": "SWJ", "name": "水务局", "kind": "department"},
        {"code": "SHWJ", "name": "商务局", "kind": "department"},
        {"code": "XZSPJ", "name": "行政审批服务局", "kind": "department"},
        {"code": "ZHZFJ", "name": "综合行政执法局", "kind": "department"},
        {"code": "TAX", "name": "国家税务总局凤冈县税务局", "kind": "department"},
        {"code": "LONGQUAN", "name": "龙泉镇", "kind": "town"},
    ],
    "halls": [
        {"code": "HALL_COUNTY", "name": "凤冈县政务服务中心大厅", "dept": "HALL"},
        {"code": "HALL_LONGQUAN", "name": "龙泉镇便民服务中心", "dept": "LONGQUAN"},
    ],
    # the demo people the demo pairings and indicators name by 工号
    "people": [
        {"username": "scjg_head", "name": "冯涛", "staff_no": "SC5000"},
        {"username": "zjj_head", "name": "许刚", "staff_no": "ZJ5100"},
        {"username": "fgj_head", "name": "彭勇", "staff_no": "FG5200"},
        {"username": "xzsp_head", "name": "田宇", "staff_no": "SP5300"},
        {"username": "rsj_head", "name": "潘云", "staff_no": "RS5400"},
    ],
}

# Fictional enterprises (valid GB 32100 check characters) and pairings for `make run`.
PARK = "彰教工业园区"
DEMO_ENTERPRISES: list[dict[str, Any]] = [
    {
        "name": "凤冈县绿源茶业有限公司", "uscc": "91520327MA6DM8Q41N", "industry": "茶叶加工",
        "park": PARK, "scale": "above_scale", "address": "凤冈县龙泉镇彰教工业园区1号",
        "tags": ["龙头企业"],
        "contacts": [{"name": "王五", "title": "总经理", "phone": "13512345678"}],
    },
    {
        "name": "凤冈县锌硒农产品开发有限公司", "uscc": "91520327MA6E0T1X23",
        "industry": "农产品加工", "park": PARK, "scale": "above_scale", "tags": ["配套企业"],
        "contacts": [{"name": "李梅", "title": "办公室主任", "phone": "13698765432"}],
    },
    {
        "name": "凤冈县黔北建材有限公司", "uscc": "91520327MA6F2K8L34", "industry": "建材",
        "park": PARK, "scale": "other",
        "contacts": [{"name": "赵强", "title": "厂长", "phone": "13787654321"}],
    },
    {
        "name": "凤冈县龙泉商贸有限公司", "uscc": "91520327MA6G5P9R4Q", "industry": "批发零售",
        "scale": "above_limit",
        "contacts": [{"name": "孙丽", "title": "经理", "phone": "13887651234"}],
    },
]  # fmt: skip
DEMO_PAIRINGS: list[dict[str, Any]] = [
    {"uscc": "91520327MA6DM8Q41N", "leader_name": "王志明", "leader_title": "副县长",
     "leader_rank": "county_leader", "department": "GXJ"},
    {"uscc": "91520327MA6E0T1X23", "leader_name": "彭勇", "leader_staff_no": "FG5200",
     "leader_title": "发展和改革局局长", "leader_rank": "department_cadre", "department": "FGJ"},
    {"uscc": "91520327MA6F2K8L34", "leader_name": "王志明", "leader_title": "副县长",
     "leader_rank": "county_leader", "department": "ZRZYJ"},
]  # fmt: skip

# The national business-environment evaluation's indicators, in its order, each with a lead
# unit of the county (deploy/seed/county.yaml) and an owner (指标长): the unit's head where the
# demo directory has one (with their 工号), else a fictional head.
Owner = tuple[str, str | None, str]  # name, 工号, title


def _indicator(
    code: str, name: str, lead: str, co: list[str], owner: Owner, **target: Any
) -> dict[str, Any]:
    owner_name, staff_no, title = owner
    return {
        "code": code, "name": name, "lead_department": lead, "co_departments": co,
        "owner_name": owner_name, "owner_staff_no": staff_no, "owner_title": title, **target,
    }  # fmt: skip


SCJG = ("冯涛", "SC5000", "市场监督管理局局长")
ZJ = ("许刚", "ZJ5100", "住房和城乡建设局局长")
FG = ("彭勇", "FG5200", "发展和改革局局长")
SP = ("田宇", "SP5300", "行政审批服务局局长")
RS = ("潘云", "RS5400", "人力资源和社会保障局局长")
CZ = ("安静", None, "财政局局长")
SF = ("敖雪", None, "司法局局长")
DEMO_INDICATORS: list[dict[str, Any]] = [
    _indicator("STARTING_BUSINESS", "开办企业", "SCJGJ", ["XZSPJ", "TAX", "GAJ", "RSJ"], SCJG,
               target="企业开办全流程 1 个工作日内办结", target_value=1, target_unit="工作日"),
    _indicator("CONSTRUCTION_PERMITS", "办理建筑许可", "ZJJ", ["ZRZYJ", "XZSPJ"], ZJ,
               target="工程建设项目审批全流程压缩至 60 个工作日以内", target_value=60,
               target_unit="工作日"),
    _indicator("GETTING_ELECTRICITY", "获得电力", "GXJ", ["FGJ", "ZRZYJ"],
               ("杨帆", None, "工业和信息化局局长"),
               target="低压小微企业办电零上门、零审批、零投资"),
    _indicator("WATER_AND_GAS", "获得用水用气", "SWJ", ["ZJJ"], ("龙飞", None, "水务局局长"),
               target="用水用气报装 4 个工作日内办结", target_value=4, target_unit="工作日"),
    _indicator("REGISTERING_PROPERTY", "登记财产", "ZRZYJ", ["TAX", "ZJJ"],
               ("冉俊", None, "自然资源局局长"),
               target="一般不动产登记 3 个工作日内办结", target_value=3, target_unit="工作日"),
    _indicator("GETTING_CREDIT", "获得信贷", "CZJ", ["FGJ", "GXJ"], CZ,
               target="普惠小微贷款增速不低于各项贷款增速"),
    _indicator("PROTECTING_INVESTORS", "保护中小投资者", "SCJGJ", ["SFJ"], SCJG),
    _indicator("PAYING_TAXES", "纳税", "TAX", ["CZJ"], ("陈立", None, "税务局局长"),
               target="年纳税时间压缩至 100 小时以内", target_value=100, target_unit="小时"),
    _indicator("TRADING_ACROSS_BORDERS", "跨境贸易", "SHWJ", [], ("黎明", None, "商务局局长")),
    _indicator("ENFORCING_CONTRACTS", "执行合同", "SFJ", [], SF),
    _indicator("RESOLVING_INSOLVENCY", "办理破产", "SFJ", ["CZJ", "RSJ"], SF),
    _indicator("LABOUR_MARKET", "劳动力市场监管", "RSJ", [], RS),
    _indicator("GOVERNMENT_PROCUREMENT", "政府采购", "CZJ", [], CZ,
               target="政府采购项目全流程电子化"),
    _indicator("BIDDING", "招标投标", "FGJ", ["XZSPJ"], FG, target="招标投标全流程电子化"),
    _indicator("GOVERNMENT_SERVICES", "政务服务", "XZSPJ", ["HALL"], SP,
               target="政务服务事项网上可办率不低于 95%", target_value=95, target_unit="%"),
    _indicator("INTELLECTUAL_PROPERTY", "知识产权创造、保护和运用", "SCJGJ", ["KJJ"], SCJG),
    _indicator("MARKET_REGULATION", "市场监管", "SCJGJ", ["ZHZFJ"], SCJG,
               target="“双随机、一公开”监管覆盖率 100%", target_value=100, target_unit="%"),
    _indicator("INCLUSIVE_INNOVATION", "包容普惠创新", "FGJ", ["KJJ", "GXJ"], FG),
]  # fmt: skip
