"""The life of a problem (诉求 → 交办单 → 销号) as data (DOMAIN.md, "Enterprise services").

登记 → 交办 to a department (proposal within 7 days, a resolution deadline) → 签收 by the
department's head only (一把手亲自接单, as a 12345 ticket's) → 联系: the department contacts the
enterprise → it proposes a solution → monthly progress (月度进展) → solved → 销号, which needs
the enterprise's confirmation (recorded by the center) or the bureau's override with a reason;
a dispute by the enterprise reopens the problem at the department. The department's head may
return a problem that is not theirs (退回) until a solution is proposed; the center hands it on
again.

A joint meeting's task (联席会议) may have no enterprise: there is no one to confirm, so the
bureau confirms its 销号 (``accept``) or sends it back to the department (``reject``) instead;
nor is there anyone to contact: after 签收 the department proposes straight away (the guard of
``propose``, the kit's, asks a problem with an enterprise to be contacted first).

``CLOCKS`` says which timed stages (``yingshang.time`` policies, the five time limits 五限时:
``vocabulary.Stage``) each step starts, completes or cancels; ``EXTRA_EVENTS`` the events a step
publishes besides its own. A transition's ``guard`` says what it needs besides its source
state and its rule, its ``refusal`` what a refused 签收 tells the person (zh-CN).
"""

from dataclasses import dataclass

from yingshang.auth import BUREAU, ROLES, Position, Principal
from yingshang.cases.rules import Rule, any_of, describe_rule, of_case, roles
from yingshang.cases.statemachine import Facts, Guard, Refusal, StateMachine, Step, Transition
from yingshang.time import DEADLINE_TIMELINE
from ys_visits.access import CENTER, MANAGER_ROLES
from ys_visits.clocks import SERVICE
from ys_visits.problems.models import KIND, Problem
from ys_visits.problems.vocabulary import LABELS
from ys_visits.problems.vocabulary import Stage as T
from ys_visits.problems.vocabulary import State as S

ASSIGNERS = any_of(roles(*MANAGER_ROLES, depts=[CENTER]), roles(*MANAGER_ROLES, depts=[BUREAU]))
CENTER_ANY = roles(*ROLES, depts=[CENTER])  # records the enterprise's answer
BUREAU_DECIDES = roles("staff", "head", depts=[BUREAU])  # override: 营商局决定销号
DEPT = of_case("staff", "head")  # the department the problem was handed to
DEPT_HEAD = of_case("head")  # its head (一把手): signs for it (签收) or returns it (退回)
AT_DEPARTMENT = {S.ASSIGNED, S.SIGNED, S.CONTACTED}  # handed on, no solution proposed yet
OPEN = {S.RAISED, *AT_DEPARTMENT, S.IN_PROGRESS, S.SOLVED}


@dataclass(frozen=True)
class ByEnterprise:
    """``rule`` on a problem with an enterprise (``present``), or on one without (a joint
    meeting's task): who answers for the solution depends on whether there is an enterprise."""

    rule: Rule[Problem]
    present: bool

    def __call__(self, principal: Principal, case: Problem) -> Position | None:
        if (case.enterprise_id is not None) is not self.present:
            return None
        return self.rule(principal, case)

    def describe(self) -> str:
        return f"{describe_rule(self.rule)} ({'with' if self.present else 'no'} enterprise)"


ENTERPRISE_ANSWER = ByEnterprise(CENTER_ANY, present=True)  # the center records its answer
BUREAU_ANSWER = ByEnterprise(BUREAU_DECIDES, present=False)  # no enterprise: the bureau answers
CONTACTS = ByEnterprise(DEPT, present=True)  # 联系: only an enterprise is there to contact


def _without_enterprise(problem: Problem, facts: Facts) -> bool:
    return problem.enterprise_id is None


# A problem with an enterprise is proposed for only once the enterprise was contacted.
CONTACT_FIRST = Guard[Problem](  # type: ignore[type-var, unused-ignore]  # see MACHINE
    _without_enterprise,
    "contact-first",
    "请先联系企业，再提出解决方案",
    frozenset({S.SIGNED.value}),
)
HEAD_SIGNS = Refusal("head-signs", "交办单须由责任单位一把手本人签收（一把手亲自接单）")


def _t(
    name: str, label: str, sources: set[S], target: S, who: Rule[Problem], **kw: object
) -> Transition[Problem]:  # type: ignore[type-var]  # Mapped columns, see MACHINE
    return Transition(name, frozenset(sources), target.value, who, label=label, **kw)  # type: ignore[type-var, arg-type]


