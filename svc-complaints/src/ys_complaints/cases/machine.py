"""The flow of a complaint case as data (DOMAIN.md, "Enterprise complaints").

登记 → 受理决定 (accept / 不予受理 with reason and referral) → 交办 the responsible unit →
调查核实 (notes) → the unit's 答复 → the center's 审核 (send back, or 反馈 the result to the
enterprise) → the enterprise confirms (办结) or disputes → 回访 + 督办 (L2 bureau) → reopen or
close → after the policy period, the anti-retaliation check-back (回访核查).

The center's part (受理决定, 交办, 审核, 反馈, 回访, reopen, close, 回访核查, recording the
enterprise's answers) is taken at the case's handling center (``access.handling_center``):
the center, or the bureau on a case against the center itself — never by a party to the case.

``CLOCKS`` says which timed stages (policies as rows, ``yingshang.time``) each step starts,
completes or cancels; ``EXTRA_EVENTS`` the events a step publishes besides its own.
"""

from dataclasses import dataclass
from enum import StrEnum

from yingshang.cases.rules import Rule, any_of, of_case, roles, system
from yingshang.cases.statemachine import StateMachine, Step, Transition
from yingshang.time import DEADLINE_TIMELINE
from ys_complaints.access import DECIDERS, OVERSIGHT, at_handling_center, not_party_to
from ys_complaints.cases.models import CASE_KIND, ComplaintCase
from ys_complaints.cases.vocabulary import LABELS
from ys_complaints.cases.vocabulary import State as S

SERVICE = "complaints"
# The center's people; the bureau's on a case against the center (``access.handling_center``).
CENTER_PEOPLE = at_handling_center("clerk", "staff", "head")
CENTER_DECIDERS = at_handling_center(*DECIDERS)
# The center's own work on a case is never done by a person of the unit the case is against
# or handled by, whatever center post they also hold (交叉挂职): no one decides, reviews or
# closes a complaint about their own unit, nor calls the enterprise that complained about it
# (on a complaint about the center: neither the center's people, nor a bureau member also
# posted to the center).
CENTER_ANY = not_party_to(CENTER_PEOPLE)  # 回访, 回访核查, records the enterprise's answers
CENTER_DECIDES = not_party_to(CENTER_DECIDERS)  # 受理决定, 交办, 审核, reopen, close
UNIT = of_case("staff", "head")  # the responsible unit (``case.department``)
UNIT_HEAD = of_case("head")  # its head (一把手) signs the reply
# The enterprise answers through the public page (a system actor) or by telling the center.
ENTERPRISE = any_of(CENTER_ANY, system())
# 催办 / 督办: the handling center's deciders and oversight (the center does not urge a case
# against itself).
SUPERVISORS = any_of(CENTER_DECIDERS, roles("staff", "head", depts=OVERSIGHT))


class Stage(StrEnum):
    """Timed stages, each a policy row (service ``complaints``, kind ``case``)."""

    ACCEPTANCE = "acceptance"  # 受理决定: 3 wd
    REPLY = "reply"  # the responsible unit replies: 15 wd
    FEEDBACK = "feedback"  # the result to the enterprise: 5 wd after the reply
    SUPERVISION = "supervision"  # 督办 after a dispute
    CHECKBACK = "checkback"  # anti-retaliation check-back, once the waiting period is over


CHECKBACK_WAIT = "checkback_wait"  # policy row only: the period after closure (30 days)


def _t(
    name: str, label: str, sources: set[S], target: S, who: Rule[ComplaintCase], **kw: object
) -> Transition[ComplaintCase]:  # type: ignore[type-var]  # Mapped columns, see MACHINE
    return Transition(name, frozenset(sources), target.value, who, label=label, **kw)  # type: ignore[type-var, arg-type]


