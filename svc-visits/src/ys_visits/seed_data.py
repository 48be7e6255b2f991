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
        {"code": "LONGQUAN", "name": "龙泉镇", "kind": "town"},
    ],
    "halls": [
        {"code": "HALL_COUNTY", "name": "凤冈县政务服务中心大厅", "dept": "HALL"},
        {"code": "HALL_LONGQUAN", "name": "龙泉镇便民服务中心", "dept": "LONGQUAN"},
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
