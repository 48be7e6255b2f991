"""The national template's indicator sets (GB/T 39734-2020 offline, GB/T 39735-2020 online).

Seeded as version 1 of each kind; the bureau may publish later versions through the API.
"""

from __future__ import annotations

from typing import Any

from ys_ratings.indicators.models import OFFLINE, ONLINE

NATIONAL_SETS: list[dict[str, Any]] = [
    {
        "kind": OFFLINE,
        "name": "政务服务线下评价指标(全国模板)",
        "basis": "GB/T 39734-2020",
        "indicators": [
            {"code": "overall", "name": "整体满意度"},
            {"code": "efficiency", "name": "服务效率"},
            {"code": "competence", "name": "服务水平"},
            {"code": "attitude", "name": "服务态度"},
        ],
    },
    {
        "kind": ONLINE,
        "name": "政务服务线上评价指标(全国模板)",
        "basis": "GB/T 39735-2020",
        "indicators": [
            {"code": "overall", "name": "整体满意度"},
            {"code": "efficiency", "name": "办事效率"},
            {"code": "guide_accuracy", "name": "办事指南精确度"},
            {"code": "convenience", "name": "办事便捷度"},
            {"code": "usability", "name": "平台操作性"},
        ],
    },
]

# How the 办件 was handled decides the set: online handling is rated on the online set.
ONLINE_SERVICE_CHANNELS = frozenset({"online", "web", "app", "province", "cross_province"})


def kind_for(service_channel: str | None) -> str:
    return ONLINE if service_channel in ONLINE_SERVICE_CHANNELS else OFFLINE
