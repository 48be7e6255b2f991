"""Words (zh-CN) staff read for codes that several services share.

A background component acts as ``system:<component>`` (:func:`yingshang.cases.rules.
system_actor`); timelines, notes and audit pages name it as :data:`SYSTEM_NAMES` says, never
by its code. The five rating levels (GB/T 39734-2020) are named once here for every service
that writes them into a note.
"""

from __future__ import annotations

SYSTEM = "系统"

SYSTEM_NAMES: dict[str, str] = {
    "deadline-sweeper": "系统（时限监控）",
    "hotline": "系统（12345热线）",
    "hotline-transfer": "系统（12345热线转办）",
    "approvals": "系统（政务服务）",
    "complaints": "系统（涉企投诉）",
    "visits": "系统（走访挂帮）",
    "ratings": "系统（好差评）",
    "gateway": SYSTEM,
    "enterprise": "投诉企业（凭查询码）",
    "seed": "系统（初始数据）",
    "bootstrap": "系统（初始化）",
    "calendar-file": "系统（节假日数据）",
    "key-rotation": "系统（密钥轮换）",
}

RATING_LEVELS: dict[int, str] = {
    5: "非常满意",
    4: "满意",
    3: "基本满意",
    2: "不满意",
    1: "非常不满意",
}


def system_name(actor: str) -> str | None:
    """How staff read a background component (``system:<component>`` or the bare component):
    its name in :data:`SYSTEM_NAMES`, else 系统. ``None`` for anyone else (a person's sub)."""
    if not actor.startswith("system:"):
        return None
    return SYSTEM_NAMES.get(actor.removeprefix("system:"), SYSTEM)


def rating_level(level: int) -> str:
    """A rating level in words: 5 → 非常满意."""
    return RATING_LEVELS.get(level, f"{level} 级")
