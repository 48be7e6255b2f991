"""The words of a complaint case: states, categories, excluded matters, sources.

Categories and exclusions follow DOMAIN.md ("Enterprise complaints"): the accepted list plus
"other"; matters in litigation, arbitration, 复议 or 信访 and civil disputes between
enterprises are not accepted (answered with the reason and where to go instead).
"""

from enum import StrEnum

NUMBER_PREFIX = "TS"  # 投诉: TS20261126-00042


class State(StrEnum):
    REGISTERED = "registered"  # 已登记: awaiting the acceptance decision (受理决定)
    NOT_ACCEPTED = "not_accepted"  # 不予受理: answered with reason and referral
    ACCEPTED = "accepted"  # 已受理
    ASSIGNED = "assigned"  # 已交办 to the responsible unit (责任单位)
    INVESTIGATING = "investigating"  # 调查核实中
    REPLIED = "replied"  # 责任单位已答复: the center reviews (审核)
    RESOLVED = "resolved"  # 已反馈: the result went to the enterprise; it confirms or disputes
    DISPUTED = "disputed"  # 企业有异议: 回访 + 督办 (L2, the bureau)
    REVISITED = "revisited"  # 已回访: the center decides to reopen or close
    CLOSED = "closed"  # 已办结: anti-retaliation check-back (回访核查) pending
    CHECKED_BACK = "checked_back"  # 已回访核查: the case is over


LABELS = {
    State.REGISTERED: "已登记",
    State.NOT_ACCEPTED: "不予受理",
    State.ACCEPTED: "已受理",
    State.ASSIGNED: "已交办",
    State.INVESTIGATING: "调查核实中",
    State.REPLIED: "已答复待审核",
    State.RESOLVED: "已反馈待确认",
    State.DISPUTED: "企业有异议",
    State.REVISITED: "已回访",
    State.CLOSED: "已办结",
    State.CHECKED_BACK: "已回访核查",
}
OPEN_STATES = frozenset(State) - {State.NOT_ACCEPTED, State.CLOSED, State.CHECKED_BACK}
# What the enterprise's tracking page calls a case handled again after its dispute (重新交办):
# not the 已交办 it read before the result.
REDO_STATES = frozenset({State.ASSIGNED, State.INVESTIGATING, State.REPLIED})
REOPENED_LABEL = "已重新交办"


def public_label(state: State, dispute_count: int) -> str:
    """The state as the enterprise reads it (public tracking)."""
    return REOPENED_LABEL if dispute_count and state in REDO_STATES else LABELS[state]


class Category(StrEnum):
    IMPROPER_ENFORCEMENT = "improper_enforcement"
    APPROVAL_DELAY = "approval_delay"
    ARBITRARY_CHARGES = "arbitrary_charges"
    FORCED_PURCHASE = "forced_purchase"
    INACTION = "inaction"
    POLICY_NOT_DELIVERED = "policy_not_delivered"
    UNPAID_BILLS = "unpaid_bills"
    FORCED_PARTICIPATION = "forced_participation"
    OTHER = "other"


CATEGORY_LABELS = {
    Category.IMPROPER_ENFORCEMENT: "不当执法造成损失",
    Category.APPROVAL_DELAY: "审批中推诿拖延、吃拿卡要",
    Category.ARBITRARY_CHARGES: "乱收费、乱罚款、乱摊派",
    Category.FORCED_PURCHASE: "强制购买、指定供应商",
    Category.INACTION: "不作为",
    Category.POLICY_NOT_DELIVERED: "惠企政策不兑现",
    Category.UNPAID_BILLS: "拖欠企业账款",
    Category.FORCED_PARTICIPATION: "强制参加评比、培训、订阅",
    Category.OTHER: "其他",
}


class Exclusion(StrEnum):
    """Why a matter is not accepted (不予受理), each with the route the enterprise is given."""

    LITIGATION = "litigation"
    ARBITRATION = "arbitration"
    RECONSIDERATION = "reconsideration"  # 行政复议
    PETITION = "petition"  # 信访
    CIVIL_DISPUTE = "civil_dispute"  # 企业之间的民事纠纷
    NOT_INFRINGEMENT = "not_infringement"  # no public body's infringement at all


EXCLUSION_LABELS = {
    Exclusion.LITIGATION: "已进入诉讼程序",
    Exclusion.ARBITRATION: "已进入仲裁程序",
    Exclusion.RECONSIDERATION: "已申请行政复议",
    Exclusion.PETITION: "已通过信访渠道处理",
    Exclusion.CIVIL_DISPUTE: "企业之间的民事纠纷",
    Exclusion.NOT_INFRINGEMENT: "不属于公职机构侵权事项",
}


class Source(StrEnum):
    WEB = "web"  # entered by the center from its web channel / console
    HOTLINE = "hotline"  # transferred from 12345 (linked ticket)
    PROVINCE = "province"  # the provincial platform pushed it
    PUBLIC_FORM = "public_form"  # the public web form, no account
    WALK_IN = "walk_in"  # 来访 at the center
    PHONE = "phone"  # 来电: phoned in to the center
    INSPECTION = "inspection"  # found by an undercover inspection (暗访)


# Channel of the 好差评 rating invitation (contract: ``completed.channel``).
CHANNELS = {
    Source.WEB: "web",
    Source.HOTLINE: "hotline",
    Source.PROVINCE: "online",
    Source.PUBLIC_FORM: "web",
    Source.WALK_IN: "window",
    Source.PHONE: "phone",
    Source.INSPECTION: "window",
}


class Verdict(StrEnum):
    """The enterprise's answer to the result (企业确认 / 有异议)."""

    CONFIRMED = "confirmed"
    DISPUTED = "disputed"


class NoteKind(StrEnum):
    INVESTIGATION = "investigation"  # 调查核实 by the responsible unit
    REPLY = "reply"  # 答复 of the responsible unit
    REVIEW = "review"  # the center sent the reply back (审核退回)
    RESULT = "result"  # 反馈: what the enterprise is told (public)
    DECISION = "decision"  # 受理 / 不予受理 answer (public)
    DISPUTE = "dispute"  # the enterprise's objection
    REVISIT = "revisit"  # 回访 by the center (center only)
    CHECKBACK = "checkback"  # anti-retaliation check-back (center only)
    URGE = "urge"  # 催办 / 督办
    PROGRESS = "progress"  # 进展告知: the course after a dispute, told to the enterprise (public)


PUBLIC_NOTES = frozenset({NoteKind.RESULT, NoteKind.DECISION, NoteKind.PROGRESS})
CENTER_ONLY_NOTES = frozenset({NoteKind.REVISIT, NoteKind.CHECKBACK})
