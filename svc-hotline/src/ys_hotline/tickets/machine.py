"""The closed loop of a ticket as data (国办发〔2020〕53号; DOMAIN.md, Hotline), on the
foundation's case kit.

受理 → 直接答复 (咨询, from the knowledge base) or 派单 → 签收 (the department's head only,
一把手亲自接单) → 联系 → 办理 → 回复 → 审核 (accept / send back) → 办结 → 回访 (the 好差评
rating) → 归档; plus 退单 → 派单异议审核 → re-dispatch, reopen after a dissatisfied 回访, 并单,
and transfer of an enterprise's infringement complaint to the complaints center (closes when
that case closes). 延期 and 催办/督办 change no state: they are ``NOTES`` (rule + states).

``CLOCKS`` says which of the five timed stages (五限时) each transition starts, completes or
cancels; ``EXTRA_EVENTS`` the events a transition publishes besides its own. 归档 has a guard
(the kit's): from 办结 it waits for the 回访, given the running clocks as the facts.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from yingshang.auth import ROLES
from yingshang.cases.rules import Rule, any_of, of_case, roles, system
from yingshang.cases.statemachine import Facts, Guard, StateMachine, Step, Transition
from yingshang.clock import ensure_utc, now
from yingshang.time import DEADLINE_TIMELINE
from ys_hotline.access import CENTER, CENTER_MANAGERS, OVERSIGHT
from ys_hotline.tickets.events import SERVICE
from ys_hotline.tickets.models import CASE_KIND, Ticket
from ys_hotline.tickets.vocabulary import Status as S

OPERATOR = roles(*ROLES, depts=[CENTER])  # 话务员 and center staff
CENTER_REVIEW = roles(*CENTER_MANAGERS, depts=[CENTER])  # 审核
DEPT_HEAD = of_case("head")  # the head (一把手) of the department holding the ticket
DEPT = of_case(*ROLES)  # anyone of that department
SUPERVISOR = any_of(CENTER_REVIEW, roles(*ROLES, depts=OVERSIGHT))  # 催办/督办
SYSTEM = system()  # event consumers


class Stage(StrEnum):
    """五限时: five timed stages, each a policy row per type/urgency."""

    SIGN = "sign"  # 签收: dispatch → sign
    CONTACT = "contact"  # 联系: sign → first contact with the requester
    HANDLE = "handle"  # 办理: received_at → 办结 (the type's time limit)
    FEEDBACK = "feedback"  # 反馈/回复: the department's reply, until the center's 审核 takes it
    REVISIT = "revisit"  # 回访: 办结 → return visit


# The guards' facts: the due times of the ticket's running clocks, by stage, under RUNNING.
RUNNING = "running"
RunningClocks = Mapping[str, datetime]


def revisit_cannot_happen(ticket: Ticket, facts: Facts) -> bool:
    """归档 without a 回访 (DOMAIN.md, Hotline): the 回访 is the ticket's 好差评 rating, so it is
    skipped only when none can be made — the requester left no number to call (anonymous
    requests are allowed) — or when its time limit (1 wd after 办结) has run out."""
    if not ticket.requester_phone:
        return True
    running: RunningClocks = facts.get(RUNNING, {})
    due = running.get(Stage.REVISIT)
    return due is None or now() >= ensure_utc(due)


REVISIT_FIRST = Guard[Ticket](  # type: ignore[type-var, unused-ignore]  # see MACHINE
    revisit_cannot_happen,
    code="revisit-pending",
    detail="该工单尚未回访：诉求人留有联系电话，且回访时限未到，请先回访再归档",
    sources=frozenset({S.CLOSED.value}),
)


def _t(
    name: str, label: str, sources: set[S], target: S, who: object, **kw: object
) -> Transition[Ticket]:  # type: ignore[type-var]  # see Ticket.state
    return Transition(name, frozenset(sources), target.value, who, label=label, **kw)  # type: ignore[arg-type]


# ``note_required``: the step's reason, read by the unit it sends the ticket to (the one rule
# of a reason, yingshang.validators.Reason: at least 2 characters once trimmed).
TRANSITIONS = (
    _t("answer", "直接答复", {S.RECEIVED}, S.CLOSED, OPERATOR, event="closed"),
    _t("dispatch", "派单", {S.RECEIVED}, S.DISPATCHED, OPERATOR, event="dispatched"),
    _t("sign", "签收", {S.DISPATCHED}, S.SIGNED, DEPT_HEAD, event="signed"),
    _t("contact", "联系", {S.SIGNED}, S.HANDLING, DEPT, event="contacted"),
    _t("reply", "回复", {S.HANDLING}, S.REPLIED, DEPT, event="replied"),
    _t("accept", "审核通过", {S.REPLIED}, S.CLOSED, CENTER_REVIEW, event="closed"),
    _t("send_back", "审核退回", {S.REPLIED}, S.HANDLING, CENTER_REVIEW, event="sent_back",
       note_required=True),
    _t("return", "退单", {S.DISPATCHED, S.SIGNED}, S.RETURN_REQUESTED, DEPT_HEAD,
       event="returned", note_required=True),
    _t("approve_return", "退单审核通过", {S.RETURN_REQUESTED}, S.RECEIVED, CENTER_REVIEW,
       event="return_approved"),
    _t("reject_return", "退单审核不通过", {S.RETURN_REQUESTED}, S.DISPATCHED, CENTER_REVIEW,
       event="return_rejected", note_required=True),
    _t("revisit", "回访", {S.CLOSED}, S.REVISITED, OPERATOR, event="revisited"),
    _t("reopen", "重新办理", {S.REVISITED}, S.DISPATCHED, CENTER_REVIEW, event="reopened",
       note_required=True),
    # a ticket no department ever signed (answered at intake, or closed by the complaints
    # center) goes back to the center, which dispatches it
    _t("reopen_at_center", "重新受理", {S.REVISITED}, S.RECEIVED, CENTER_REVIEW,
       event="reopened", note_required=True),
    _t("archive", "归档", {S.CLOSED, S.REVISITED}, S.ARCHIVED, CENTER_REVIEW, event="archived",
       guard=REVISIT_FIRST),
    _t("merge", "并单", {S.RECEIVED, S.DISPATCHED}, S.MERGED, OPERATOR, event="merged"),
    _t("transfer", "转侵权投诉中心", {S.RECEIVED}, S.TRANSFERRED, OPERATOR, event="transferred"),
    _t("complaint_closed", "投诉案件办结", {S.TRANSFERRED}, S.CLOSED, SYSTEM, event="closed"),
)  # fmt: skip

# Mapped[...] columns do not satisfy the kit's CaseLike protocol under mypy; Ticket has
# id, state and version all the same.
MACHINE: StateMachine[Ticket] = StateMachine(  # type: ignore[type-var]
    service=SERVICE,
    kind=CASE_KIND,
    states=tuple(s.value for s in S),
    initial=S.RECEIVED.value,
    transitions=TRANSITIONS,
    final=frozenset({S.ARCHIVED.value, S.MERGED.value}),
    labels={
        S.RECEIVED: "已受理",
        S.DISPATCHED: "已派单",
        S.SIGNED: "已签收",
        S.HANDLING: "办理中",
        S.REPLIED: "已回复",
        S.RETURN_REQUESTED: "退单审核中",
        S.CLOSED: "已办结",
        S.REVISITED: "已回访",
        S.ARCHIVED: "已归档",
        S.MERGED: "已并单",
        S.TRANSFERRED: "已转办",
    },
)


@dataclass(frozen=True)
class Clocks:
    starts: tuple[Stage, ...] = ()
    completes: tuple[Stage, ...] = ()
    cancels: tuple[Stage, ...] = ()


EVERY_STAGE = tuple(Stage)
CLOCKS: dict[str, Clocks] = {
    "answer": Clocks(completes=(Stage.HANDLE,), starts=(Stage.REVISIT,)),
    "dispatch": Clocks(starts=(Stage.SIGN,)),
    "sign": Clocks(completes=(Stage.SIGN,), starts=(Stage.CONTACT,)),
    "contact": Clocks(completes=(Stage.CONTACT,)),
    "reply": Clocks(starts=(Stage.FEEDBACK,)),
    "accept": Clocks(completes=(Stage.FEEDBACK, Stage.HANDLE), starts=(Stage.REVISIT,)),
    "send_back": Clocks(completes=(Stage.FEEDBACK,)),
    "return": Clocks(cancels=(Stage.SIGN, Stage.CONTACT)),
    "reject_return": Clocks(starts=(Stage.SIGN,)),
    "revisit": Clocks(completes=(Stage.REVISIT,)),
    "reopen": Clocks(starts=(Stage.SIGN, Stage.HANDLE)),
    "reopen_at_center": Clocks(starts=(Stage.HANDLE,)),
    "archive": Clocks(cancels=(Stage.REVISIT,)),
    "merge": Clocks(cancels=EVERY_STAGE),
    # The complaints center times the linked case itself: our 办理 clock stops here.
    "transfer": Clocks(cancels=(Stage.HANDLE,)),
    "complaint_closed": Clocks(starts=(Stage.REVISIT,)),
}
# Transitions after which the running clocks answer to another holder (stages.holder).
CHANGES_HANDS = frozenset({"dispatch", "approve_return", "reopen", "reopen_at_center"})
# A merged ticket is over for the scorecards too: it publishes ``closed`` besides ``merged``.
EXTRA_EVENTS: dict[str, tuple[str, ...]] = {"merge": ("closed",)}


AT_DEPARTMENT = frozenset({S.DISPATCHED.value, S.SIGNED.value, S.HANDLING.value})
# 延期 (``Ticket.extension_status``): asked by the department's head, decided by the center
# while the ticket is at the department; a request left undecided when the ticket leaves it
# (回复, 退单, 并单 ...) can no longer be decided: it lapses.
EXTENSION_REQUESTED, EXTENSION_LAPSED = "requested", "lapsed"
# Steps that change no state (延期, 催办/督办): who, from which states.
Note = Step[Ticket]  # type: ignore[type-var, unused-ignore]  # see MACHINE


def _note(name: str, label: str, sources: frozenset[str], who: Rule[Ticket]) -> Note:
    return Note(name, label, sources, who)  # type: ignore[type-var, unused-ignore]  # see MACHINE


NOTES: dict[str, Note] = {
    n.name: n
    for n in (
        _note("request_extension", "申请延期", AT_DEPARTMENT, DEPT_HEAD),
        _note("decide_extension", "延期审核", AT_DEPARTMENT, CENTER_REVIEW),
        _note(
            "urge",
            "催办/督办",
            AT_DEPARTMENT | {S.REPLIED.value, S.RETURN_REQUESTED.value},
            SUPERVISOR,
        ),
    )
}

# The timeline's words: the machine's steps, the notes, 受理 (``intake``) and the deadline
# engine's entries.
OTHER_STEPS = {"receive": "受理", **{note.name: note.label for note in NOTES.values()}}
TIMELINE = MACHINE.timeline_labels(OTHER_STEPS, DEADLINE_TIMELINE)


def label(name: str) -> str:
    note = NOTES.get(name)
    return note.label if note else MACHINE.transition(name).label
