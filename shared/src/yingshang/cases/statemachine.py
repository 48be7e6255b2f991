"""State machines as data, and the one function that applies a transition.

A case kind declares its states and its transitions (name, source states, target state, who
may do it, event suffix, timeline action) once, as a :class:`StateMachine`. Routes never change
``case.state`` themselves: they call :func:`apply_transition`, which checks, in this order,

1. who (403 ``Forbidden``): the transition's rule must allow the principal on this case (its
   ``refusal`` says why not, where the default words are not enough); the service answers 404
   *before* calling for a case the principal may not see at all;
2. ``If-Match`` (428 missing, 412 stale; RFC 9110 §13.2.2: preconditions after the normal
   request checks, before the action);
3. the current state (409 ``Conflict``: not allowed from here);
4. the transition's :class:`Guard`, a rule on the case itself (409 with the guard's code and
   words, e.g. 归档 before the 回访 is due);
5. a required note (422, e.g. the reason of a 退单 return);

then sets the new state, flushes (``VersionMixin`` bumps ``version``; a lost race raises
``StaleDataError`` → 412), appends the timeline entry and enqueues the CloudEvent in the
outbox — all in the caller's transaction, which the request (or a background component)
commits. A failure later in that transaction leaves no trace of the transition.

A service whose step has effects to run between the checks and the state change (they may need
the database) calls :meth:`StateMachine.check` first; a step that changes no state (催办, 月度进展)
is a :class:`Step`, checked by :func:`check_step` in the same order. :meth:`StateMachine.available`
lists what a principal may do now, guards included, so a listed action is one that would be taken.

A guard sees the case and the caller's ``facts``: what the service knows of the case beyond its
row (the hotline's running clocks), a mapping by name, given to ``check``, ``apply_transition``
and ``available`` alike.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Position, Principal
from yingshang.cases import timeline
from yingshang.cases.etag import Versioned, check_if_match, etag_for, flush_versioned
from yingshang.cases.rules import Rule, describe_rule
from yingshang.events.envelope import CloudEvent, make_event
from yingshang.events.outbox import enqueue
from yingshang.problems import Conflict, Forbidden, NotFound
from yingshang.validators import require_reason

_NAME = re.compile(r"^[a-z][a-z_]*$")


class CaseLike(Protocol):
    """What a case row needs: a UUID id, a ``state`` column and a ``VersionMixin`` version."""

    id: uuid.UUID
    state: str
    version: int


C = TypeVar("C", bound=CaseLike)


class Stateful(Versioned, Protocol):
    """What a guard or a step reads of a case: id, version and ``state`` (read only)."""

    @property
    def state(self) -> str: ...


R = TypeVar("R", bound=Stateful)
# What a service knows of a case beyond its row, by name, for guards (e.g. running clocks).
Facts = Mapping[str, Any]
NO_FACTS: Facts = {}


@dataclass(frozen=True)
class Refusal:
    """What a 403 tells the person when a position may not take a step: ``code`` (the
    problem's) and ``detail`` (the words, zh-CN where people read them)."""

    code: str
    detail: str


@dataclass(frozen=True)
class Guard(Generic[R]):
    """A rule on the case itself a transition needs besides its source state and the
    position: while ``holds(case, facts)`` is false the transition is refused (409 ``code``,
    ``detail`` for people) and left out of :meth:`StateMachine.available`. ``sources``
    narrows it to some of the transition's source states (``None``: all of them)."""

    holds: Callable[[R, Facts], bool]
    code: str
    detail: str
    sources: AbstractSet[str] | None = None

    def applies(self, case: R) -> bool:
        return self.sources is None or case.state in self.sources


@dataclass(frozen=True)
class Transition(Generic[C]):
    """One allowed move. ``event`` is the event type suffix (``ys.<svc>.<kind>.<event>``;
    ``None`` emits no event); ``action`` names the timeline entry (default: ``name``);
    ``label`` is the Chinese term staff know it by (e.g. ``签收``); ``guard`` a rule on the
    case itself; ``refusal`` what a 403 says instead of the default words."""

    name: str
    sources: AbstractSet[str]
    target: str
    allowed: Rule[C]
    event: str | None = None
    action: str | None = None
    note_required: bool = False
    label: str = ""
    guard: Guard[C] | None = None
    refusal: Refusal | None = None

    @property
    def timeline_action(self) -> str:
        return self.action or self.name

    def guard_holds(self, case: C, facts: Facts = NO_FACTS) -> bool:
        """Whether the guard (if any) lets the transition go from the case's state."""
        guard = self.guard
        return guard is None or not guard.applies(case) or guard.holds(case, facts)


@dataclass(frozen=True)
class Step(Generic[R]):
    """A step that changes no state (催办, 延期, 月度进展): who may take it, from which
    states, its label; checked by :func:`check_step` as a transition is."""

    name: str
    label: str
    sources: AbstractSet[str]
    allowed: Rule[R]
    refusal: Refusal | None = None


@dataclass(frozen=True)
class StateMachine(Generic[C]):
    """A case kind's life cycle. ``service``/``kind`` make the event types and the timeline's
    ``case_kind``; ``labels`` map states to the Chinese terms shown in the console."""

    service: str
    kind: str
    states: tuple[str, ...]
    initial: str
    transitions: tuple[Transition[C], ...]
    final: AbstractSet[str] = frozenset()
    labels: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problems = _inconsistencies(self)
        if problems:
            raise ValueError(f"state machine {self.kind}: " + "; ".join(problems))

    def transition(self, name: str) -> Transition[C]:
        """The transition called ``name``; 404 if the case kind has no such action."""
        for transition in self.transitions:
            if transition.name == name:
                return transition
        raise NotFound(f"没有这个操作：{name}", code="unknown-action")

    def available(self, case: C, principal: Principal, facts: Facts = NO_FACTS) -> list[str]:
        """The transitions ``principal`` may perform on ``case`` now (the console's buttons):
        from its state, by the principal's positions, and their guards holding."""
        state = case.state
        return [
            t.name
            for t in self.transitions
            if state in t.sources
            and t.allowed(principal, case) is not None
            and t.guard_holds(case, facts)
        ]

    def guarded(self, name: str, case: C) -> bool:
        """Whether transition ``name`` has a guard that applies from the case's state (a
        service then gathers the facts the guard needs)."""
        guard = self.transition(name).guard
        return guard is not None and guard.applies(case)

    def check(
        self,
        case: C,
        name: str,
        principal: Principal,
        *,
        if_match: str | None,
        facts: Facts = NO_FACTS,
    ) -> Position:
        """Every check of transition ``name`` but the note, in the module's order (403, 428/412,
        409 state, 409 guard); the position it is taken in."""
        transition = self.transition(name)
        position = authorise(transition.allowed, principal, case, transition.refusal)
        check_if_match(if_match, case, self.kind)
        check_state(
            self.kind, name, transition.sources, case, label=transition.label, states=self.labels
        )
        guard = transition.guard
        if guard is not None and guard.applies(case) and not guard.holds(case, facts):
            raise Conflict(guard.detail, code=guard.code, state=case.state)
        return position

    def event_type(self, transition: Transition[C]) -> str | None:
        return f"ys.{self.service}.{self.kind}.{transition.event}" if transition.event else None

    def etag(self, case: C) -> str:
        return etag_for(case, self.kind)

    def case_key(self, case: C) -> str:
        """The CloudEvents ``subject`` of the case's events (ordering key)."""
        return f"{self.kind}/{case.id}"

    def timeline_labels(
        self, others: Mapping[str, str], *vocabularies: timeline.Vocabulary
    ) -> timeline.TimelineLabels:
        """The labels of this kind's timeline: each transition's label under its timeline
        action and ``others`` (the kind's steps written outside the machine: creation, 催办
        ...), all between the machine's states; plus ``vocabularies`` with states of their own
        (the deadline engine's ``yingshang.time.DEADLINE_TIMELINE`` where the kind has clocks)."""
        # one vocabulary per transition: two transitions naming one action differently fail
        steps = [{t.timeline_action: t.label} for t in self.transitions] + [others]
        own = (timeline.Vocabulary(actions, self.labels) for actions in steps)
        return timeline.TimelineLabels(*own, *vocabularies)

    def as_dict(self) -> dict[str, Any]:
        """The machine as data, for docs and the console."""
        return {
            "service": self.service,
            "kind": self.kind,
            "initial": self.initial,
            "states": [{"name": s, "label": self.labels.get(s, "")} for s in self.states],
            "final": sorted(self.final),
            "transitions": [self._transition_dict(t) for t in self.transitions],
        }

    def _transition_dict(self, t: Transition[C]) -> dict[str, Any]:
        return {
            "name": t.name,
            "label": t.label,
            "from": sorted(t.sources),
            "to": t.target,
            "who": describe_rule(t.allowed),
            "event": self.event_type(t),
            "timeline_action": t.timeline_action,
            "note_required": t.note_required,
            "guard": _guard_dict(t),
        }

    def mermaid(self) -> str:
        """A Mermaid ``stateDiagram-v2`` of the machine."""
        lines = ["stateDiagram-v2", f"    [*] --> {self.initial}"]
        labelled = [s for s in self.states if s in self.labels]
        lines += [f'    state "{self.labels[s]} {s}" as {s}' for s in labelled]
        for t in self.transitions:
            text = f"{t.label} {t.name}".strip()
            for source in sorted(t.sources):
                lines.append(f"    {source} --> {t.target}: {text} ({describe_rule(t.allowed)})")
        lines += [f"    {s} --> [*]" for s in sorted(self.final)]
        return "\n".join(lines) + "\n"


def _guard_dict(t: Transition[Any]) -> dict[str, Any] | None:
    if t.guard is None:
        return None
    sources = t.guard.sources if t.guard.sources is not None else t.sources
    return {"code": t.guard.code, "detail": t.guard.detail, "from": sorted(sources)}


def _inconsistencies(machine: StateMachine[Any]) -> list[str]:
    states = set(machine.states)
    found = [f"bad name {n!r}" for n in (machine.service, machine.kind) if not _NAME.match(n)]
    if len(states) != len(machine.states):
        found.append("duplicate states")
    if machine.initial not in states:
        found.append(f"initial state {machine.initial!r} is not a state")
    found += [f"final state {s!r} is not a state" for s in set(machine.final) - states]
    names = [t.name for t in machine.transitions]
    found += [f"transition {n!r} declared twice" for n in set(names) if names.count(n) > 1]
    for t in machine.transitions:
        found += _transition_inconsistencies(t, states, machine.final)
    return found


def _transition_inconsistencies(
    t: Transition[Any], states: set[str], final: AbstractSet[str]
) -> list[str]:
    found = [f"{t.name}: unknown source {s!r}" for s in set(t.sources) - states]
    if not t.sources:
        found.append(f"{t.name}: no source state")
    if t.target not in states:
        found.append(f"{t.name}: unknown target {t.target!r}")
    found += [f"{t.name}: leaves final state {s!r}" for s in set(t.sources) & set(final)]
    if t.guard is not None and t.guard.sources is not None:
        found += [f"{t.name}: guard on a non-source {s!r}" for s in t.guard.sources - t.sources]
    if t.event is not None and not _NAME.match(t.event):
        found.append(f"{t.name}: event suffix {t.event!r} must be [a-z_]+")
    return found


@dataclass(frozen=True)
class TransitionResult:
    """What :func:`apply_transition` did: the timeline entry, the event (if any), new ETag."""

    name: str
    from_state: str
    to_state: str
    position: Position
    entry: timeline.TimelineEntry
    event: CloudEvent | None
    etag: str


async def apply_transition(
    session: AsyncSession,
    machine: StateMachine[C],
    case: C,
    name: str,
    principal: Principal,
    *,
    if_match: str | None,
    note: str | None = None,
    data: dict[str, Any] | None = None,
    event_data: Mapping[str, Any] | BaseModel | None = None,
    effect: Callable[[C], None] | None = None,
    facts: Facts = NO_FACTS,
) -> TransitionResult:
    """Apply transition ``name`` to ``case`` in the caller's transaction (flush only).

    ``if_match`` is the request's ``If-Match`` header; a background component that holds the
    row it just read passes ``machine.etag(case)`` (the version check at flush still
    catches a concurrent change). ``effect`` runs after every check passes and before the
    flush (e.g. assign the department a ticket is dispatched to). ``data`` goes on the
    timeline entry, ``event_data`` into the event payload next to the standard fields;
    ``facts`` what the transition's guard needs beyond the row.
    """
    transition = machine.transition(name)
    position = machine.check(case, name, principal, if_match=if_match, facts=facts)
    if transition.note_required:  # read by the person taking the step
        require_reason(note, f"“{transition.label}”" if transition.label else "该操作")
    from_state = case.state
    if effect is not None:
        effect(case)
    case.state = transition.target
    await flush_versioned(session)
    event = _event(machine, transition, case, from_state, principal, position, event_data)
    entry = await timeline.record(
        session,
        case_kind=machine.kind,
        case_id=case.id,
        action=transition.timeline_action,
        actor=principal,
        from_state=from_state,
        to_state=transition.target,
        position=(position.dept, position.role),
        note=note,
        data=data,
        event_id=event.id if event else None,
    )
    if event is not None:
        await enqueue(session, event)
    return TransitionResult(
        name, from_state, transition.target, position, entry, event, machine.etag(case)
    )


def authorise(
    rule: Rule[R], principal: Principal, case: R, refusal: Refusal | None = None
) -> Position:
    """The position ``rule`` lets ``principal`` act in on ``case``; 403 (``refusal``'s words,
    or the default ones) when none."""
    position = rule(principal, case)
    if position is None:
        refused = refusal or _REFUSAL
        raise Forbidden(refused.detail, code=refused.code)
    return position


_REFUSAL = Refusal("transition-forbidden", "您的岗位无权对该案件进行此操作")


def check_state(
    kind: str,
    name: str,
    sources: AbstractSet[str],
    case: Stateful,
    *,
    label: str = "",
    states: Mapping[str, str] | None = None,
) -> None:
    """409 when step ``name`` is not allowed from the case's state; the detail names the step
    and the state as staff know them (``label``, ``states``)."""
    if case.state not in sources:
        state = (states or {}).get(case.state, case.state)
        raise Conflict(
            f"当前状态为“{state}”，不能{label or name}",
            code="transition-not-allowed",
            state=case.state,
            allowed_from=sorted(sources),
        )


def check_step(
    kind: str,
    step: Step[R],
    case: R,
    principal: Principal,
    *,
    if_match: str | None,
    states: Mapping[str, str] | None = None,
) -> Position:
    """The checks of a step that changes no state, in a transition's order (403, 428/412, 409);
    the position it is taken in. ``states``: the kind's state labels (its machine's)."""
    position = authorise(step.allowed, principal, case, step.refusal)
    check_if_match(if_match, case, kind)
    check_state(kind, step.name, step.sources, case, label=step.label, states=states)
    return position


def _event(
    machine: StateMachine[C],
    transition: Transition[C],
    case: C,
    from_state: str,
    principal: Principal,
    position: Position,
    extra: Mapping[str, Any] | BaseModel | None,
) -> CloudEvent | None:
    event_type = machine.event_type(transition)
    if event_type is None:
        return None
    payload: dict[str, Any] = {
        "case_id": str(case.id),
        "case_kind": machine.kind,
        "transition": transition.name,
        "from_state": from_state,
        "to_state": transition.target,
        "version": case.version,
        "by": {"dept": position.dept, "role": position.role, "staff_no": principal.staff_no},
    }
    number = getattr(case, "number", None)
    if number is not None:
        payload["case_number"] = str(number)
    if extra is not None:
        payload.update(extra.model_dump(mode="json") if isinstance(extra, BaseModel) else extra)
    return make_event(machine.service, event_type, payload, subject=machine.case_key(case))
