"""A pairing's life cycle as data: active until the center or the bureau ends it."""

from yingshang.auth import BUREAU
from yingshang.cases.rules import roles
from yingshang.cases.statemachine import StateMachine, Transition
from yingshang.time import DEADLINE_TIMELINE
from ys_visits.access import CENTER, MANAGER_ROLES
from ys_visits.clocks import SERVICE
from ys_visits.pairings.models import KIND, Pairing

ACTIVE, ENDED = "active", "ended"
MANAGERS = roles(*MANAGER_ROLES, depts=[CENTER, BUREAU])

# Mapped[...] columns do not satisfy the kit's CaseLike protocol under mypy; Pairing has id,
# state and version all the same.
END: Transition[Pairing] = Transition(  # type: ignore[type-var, assignment]
    "end", frozenset({ACTIVE}), ENDED, MANAGERS, event="closed", note_required=True,
    label="结束挂帮",
)  # fmt: skip
MACHINE: StateMachine[Pairing] = StateMachine(  # type: ignore[type-var]
    service=SERVICE,
    kind=KIND,
    states=(ACTIVE, ENDED),
    initial=ACTIVE,
    final=frozenset({ENDED}),
    labels={ACTIVE: "挂帮中", ENDED: "已结束"},
    transitions=(END,),
)

# The timeline's words: the machine's step, the pairing's creation (``service``), each visit
# recorded on it (``visits.service``) and the deadline engine's entries (the visit clock).
OTHER_STEPS = {"created": "建立挂帮", "visited": "走访"}
TIMELINE = MACHINE.timeline_labels(OTHER_STEPS, DEADLINE_TIMELINE)
