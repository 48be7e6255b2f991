"""Durable consumers of every service's stream: what svc-ratings reads and what it does.

* ``oversight``: created / closed / warning / overdue / escalated / stage_completed of every
  case kind (its own rectifications included), ``reopened`` of the kinds that reopen, the
  assignment (派单 / 交办) of the kinds a center hands to a unit and its undoing (an approved
  退单, a 退回), and the 12345 并单 / 转办 → facts, scorecards, the 督办 ledger;
* ``ratings``: ``completed`` (approvals, complaints, visits) → invitations; 12345
  ``revisited`` → a rating through the hotline channel;
* ``directory``: the gateway's department and user changes → names printed in the bulletin
  (``yingshang.directory``).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.directory import directory_consumer
from yingshang.events.catalogue import EventCatalogue
from yingshang.events.consumer import ConsumerSpec
from yingshang.events.envelope import CloudEvent
from yingshang.events.inbox import Handler
from ys_ratings.access import RatingsCenter
from ys_ratings.directory.service import DEPARTMENTS, PEOPLE
from ys_ratings.events import SERVICE
from ys_ratings.intake.payloads import (
    CaseAssigned,
    CaseClosed,
    CaseCommon,
    CaseCompleted,
    CaseCreated,
    CaseReopened,
    DeadlineEvent,
    TicketRevisited,
)
from ys_ratings.invitations.service import invite
from ys_ratings.oversight import service as oversight
from ys_ratings.ratings.sources import record_revisit

DEADLINE_EVENTS = ("warning", "overdue", "escalated", "stage_completed", "stage_cancelled")
RATED_SOURCES = frozenset({"approvals", "complaints", "visits"})  # send ``completed``
OWN_KINDS = ["rectification"]
# Kinds that open under another name than ``created`` (contract.md: ratings' rectifications).
OPENED = {("ratings", "rectification"): "opened", ("complaints", "finding"): "opened"}
# Kinds handled again after a ``closed`` or a solution (``reopened``): a reopened case is
# not closed, and its redo's stages escalate into the 督办 ledger.
REOPENED = frozenset({("hotline", "ticket"), ("complaints", "case"), ("visits", "problem")})
# Kinds handed to a unit after they were received (派单, 交办): the unit handling the case
# counts it from then on (部门考核), not the center that received it.
ASSIGNED = {
    ("hotline", "ticket"): "dispatched",
    ("complaints", "case"): "assigned",
    ("visits", "problem"): "assigned",
}
# ... and given back by the unit as not its matter (approved 退单, 退回): the center's again.
RELEASED = {("hotline", "ticket"): "return_approved", ("visits", "problem"): "returned"}
# Cases that become no unit's 受理: a merged duplicate (并单), a ticket transferred to the
# complaints center (counted there as the complaints case it became).
EXCLUDED = {("hotline", "ticket"): ("merged", "transferred")}


# The gateway's department and user changes (``ratings-gateway-directory``).
DIRECTORY = directory_consumer(SERVICE, DEPARTMENTS, PEOPLE)


def _parts(event: CloudEvent) -> tuple[str, str, str]:
    _, service, kind, name = event.type.split(".")
    return service, kind, name


def _held(service: str, kind: str, payload: Any) -> Any:
    """Of a kind a center hands on, only the hand-over events say which unit the case counts
    for: the others name the department the producer has on file, which may be one that never
    received it (a 12345 ticket's category's at intake, the unit that gave it back)."""
    if (service, kind) in ASSIGNED:
        return payload.model_copy(update={"department": None})
    return payload


async def _created(session: AsyncSession, event: CloudEvent, payload: Any) -> None:
    service, kind, _ = _parts(event)
    await oversight.case_created(session, service, kind, _held(service, kind, payload), event.time)


async def _closed(session: AsyncSession, event: CloudEvent, payload: Any) -> None:
    service, kind, _ = _parts(event)
    await oversight.case_closed(session, service, kind, _held(service, kind, payload))


async def _assigned(session: AsyncSession, event: CloudEvent, payload: Any) -> None:
    service, kind, _ = _parts(event)
    await oversight.case_assigned(session, service, kind, payload)


async def _released(session: AsyncSession, event: CloudEvent, payload: Any) -> None:
    service, kind, _ = _parts(event)
    await oversight.case_released(session, service, kind, payload)


async def _excluded(session: AsyncSession, event: CloudEvent, payload: Any) -> None:
    service, kind, name = _parts(event)
    await oversight.case_excluded(session, service, kind, payload, name)


async def _reopened(session: AsyncSession, event: CloudEvent, payload: Any) -> None:
    service, kind, _ = _parts(event)
    await oversight.case_reopened(session, service, kind, _held(service, kind, payload), event.time)


async def _deadline(session: AsyncSession, event: CloudEvent, payload: Any) -> None:
    service, _, name = _parts(event)
    await oversight.deadline_event(session, service, name, payload, event.time)


def _inviter(link_prefix: str) -> Handler:
    async def handle(session: AsyncSession, event: CloudEvent, payload: Any) -> None:
        await invite(session, payload, completed_at=event.time, link_prefix=link_prefix)

    return handle


def _oversight_types(source: str, kinds: list[str]) -> dict[str, tuple[type[BaseModel], Handler]]:
    types: dict[str, tuple[type[BaseModel], Handler]] = {}
    for kind in kinds:
        prefix = f"ys.{source}.{kind}"
        types[f"{prefix}.{OPENED.get((source, kind), 'created')}"] = (CaseCreated, _created)
        types[f"{prefix}.closed"] = (CaseClosed, _closed)
        if (source, kind) in REOPENED:
            types[f"{prefix}.reopened"] = (CaseReopened, _reopened)
        if (source, kind) in ASSIGNED:
            types[f"{prefix}.{ASSIGNED[source, kind]}"] = (CaseAssigned, _assigned)
        if (source, kind) in RELEASED:
            types[f"{prefix}.{RELEASED[source, kind]}"] = (CaseCommon, _released)
        for name in EXCLUDED.get((source, kind), ()):
            types[f"{prefix}.{name}"] = (CaseCommon, _excluded)
        for name in DEADLINE_EVENTS:
            types[f"{prefix}.{name}"] = (DeadlineEvent, _deadline)
    return types


def _reviser(center: RatingsCenter) -> Handler:
    async def handle(session: AsyncSession, event: CloudEvent, payload: Any) -> None:
        await record_revisit(session, event, payload, center)

    return handle


def _rating_types(
    source: str, kinds: list[str], link_prefix: str, center: RatingsCenter
) -> dict[str, tuple[type[BaseModel], Handler]]:
    if source == "hotline":
        revisited = _reviser(center)
        return {f"ys.hotline.{kind}.revisited": (TicketRevisited, revisited) for kind in kinds}
    if source in RATED_SOURCES:
        inviter = _inviter(link_prefix)
        return {f"ys.{source}.{kind}.completed": (CaseCompleted, inviter) for kind in kinds}
    return {}


def _spec(
    source: str, purpose: str, types: dict[str, tuple[type[BaseModel], Handler]]
) -> ConsumerSpec:
    catalogue = EventCatalogue(title=f"{SERVICE} reads {source} for {purpose}")
    spec = ConsumerSpec(service=SERVICE, source=source, purpose=purpose, catalogue=catalogue)
    for type_, (model, handler) in types.items():
        catalogue.register(
            type_, model, description=f"consumed for {purpose}", consumers=(SERVICE,)
        )
        spec.add(type_, handler)
    return spec


def oversight_spec(source: str, kinds: list[str]) -> ConsumerSpec:
    """The consumer of ``source``'s stream that feeds facts, scorecards and the ledger."""
    return _spec(source, "oversight", _oversight_types(source, kinds))


