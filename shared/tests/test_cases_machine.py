"""State machines as data: validation, rules, availability, and the exported diagrams."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from kitservice.machine import CASE_MACHINE
from kitservice.models import SampleCase

from yingshang.auth import Position, Principal
from yingshang.cases.rules import any_of, client_scope, of_case, roles, system, system_actor
from yingshang.cases.statemachine import (
    Facts,
    Guard,
    Refusal,
    StateMachine,
    Step,
    Transition,
    check_step,
)
from yingshang.cases.timeline import TimelineEntry, Vocabulary
from yingshang.problems import Conflict, Forbidden, NotFound, PreconditionFailed
from yingshang.testing import a_clerk, a_client, a_head, a_staff


def a_case(state: str, department: str | None = None) -> SampleCase:
    return SampleCase(id=uuid.uuid4(), state=state, department=department, version=1)


def test_inconsistent_machines_are_refused_at_import() -> None:
    anyone = roles("staff")
    with pytest.raises(ValueError, match="unknown target 'nowhere'") as info:
        StateMachine[SampleCase](
            service="kit",
            kind="case",
            states=("open", "closed"),
            initial="open",
            final={"closed"},
            transitions=(
                Transition("go", {"open"}, "nowhere", anyone),
                Transition("reopen", {"closed"}, "open", anyone),
                Transition("go", {"open"}, "closed", anyone, event="Closed!"),
            ),
        )
    message = str(info.value)
    assert "leaves final state 'closed'" in message
    assert "'go' declared twice" in message
    assert "event suffix 'Closed!'" in message


def test_unknown_actions_are_not_found() -> None:
    with pytest.raises(NotFound):
        CASE_MACHINE.transition("explode")


def test_available_lists_what_the_principal_may_do_now() -> None:
    operator = a_clerk("HOTLINE_CENTER").build()
    head = a_head("ROADS").build()
    assert CASE_MACHINE.available(a_case("submitted"), operator) == ["dispatch"]
    assert CASE_MACHINE.available(a_case("dispatched", "ROADS"), head) == ["accept", "return"]
    assert CASE_MACHINE.available(a_case("dispatched", "WATER"), head) == []
    assert CASE_MACHINE.available(a_case("closed", "ROADS"), head) == []


def test_rules_answer_with_the_position_used() -> None:
    # 交叉挂职: a person with two positions acts through the one the rule accepts.
    person = a_staff("BUREAU").also("ROADS", "head").build()
    assert of_case("head")(person, a_case("dispatched", "ROADS")) == Position("ROADS", "head")
    assert roles("staff", depts=["BUREAU"])(person, None) == Position("BUREAU", "staff")
    assert roles("clerk")(person, None) is None
    assert of_case("head")(person, a_case("dispatched", None)) is None


def test_clients_and_system_components_have_their_own_rules() -> None:
    province = a_client("province", scopes=["hotline:write"]).build()
    sweeper = system_actor("deadline-sweeper")
    rule = any_of(roles("clerk"), client_scope("hotline:write"), system())
    assert rule(province, None) == Position("province", "client")
    assert rule(sweeper, None) == Position("SYSTEM", "system")
    assert roles("clerk")(sweeper, None) is None
    # A token cannot pose as a background component, whatever its subject says.
    forged = Principal(sub="system:deadline-sweeper", positions=(Position("SYSTEM", "system"),))
    assert system()(forged, None) is None
    assert client_scope("hotline:write")(a_client("agency").build(), None) is None


def test_the_machine_exports_as_data_and_mermaid() -> None:
    data = CASE_MACHINE.as_dict()
    accept = next(t for t in data["transitions"] if t["name"] == "accept")
    assert accept == {
        "name": "accept",
        "label": "签收",
        "from": ["dispatched"],
        "to": "accepted",
        "who": "head of case.department",
        "event": "ys.kit.case.accepted",
        "timeline_action": "accept",
        "note_required": False,
        "guard": None,
    }
    assert data["states"][0] == {"name": "submitted", "label": "已受理"}
    diagram = CASE_MACHINE.mermaid()
    assert diagram.startswith("stateDiagram-v2\n    [*] --> submitted\n")
    assert "    dispatched --> accepted: 签收 accept (head of case.department)\n" in diagram
    assert "    returned --> dispatched: 派单 dispatch (clerk|staff @ HOTLINE_CENTER)\n" in diagram
    assert diagram.endswith("    closed --> [*]\n")


def an_entry(
    action: str, from_state: str | None, to_state: str | None, data: dict[str, str] | None = None
) -> TimelineEntry:
    return TimelineEntry(
        data=data,
        at=datetime(2026, 3, 2, 2, 0, tzinfo=UTC),
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor="u-1",
        actor_name="冯涛",
    )


def test_timeline_labels_name_steps_and_states_in_words() -> None:
    clock = Vocabulary({"stage_paused": "暂停计时"}, {"running": "计时中", "paused": "已暂停"})
    labels = CASE_MACHINE.timeline_labels({"created": "受理"}, clock)
    accepted = labels.out(an_entry("accept", "dispatched", "accepted"))
    assert (accepted.label, accepted.from_label, accepted.to_label) == ("签收", "已派单", "已签收")
    created = labels.out(an_entry("created", None, "submitted"))
    assert (created.label, created.from_label, created.to_label) == ("受理", None, "已受理")
    # The engine's entries move a clock, not the case: its vocabulary names their states.
    paused = labels.out(an_entry("stage_paused", "running", "paused"))
    assert (paused.label, paused.from_label, paused.to_label) == ("暂停计时", "计时中", "已暂停")
    # ... and name the stage whose clock it is; the case's own steps name none
    sign = labels.out(an_entry("stage_paused", "running", "paused", {"stage": "sign"}))
    assert (sign.stage, paused.stage, accepted.stage) == ("sign", None, None)
    noted = labels.out(an_entry("accept", "dispatched", "accepted", {"stage": "sign"}))
    assert noted.stage is None
    assert labels.label("dispatch") == "派单"
    assert labels.label("explode") is None
    unknown = labels.out(an_entry("explode", "submitted", "dispatched"))  # shown in codes
    assert (unknown.label, unknown.from_label, unknown.to_label) == (
        "explode",
        "submitted",
        "dispatched",
    )


@pytest.mark.parametrize(
    ("component", "name"),
    [
        ("deadline-sweeper", "系统（时限监控）"),
        ("hotline", "系统（12345热线）"),
        ("ratings", "系统（好差评）"),
        ("enterprise", "投诉企业（凭查询码）"),
    ],
)
def test_background_components_act_and_read_under_their_names_in_words(
    component: str, name: str
) -> None:
    """A component's principal carries its name in words (what a note it writes records as
    its author); its timeline entries read so, rows written under its code included."""
    assert system_actor(component).name == name
    labels = CASE_MACHINE.timeline_labels({})
    entry = an_entry("accept", "dispatched", "accepted")
    entry.actor, entry.actor_name = f"system:{component}", component  # as older rows hold it
    assert labels.out(entry).actor_name == name
    assert labels.out(an_entry("accept", "dispatched", "accepted")).actor_name == "冯涛"


def test_a_component_without_a_name_in_words_is_refused_at_import() -> None:
    with pytest.raises(KeyError):
        system_actor("unnamed-component")


def test_a_refused_state_names_the_step_and_the_state_in_words() -> None:
    """409: the detail says what the step and the state are called (签收, 已签收), not codes."""
    head = a_head("ROADS").build()
    case = a_case("accepted", "ROADS")
    with pytest.raises(Conflict) as refused:
        CASE_MACHINE.check(case, "accept", head, if_match=CASE_MACHINE.etag(case))
    assert refused.value.detail == "当前状态为“已签收”，不能签收"
    assert refused.value.extra["state"] == "accepted"  # the codes stay for clients


def test_a_step_has_one_label() -> None:
    with pytest.raises(ValueError, match="'dispatch' is both '派单' and '分派'"):
        CASE_MACHINE.timeline_labels({"dispatch": "分派"})
    anyone = roles("staff")
    close = Transition[SampleCase]("close", {"open"}, "closed", anyone, label="办结")
    withdraw = Transition[SampleCase](
        "withdraw", {"open"}, "closed", anyone, action="close", label="撤回"
    )
    note = Transition[SampleCase]("note", {"open"}, "open", anyone)  # no label

    def machine(*transitions: Transition[SampleCase]) -> StateMachine[SampleCase]:
        return StateMachine[SampleCase](
            service="kit", kind="case", states=("open", "closed"), initial="open",
            transitions=transitions,
        )  # fmt: skip

    with pytest.raises(ValueError, match="'close' is both '办结' and '撤回'"):
        machine(close, withdraw).timeline_labels({})
    labels = machine(close, note).timeline_labels({})
    assert (labels.label("close"), labels.label("note")) == ("办结", None)


def _reply_confirmed(case: SampleCase, facts: Facts) -> bool:
    return bool(facts.get("confirmed"))


# 办结 of a case with an enterprise needs the enterprise's confirmation (a fact the service
# knows beyond the row); the head's 签收 says who signs when refused.
GUARDED = StateMachine[SampleCase](
    service="kit",
    kind="case",
    states=("dispatched", "replied", "closed"),
    initial="dispatched",
    final={"closed"},
    transitions=(
        Transition(
            "accept",
            {"dispatched"},
            "replied",
            of_case("head"),
            refusal=Refusal("head-signs", "须由责任单位一把手本人签收"),
        ),
        Transition(
            "close",
            {"dispatched", "replied"},
            "closed",
            of_case("head", "staff"),
            guard=Guard(_reply_confirmed, "confirm-first", "请先取得企业确认", {"replied"}),
        ),
    ),
)


def test_a_guard_refuses_after_who_tag_and_state_and_hides_the_action() -> None:
    head, staff = a_head("ROADS").build(), a_staff("ROADS").build()
    replied = a_case("replied", "ROADS")
    tag = GUARDED.etag(replied)
    with pytest.raises(Conflict) as refused:
        GUARDED.check(replied, "close", head, if_match=tag)
    assert refused.value.code == "confirm-first"
    assert refused.value.detail == "请先取得企业确认"
    assert GUARDED.available(replied, head) == []
    # the facts let it go; from a state the guard does not cover it never applies
    assert GUARDED.check(replied, "close", head, if_match=tag, facts={"confirmed": True})
    assert GUARDED.available(replied, head, {"confirmed": True}) == ["close"]
    dispatched = a_case("dispatched", "ROADS")
    assert GUARDED.available(dispatched, head) == ["accept", "close"]
    assert GUARDED.guarded("close", replied)
    assert not GUARDED.guarded("close", dispatched)
    # who comes first (with the transition's own words), then the tag, then the guard
    with pytest.raises(Forbidden) as forbidden:
        GUARDED.check(dispatched, "accept", staff, if_match=tag)
    assert (forbidden.value.code, forbidden.value.detail) == (
        "head-signs",
        "须由责任单位一把手本人签收",
    )
    with pytest.raises(PreconditionFailed):
        GUARDED.check(replied, "close", head, if_match='"case-stale"')
    other = a_head("WATER").build()
    with pytest.raises(Forbidden) as default:
        GUARDED.check(replied, "close", other, if_match=tag)
    assert default.value.code == "transition-forbidden"


def test_the_guard_is_part_of_the_exported_machine() -> None:
    close = next(t for t in GUARDED.as_dict()["transitions"] if t["name"] == "close")
    assert close["guard"] == {
        "code": "confirm-first",
        "detail": "请先取得企业确认",
        "from": ["replied"],
    }
    with pytest.raises(ValueError, match="guard on a non-source 'closed'"):
        StateMachine[SampleCase](
            service="kit",
            kind="case",
            states=("open", "closed"),
            initial="open",
            transitions=(
                Transition(
                    "go",
                    {"open"},
                    "closed",
                    roles("staff"),
                    guard=Guard(_reply_confirmed, "x", "x", {"closed"}),
                ),
            ),
        )


def test_a_step_is_checked_as_a_transition_is() -> None:
    urge = Step[SampleCase](
        "urge", "催办", frozenset({"dispatched"}), roles("staff", depts=["BUREAU"])
    )
    bureau, head = a_staff("BUREAU").build(), a_head("ROADS").build()
    case = a_case("dispatched", "ROADS")
    tag = GUARDED.etag(case)
    assert check_step("case", urge, case, bureau, if_match=tag).dept == "BUREAU"
    with pytest.raises(Forbidden):
        check_step("case", urge, case, head, if_match=tag)
    replied = a_case("replied", "ROADS")
    with pytest.raises(Conflict) as wrong_state:
        check_step("case", urge, replied, bureau, if_match=GUARDED.etag(replied))
    assert wrong_state.value.code == "transition-not-allowed"
