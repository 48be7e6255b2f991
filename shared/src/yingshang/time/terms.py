"""Time-limit terms: amount + unit, warning fraction, escalation ladder (督办 levels).

Validated once here, used by the policy rows, the admin API and the engine's snapshot.
"""

from __future__ import annotations

import itertools
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from yingshang.time.arithmetic import NOMINAL_SECONDS, Unit

# About ten years in any unit: keeps day counting bounded whatever an admin types.
MAX_NOMINAL_SECONDS = 10 * 366 * 86400.0
MAX_LEVELS = 5
Target = Literal["responsible_head", "bureau", "committee"]
NAME_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
URGENCY_PATTERN = r"^[a-z][a-z0-9_]{0,19}$"  # ys_policies/ys_deadline_stages.urgency: 20
KIND_PATTERN = r"^[a-z_]{1,40}$"  # case kinds and services name NATS subjects: [a-z_] only


class Duration(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: int = Field(ge=0)
    unit: Unit

    def nominal_seconds(self) -> float:
        return self.amount * NOMINAL_SECONDS[self.unit]


class LadderLevel(BaseModel):
    """One escalation level: ``after`` the due time, to ``target``, doing ``action``."""

    model_config = ConfigDict(extra="forbid")

    level: int = Field(ge=1, le=MAX_LEVELS)
    after: Duration
    target: Target
    action: str = Field(min_length=1, max_length=60)


def default_ladder() -> list[LadderLevel]:
    """ARCHITECTURE.md defaults: L1 at due to the responsible department's head (一把手);
    L2 one working day later to the bureau (催办); L3 five working days later to the
    committee (书面通报)."""
    wd = Unit.WORKING_DAYS
    return [
        LadderLevel(
            level=1,
            after=Duration(amount=0, unit=wd),
            target="responsible_head",
            action="notify_head",
        ),
        LadderLevel(level=2, after=Duration(amount=1, unit=wd), target="bureau", action="urge"),
        LadderLevel(
            level=3, after=Duration(amount=5, unit=wd), target="committee", action="written_notice"
        ),
    ]


class PolicyTerms(BaseModel):
    """What a stage is held to; copied onto each stage when it starts."""

    model_config = ConfigDict(extra="forbid")

    amount: int = Field(gt=0)
    unit: Unit
    warning_fraction: float = Field(0.8, gt=0, lt=1)
    ladder: list[LadderLevel] = Field(default_factory=default_ladder, max_length=MAX_LEVELS)

    @field_validator("ladder")
    @classmethod
    def _ordered(cls, ladder: list[LadderLevel]) -> list[LadderLevel]:
        check_ladder(ladder)
        return ladder

    @model_validator(mode="after")
    def _bounded(self) -> PolicyTerms:
        if self.amount * NOMINAL_SECONDS[self.unit] > MAX_NOMINAL_SECONDS:
            raise ValueError("amount: 时限不能超过十年")
        return self

    def ladder_json(self) -> list[dict[str, Any]]:
        """The ladder as stored on a stage: what ``model_dump(mode="json")`` gives, built
        directly (every stage started copies it; a test holds the two equal)."""
        return [
            {
                "level": level.level,
                "after": {"amount": level.after.amount, "unit": level.after.unit.value},
                "target": level.target,
                "action": level.action,
            }
            for level in self.ladder
        ]


def check_ladder(ladder: list[LadderLevel]) -> None:
    """Levels numbered 1, 2, 3 ... in order, each at or after the one before."""
    for index, level in enumerate(ladder, start=1):
        if level.level != index:
            raise ValueError(f"ladder: 此处应为第 {index} 级，而不是第 {level.level} 级")
        if level.after.nominal_seconds() > MAX_NOMINAL_SECONDS:
            raise ValueError("ladder: 督办级别不能在到期后十年以上")
    gaps = [level.after.nominal_seconds() for level in ladder]
    if any(later < earlier for earlier, later in itertools.pairwise(gaps)):
        raise ValueError("ladder: 每一级不能早于上一级")


def ladder_from_json(raw: list[dict[str, Any]]) -> list[LadderLevel]:
    return [LadderLevel.model_validate(level) for level in raw]