TRANSITIONS = (
    _t("assign", "交办", {S.RAISED}, S.ASSIGNED, ASSIGNERS, event="assigned"),
    _t("sign", "签收", {S.ASSIGNED}, S.SIGNED, DEPT_HEAD, event="signed", refusal=HEAD_SIGNS),
    _t("return", "退回", AT_DEPARTMENT, S.RAISED, DEPT_HEAD, event="returned",
       note_required=True),
    _t("contact", "联系企业", {S.SIGNED}, S.CONTACTED, CONTACTS, event="contacted"),
    _t("propose", "提出解决方案", {S.SIGNED, S.CONTACTED}, S.IN_PROGRESS, DEPT,
       event="proposed", guard=CONTACT_FIRST),
    _t("solve", "办结", {S.IN_PROGRESS}, S.SOLVED, DEPT, event="solved"),
    _t("confirm", "企业确认销号", {S.SOLVED}, S.CLOSED, ENTERPRISE_ANSWER, event="closed"),
    _t("dispute", "企业有异议", {S.SOLVED}, S.IN_PROGRESS, ENTERPRISE_ANSWER, event="reopened",
       note_required=True),
    _t("accept", "营商局确认销号", {S.SOLVED}, S.CLOSED, BUREAU_ANSWER, event="closed"),
    _t("reject", "营商局退回重办", {S.SOLVED}, S.IN_PROGRESS, BUREAU_ANSWER, event="reopened",
       note_required=True),
    _t("override_close", "营商局决定销号", OPEN, S.CLOSED, BUREAU_DECIDES, event="closed",
       note_required=True),
)  # fmt: skip

# Mapped[...] columns do not satisfy the kit's CaseLike protocol under mypy; Problem has id,
# state and version all the same.
MACHINE: StateMachine[Problem] = StateMachine(  # type: ignore[type-var]
    service=SERVICE,
    kind=KIND,
    states=tuple(s.value for s in S),
    initial=S.RAISED.value,
    transitions=TRANSITIONS,
    final=frozenset({S.CLOSED.value}),
    labels={s.value: text for s, text in LABELS.items()},
)


@dataclass(frozen=True)
class Clocks:
    starts: tuple[T, ...] = ()
    completes: tuple[T, ...] = ()
    cancels: tuple[T, ...] = ()


ALL = tuple(T)
# The department's time runs from the hand-off (交办): waiting for the head's 签收 does not
# stop the proposal and resolution clocks.
CLOCKS: dict[str, Clocks] = {
    "assign": Clocks(starts=(T.SIGN, T.PROPOSAL, T.RESOLUTION)),
    "sign": Clocks(completes=(T.SIGN,), starts=(T.CONTACT,)),
    "return": Clocks(cancels=(T.SIGN, T.CONTACT, T.PROPOSAL, T.RESOLUTION)),
    "contact": Clocks(completes=(T.CONTACT,)),
    "propose": Clocks(completes=(T.PROPOSAL,), starts=(T.PROGRESS,)),
    "progress": Clocks(completes=(T.PROGRESS,), starts=(T.PROGRESS,)),
    "solve": Clocks(completes=(T.RESOLUTION, T.PROGRESS), starts=(T.CONFIRMATION,)),
    "confirm": Clocks(completes=(T.CONFIRMATION,)),
    "dispute": Clocks(completes=(T.CONFIRMATION,), starts=(T.RESOLUTION, T.PROGRESS)),
    "accept": Clocks(completes=(T.CONFIRMATION,)),
    "reject": Clocks(completes=(T.CONFIRMATION,), starts=(T.RESOLUTION, T.PROGRESS)),
    "override_close": Clocks(cancels=ALL),
}
# 销号 is the 好差评 evaluation node (``completed``, node ``finish``): ratings invites the
# enterprise through the SMS link this service sends (DOMAIN.md: closure yields a rating) —
# of a problem with an enterprise only: no one rates a task without one.
EXTRA_EVENTS: dict[str, tuple[str, ...]] = {
    "confirm": ("completed",),
    "override_close": ("completed",),
}
# Stages timed only on a problem with an enterprise (a joint meeting's task has none to contact).
ENTERPRISE_STAGES = frozenset({T.CONTACT})


def _step(name: str, label: str, sources: set[S], who: Rule[Problem]) -> Step[Problem]:  # type: ignore[type-var, unused-ignore]  # see MACHINE
    return Step(name, label, frozenset(v.value for v in sources), who)  # type: ignore[type-var, unused-ignore]


# A step that changes no state: 月度进展, by the department, while it works on the solution.
PROGRESS = _step("progress", "月度进展", {S.IN_PROGRESS}, DEPT)

# The timeline's words: the machine's steps, 登记 (``service``), 月度进展, what the ratings
# service's events leave (``consumers``) and the deadline engine's entries.
OTHER_STEPS = {
    "created": "登记",
    PROGRESS.name: PROGRESS.label,
    "rating_invited": "已发送好差评邀请",
    "rating_not_sent": "未能发送好差评邀请",
    "rated": "企业评价",
    "rating_excluded": "评价不计入统计",
}
TIMELINE = MACHINE.timeline_labels(OTHER_STEPS, DEADLINE_TIMELINE)


def label(name: str) -> str:
    return PROGRESS.label if name == PROGRESS.name else MACHINE.transition(name).label
