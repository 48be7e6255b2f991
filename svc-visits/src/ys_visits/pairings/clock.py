"""The visit frequency of a pairing as a deadline stage (``pairing``/``visit``).

The policy row is chosen by the leader's rank and the enterprise's scale: its urgency key is
the rank's (``leader`` for county leaders: quarterly, ``cadre`` for department cadres: monthly —
DOMAIN.md defaults), and an admin may add ``<key>_<scale>`` rows (e.g. ``cadre_above_scale``)
that take precedence. (Keys are short: policy keys hold 20 characters.)
Each window starts when the pairing starts or at the last visit; no visit before it is due →
``overdue`` and the escalation ladder (L1 the responsible department's head, L2 the bureau,
L3 the committee), each once, from the sweeper.
"""

from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.clock import now
from yingshang.problems import Conflict
from yingshang.time import deadlines
from yingshang.time.models import DeadlineStage, Policy
from yingshang.time.policies import find_policy
from ys_visits.clocks import SERVICE, local_midnight
from ys_visits.pairings.models import KIND, Pairing

STAGE = "visit"
Actor = deadlines.Actor
RANK_KEYS = {"county_leader": "leader", "department_cadre": "cadre"}  # 县领导, 部门干部


async def frequency_policy(session: AsyncSession, rank: str, scale: str) -> Policy:
    """The active policy for (rank, scale), else for the rank; 409 when neither exists."""
    base = RANK_KEYS[rank]
    for key in (f"{base}_{scale}", base):
        policy = await find_policy(session, SERVICE, KIND, STAGE, key)
        if policy is not None and policy.active:
            return policy
    raise Conflict(f"no active visit-frequency policy for {rank}", code="policy-missing")


def window_start(starts_on: date) -> datetime:
    """A first window counts from the pairing's first day, never from before it was made."""
    return max(now(), local_midnight(starts_on))


async def start_window(
    session: AsyncSession, pairing: Pairing, actor: Actor, at: datetime
) -> DeadlineStage:
    row = await deadlines.start_stage(
        session,
        service=SERVICE,
        case_kind=KIND,
        case_id=pairing.id,
        case_number=pairing.number,
        department=pairing.department,
        stage=STAGE,
        urgency=pairing.policy_key,
        actor=actor,
        at=at,
    )
    pairing.visit_due_at = row.due_at
    return row


async def current(session: AsyncSession, pairing: Pairing) -> DeadlineStage | None:
    return await deadlines.open_stage(session, KIND, pairing.id, STAGE)


async def visited(session: AsyncSession, pairing: Pairing, on: date, actor: Actor) -> None:
    """A visit closes the current window (on time or not) and opens the next from the visit.

    The visit's instant is noon of its day, kept inside the window (not before it started,
    not after now), so a visit recorded a few days late still counts from its own day."""
    row = await current(session, pairing)
    if row is None:
        return
    noon = local_midnight(on) + timedelta(hours=12)
    at = min(max(noon, row.counted_from), now())
    await deadlines.complete_stage(session, row, actor=actor, at=at, note="走访 visit recorded")
    await start_window(session, pairing, actor, at)


async def stop(session: AsyncSession, pairing: Pairing, actor: Actor, reason: str) -> None:
    row = await current(session, pairing)
    if row is not None:
        await deadlines.cancel(session, row, actor=actor, reason=reason)
    pairing.visit_due_at = None