AT_UNIT = {S.ASSIGNED, S.INVESTIGATING}
TRANSITIONS = (
    _t("accept", "受理", {S.REGISTERED}, S.ACCEPTED, CENTER_DECIDES, event="accepted"),
    _t("reject", "不予受理", {S.REGISTERED}, S.NOT_ACCEPTED, CENTER_DECIDES, event="rejected",
       note_required=True),
    _t("assign", "交办", {S.ACCEPTED}, S.ASSIGNED, CENTER_DECIDES, event="assigned"),
    _t("investigate", "调查核实", AT_UNIT, S.INVESTIGATING, UNIT, event="investigated",
       note_required=True),
    _t("reply", "答复", {S.INVESTIGATING}, S.REPLIED, UNIT_HEAD, event="replied"),
    _t("send_back", "审核退回", {S.REPLIED}, S.INVESTIGATING, CENTER_DECIDES, event="sent_back",
       note_required=True),
    _t("resolve", "反馈结果", {S.REPLIED}, S.RESOLVED, CENTER_DECIDES, event="resolved"),
    _t("confirm", "企业确认", {S.RESOLVED}, S.CLOSED, ENTERPRISE, event="closed"),
    _t("dispute", "企业有异议", {S.RESOLVED}, S.DISPUTED, ENTERPRISE, event="disputed",
       note_required=True),
    _t("revisit", "回访", {S.DISPUTED}, S.REVISITED, CENTER_ANY, event="revisited",
       note_required=True),
    _t("reopen", "重新交办", {S.REVISITED}, S.ASSIGNED, CENTER_DECIDES, event="reopened",
       note_required=True),
    _t("close", "办结", {S.REVISITED}, S.CLOSED, CENTER_DECIDES, event="closed",
       note_required=True),
    _t("check_back", "回访核查", {S.CLOSED}, S.CHECKED_BACK, CENTER_ANY, event="checked_back",
       note_required=True),
)  # fmt: skip

# Mapped[...] columns do not satisfy the kit's CaseLike protocol under mypy; ComplaintCase
# has id, state and version all the same.
MACHINE: StateMachine[ComplaintCase] = StateMachine(  # type: ignore[type-var]
    service=SERVICE,
    kind=CASE_KIND,
    states=tuple(s.value for s in S),
    initial=S.REGISTERED.value,
    transitions=TRANSITIONS,
    final=frozenset({S.NOT_ACCEPTED.value, S.CHECKED_BACK.value}),
    labels={s.value: text for s, text in LABELS.items()},
)


@dataclass(frozen=True)
class Clocks:
    starts: tuple[Stage, ...] = ()
    completes: tuple[Stage, ...] = ()
    cancels: tuple[Stage, ...] = ()


CLOCKS: dict[str, Clocks] = {
    "accept": Clocks(completes=(Stage.ACCEPTANCE,)),
    "reject": Clocks(completes=(Stage.ACCEPTANCE,)),
    "assign": Clocks(starts=(Stage.REPLY,)),
    "reply": Clocks(completes=(Stage.REPLY,), starts=(Stage.FEEDBACK,)),
    "send_back": Clocks(cancels=(Stage.FEEDBACK,), starts=(Stage.REPLY,)),
    "resolve": Clocks(completes=(Stage.FEEDBACK,)),
    "confirm": Clocks(starts=(Stage.CHECKBACK,)),
    "dispute": Clocks(starts=(Stage.SUPERVISION,)),
    "reopen": Clocks(completes=(Stage.SUPERVISION,), starts=(Stage.REPLY,)),
    "close": Clocks(completes=(Stage.SUPERVISION,), starts=(Stage.CHECKBACK,)),
    "check_back": Clocks(completes=(Stage.CHECKBACK,)),
}
# A case not accepted is over for the scorecards and the hotline too: ``closed`` as well.
# 办结 is the 好差评 evaluation node (``completed``, node ``finish``) of a real-name case.
EXTRA_EVENTS: dict[str, tuple[str, ...]] = {
    "reject": ("closed",),
    "confirm": ("completed",),
    "close": ("completed",),
}


# A step that changes no state (催办 / 督办): who, and from which states.
URGE = Step[ComplaintCase](  # type: ignore[type-var, unused-ignore]  # see MACHINE
    "urge",
    "催办/督办",
    frozenset(s.value for s in (S.ASSIGNED, S.INVESTIGATING, S.REPLIED, S.DISPUTED)),
    SUPERVISORS,
)

# The timeline's words: the machine's steps, 登记 (``intake``), 催办/督办, the 督办 a dispute
# opens at once (``stages``), a note from 12345 (``consumers``) and the deadline engine's.
OTHER_STEPS = {
    "created": "登记",
    URGE.name: URGE.label,
    "escalated": "督办（营商局）",
    "note": "备注",
}
TIMELINE = MACHINE.timeline_labels(OTHER_STEPS, DEADLINE_TIMELINE)


def label(name: str) -> str:
    return URGE.label if name == URGE.name else MACHINE.transition(name).label