def handover_types(source: str, kind: str) -> tuple[str, list[str]]:
    """Of a kind a center hands on (:data:`ASSIGNED`): the type of the event that opens a
    case, and those that say which unit it counts for (handed to a unit, given back, no
    one's): the other events leave that as it is (:func:`_held`)."""
    names = [ASSIGNED[source, kind], *EXCLUDED.get((source, kind), ())]
    if (source, kind) in RELEASED:
        names.append(RELEASED[source, kind])
    prefix = f"ys.{source}.{kind}"
    return f"{prefix}.{OPENED.get((source, kind), 'created')}", [f"{prefix}.{n}" for n in names]


def consumer_specs(
    kinds: dict[str, list[str]], link_prefix: str, center: RatingsCenter
) -> list[ConsumerSpec]:
    """One durable consumer per (source stream, purpose); ``center``: whose rectifications a
    12345 回访 after a reopen may close (:func:`record_revisit`)."""
    specs = [oversight_spec(SERVICE, OWN_KINDS), DIRECTORY]
    for source, source_kinds in sorted(kinds.items()):
        specs.append(oversight_spec(source, source_kinds))
        rating_types = _rating_types(source, source_kinds, link_prefix, center)
        if rating_types:
            specs.append(_spec(source, "ratings", rating_types))
    return specs
