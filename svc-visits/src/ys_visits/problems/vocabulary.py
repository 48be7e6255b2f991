"""The words of a problem's life: states, sources, categories, stages (Chinese as staff say it)."""

from enum import StrEnum


class State(StrEnum):
    RAISED = "raised"  # 待交办
    ASSIGNED = "assigned"  # 已交办: waiting for the department head's 签收 (一把手亲自接单)
    SIGNED = "signed"  # 已签收: the department contacts the enterprise (联系), then proposes
    CONTACTED = "contacted"  # 已联系企业: the department proposes a solution
    IN_PROGRESS = "in_progress"  # 办理中: monthly progress until solved
    SOLVED = "solved"  # 已解决: awaiting the enterprise's confirmation
    CLOSED = "closed"  # 已销号


LABELS = {
    State.RAISED: "待交办",
    State.ASSIGNED: "已交办",
    State.SIGNED: "已签收",
    State.CONTACTED: "已联系企业",
    State.IN_PROGRESS: "办理中",
    State.SOLVED: "待企业确认",
    State.CLOSED: "已销号",
}


class Source(StrEnum):
    VISIT = "visit"  # 走访 (把脉问诊)
    DUTY = "duty"  # 坐班
    DIRECT = "direct"  # raised at the center
    MEETING = "meeting"  # a joint meeting's decision (联席会议), with or without an enterprise


class Category(StrEnum):
    """诉求 types the center tracks."""

    POLICY = "policy"  # 政策兑现
    FINANCING = "financing"  # 融资
    LAND = "land"  # 用地
    LABOUR = "labour"  # 用工
    APPROVAL = "approval"  # 审批服务
    INFRASTRUCTURE = "infrastructure"  # 水电路气讯
    MARKET = "market"  # 市场开拓
    LEGAL = "legal"  # 法律与权益保护
    TECHNOLOGY = "technology"  # 科技创新
    OTHER = "other"


CATEGORY_LABELS = {
    Category.POLICY: "政策兑现",
    Category.FINANCING: "融资",
    Category.LAND: "用地",
    Category.LABOUR: "用工",
    Category.APPROVAL: "审批服务",
    Category.INFRASTRUCTURE: "水电路气讯",
    Category.MARKET: "市场开拓",
    Category.LEGAL: "法律与权益保护",
    Category.TECHNOLOGY: "科技创新",
    Category.OTHER: "其他",
}


class Stage(StrEnum):
    """Timed stages of a problem, each a policy row (service ``visits``, kind ``problem``).

    The five time limits (五限时) of a matter handed to a unit's head, on a 交办单: 签收
    ``sign``; 联系 ``contact`` (the enterprise: a joint meeting's task has none to contact);
    办理 ``resolution``; 反馈 ``proposal`` (the department's first answer) and ``progress``
    (its monthly reports); 回访 ``confirmation`` (the center goes back to the enterprise)."""

    SIGN = "sign"  # 交办 → the head's 签收: 1 working day (the hotline's default)
    CONTACT = "contact"  # 签收 → first contact with the enterprise: 1 working day
    PROPOSAL = "proposal"  # 交办 → proposed solution: 7 days (DOMAIN.md default)
    RESOLUTION = "resolution"  # 交办 → solved: the assigner's date, else the policy default
    PROGRESS = "progress"  # monthly progress update (月度进展) until solved
    CONFIRMATION = "confirmation"  # solved → the enterprise's confirmation obtained


# The stages as a 交办单 meets them: 签收, 联系, 提出方案, 月度进展 (until solved), 解决, 确认 —
# the order a page lists them in (several start at the 交办 itself, so not by start time).
PROCESS_ORDER: tuple[Stage, ...] = (
    Stage.SIGN,
    Stage.CONTACT,
    Stage.PROPOSAL,
    Stage.PROGRESS,
    Stage.RESOLUTION,
    Stage.CONFIRMATION,
)


class Closure(StrEnum):
    CONFIRMED = "confirmed"  # 企业确认
    ACCEPTED = "accepted"  # 营商局确认销号: a task without an enterprise to confirm it
    OVERRIDE = "override"  # 营商局决定销号 (with a reason)


class ContactChannel(StrEnum):
    """How the department reached the enterprise (联系)."""

    PHONE = "phone"
    ON_SITE = "on_site"  # 上门
    VIDEO = "video"


class ConfirmChannel(StrEnum):
    PHONE = "phone"
    ON_SITE = "on_site"
    WRITTEN = "written"  # 书面确认
    SMS = "sms"
