"""The hotline's vocabulary (国办发〔2020〕53号; GB/T 33358-2016): types, sources, states."""

from enum import StrEnum


class TicketType(StrEnum):
    CONSULT = "consult"  # 咨询
    HELP = "help"  # 求助
    COMPLAINT = "complaint"  # 投诉
    REPORT = "report"  # 举报
    SUGGESTION = "suggestion"  # 意见建议
    PRAISE = "praise"  # 表扬


class Source(StrEnum):
    PHONE = "phone"  # operator on the phone (话务受理)
    WEB = "web"  # public web form
    PROVINCE = "province"  # pushed by the provincial/prefecture 12345 platform
    RATING_FOLLOWUP = "rating_followup"  # follow-up of a 差评
    CONSOLE = "console"  # entered by staff in the console


# how the timeline's 受理 entry names the channel, in the console's words (TICKET_SOURCES)
SOURCE_NAMES = {
    Source.PHONE: "电话",
    Source.WEB: "网站",
    Source.PROVINCE: "省平台",
    Source.RATING_FOLLOWUP: "差评跟进",
    Source.CONSOLE: "控制台",
}


# 回访 levels (GB/T 39734-2020: 5 非常满意 … 1 非常不满意). County rule, "基本满意就是基本不满意":
# only 满意 and 非常满意 are good; a 回访 below (1–3) may reopen the ticket.
GOOD_LEVEL = 4


def is_good(level: int) -> bool:
    return level >= GOOD_LEVEL


class Urgency(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"  # 紧急: 接诉即办


class Status(StrEnum):
    RECEIVED = "received"  # 已受理, waiting for 派单 or a direct answer
    DISPATCHED = "dispatched"  # 已派单, waiting for 签收 by the department head
    SIGNED = "signed"  # 已签收, waiting for 联系 with the requester
    HANDLING = "handling"  # 办理中
    REPLIED = "replied"  # 已回复, waiting for the center's 审核
    RETURN_REQUESTED = "return_requested"  # 退单, waiting for 派单异议审核
    CLOSED = "closed"  # 已办结, waiting for 回访
    REVISITED = "revisited"  # 已回访 (rated)
    ARCHIVED = "archived"  # 已归档
    MERGED = "merged"  # 已并单 into an earlier ticket
    TRANSFERRED = "transferred"  # 已转 the complaints center; closes when that case closes


OPEN_STATES = frozenset(
    {
        Status.RECEIVED,
        Status.DISPATCHED,
        Status.SIGNED,
        Status.HANDLING,
        Status.REPLIED,
        Status.RETURN_REQUESTED,
        Status.TRANSFERRED,
    }
)
WITH_DEPARTMENT = frozenset({Status.DISPATCHED, Status.SIGNED, Status.HANDLING})


class ExcludedMatter(StrEnum):
    """Matters 12345 does not take (国办发〔2020〕53号): refused at intake with a referral."""

    EMERGENCY = "emergency"
    LITIGATION = "litigation"
    PETITION = "petition"
    SECRET = "secret"  # noqa: S105 - 国家秘密 (a state secret), not a password


REFERRALS: dict[ExcludedMatter, tuple[str, str]] = {
    ExcludedMatter.EMERGENCY: (
        "紧急警情、火灾、急救、交通事故不属于12345受理范围",
        "请立即拨打 110 / 119 / 120 / 122",
    ),
    ExcludedMatter.LITIGATION: (
        "已进入诉讼、仲裁、行政复议程序的事项不属于12345受理范围",
        "请向受理的人民法院、仲裁机构或复议机关反映",
    ),
    ExcludedMatter.PETITION: (
        "信访事项按《信访工作条例》办理，不属于12345受理范围",
        "请向县信访局提出",
    ),
    ExcludedMatter.SECRET: (
        "涉及国家秘密的事项不属于12345受理范围",
        "请向有关保密工作部门或国家安全机关反映",
    ),
}
