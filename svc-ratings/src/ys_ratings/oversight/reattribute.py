"""``python -m ys_ratings.oversight.reattribute``: the unit each handed-on case counts for
(部门考核), recomputed from the producers' streams under the rule the consumers follow now.

The rule: a case a center hands on (a 12345 ticket, a complaint, a 交办单: ``consumers.ASSIGNED``)
counts for the center until 派单/交办, for the unit it was handed to from then on, for the
center again after an approved 退单 or a 退回, and for no one once merged (并单) or transferred
to the complaints center. Facts written before that rule name the department of the events'
own ``department`` (a ticket's category's at intake) and were never taken out of 受理.

Why a command and not a migration: a fact keeps what the rule made of the events
(``CaseFact.department``, ``excluded``), not the events. Which tickets were dispatched, given
back, merged or transferred is known only to the producers, in their streams (the inbox keeps
event ids and types, not cases; the later hand-over events were not even delivered before the
rule took them). So each case's opening and hand-over events are read back from the stream
(``yingshang.events.readback``) and run, in order, through the same handlers the oversight
consumer runs, from the center's attribution at the opening. A case whose opening event the
stream no longer holds (``MAX_AGE_SECONDS``, 90 days) cannot be told apart and is left as it
is: the report counts those. Running it again changes nothing more.
"""

from __future__ import annotations

import argparse
import asyncio
import uuid
from collections.abc import Sequence
from contextlib import aclosing
from dataclasses import dataclass, field

from nats.js import JetStreamContext
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.db import Database
from yingshang.events.catalogue import ParsedEvent
from yingshang.events.consumer import ConsumerSpec
from yingshang.events.readback import Readback
from yingshang.events.streams import NatsConnection
from ys_ratings.intake.consumers import ASSIGNED, handover_types, oversight_spec
from ys_ratings.intake.payloads import CaseCommon, center
from ys_ratings.oversight.models import CaseFact
from ys_ratings.settings import Settings

CHUNK = 500  # cases per write transaction


@dataclass
class Recount:
    """What a run did for the handed-on kinds of one producer."""

    service: str
    kinds: list[str]
    recomputed: int = 0  # facts whose opening event the stream still holds
    changed: int = 0  # … whose unit or exclusion the rule changed
    left: int = 0  # facts older than the stream: left as they were
    refused: list[str] = field(default_factory=list)  # events the catalogue refused

    def line(self) -> str:
        return (
            f"{self.service} ({', '.join(self.kinds)}): {self.recomputed} cases recomputed, "
            f"{self.changed} changed; {self.left} older than the stream left as they were; "
            f"{len(self.refused)} events refused"
        )


@dataclass
class Histories:
    """Per case, its hand-over events in order; ``opened``: the cases whose opening event the
    stream holds (their whole history is there: a stream loses its oldest events first)."""

    opened: set[uuid.UUID] = field(default_factory=set)
    handovers: dict[uuid.UUID, list[ParsedEvent]] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)


async def _histories(js: JetStreamContext, spec: ConsumerSpec, kinds: list[str]) -> Histories:
    opening: set[str] = set()
    types: list[str] = []
    for kind in kinds:
        opens, handovers = handover_types(spec.source, kind)
        opening.add(opens)
        types += [opens, *handovers]
    reader = Readback(js, spec.source, spec.catalogue, types)
    found = Histories(refused=reader.refused)
    async with aclosing(reader.events()) as events:
        async for parsed in events:
            assert isinstance(parsed.payload, CaseCommon)  # the payload of every type read
            case_id = parsed.payload.case_id
            if parsed.event.type in opening:
                found.opened.add(case_id)
            else:
                found.handovers.setdefault(case_id, []).append(parsed)
    return found


async def _recompute(
    session: AsyncSession, spec: ConsumerSpec, fact: CaseFact, events: list[ParsedEvent]
) -> bool:
    """The fact as the consumer makes it now: the center's from the opening, then each
    hand-over through the consumer's own handler. True when that changed it."""
    before = (fact.department, fact.excluded)
    fact.department, fact.excluded = center(spec.source), None
    for parsed in events:
        handler = spec.handler_for(parsed.event.type)
        assert handler is not None  # read back by the types the spec handles
        await handler(session, parsed.event, parsed.payload)
    await session.flush()
    return (fact.department, fact.excluded) != before


async def _source(db: Database, js: JetStreamContext, service: str, kinds: list[str]) -> Recount:
    spec = oversight_spec(service, kinds)
    found = await _histories(js, spec, kinds)
    report = Recount(service, kinds, refused=found.refused)
    ids = sorted(found.opened)
    for start in range(0, len(ids), CHUNK):
        async with db.write() as session:
            facts = await session.scalars(
                select(CaseFact).where(
                    CaseFact.service == service,
                    CaseFact.case_kind.in_(kinds),
                    CaseFact.case_id.in_(ids[start : start + CHUNK]),
                )
            )
            for fact in facts.all():
                report.recomputed += 1
                events = found.handovers.get(fact.case_id, [])
                report.changed += await _recompute(session, spec, fact, events)
    async with db.read() as session:
        total = await session.scalar(
            select(func.count())
            .select_from(CaseFact)
            .where(CaseFact.service == service, CaseFact.case_kind.in_(kinds))
        )
    report.left = int(total or 0) - report.recomputed
    return report


async def reattribute(
    db: Database, js: JetStreamContext, consumed: dict[str, list[str]]
) -> list[Recount]:
    """Recompute the facts of every consumed kind a center hands on (``consumed``: the
    setting ``consumed_kinds``), one producer's stream after the other."""
    reports = []
    for service, kinds in sorted(consumed.items()):
        handed = [kind for kind in kinds if (service, kind) in ASSIGNED]
        if handed:
            reports.append(await _source(db, js, service, handed))
    return reports


async def _run(settings: Settings, wait_seconds: float) -> list[Recount]:
    db = Database(settings.db_url())
    nats = NatsConnection(settings.nats_url, service=settings.service, streams=())
    await nats.start()
    try:
        await nats.wait_connected(wait_seconds)
        return await reattribute(db, nats.js, settings.consumed_kinds)
    finally:
        await nats.stop()
        await db.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    """Recompute the unit each handed-on case counts for, with the service's settings
    (``YS_RATINGS_DATABASE_URL`` or ``YS_DATABASE_URL``, ``YS_NATS_URL``,
    ``YS_CONSUMED_KINDS``)."""
    parser = argparse.ArgumentParser(
        prog="python -m ys_ratings.oversight.reattribute", description=main.__doc__
    )
    parser.add_argument(
        "--wait", type=float, default=30.0, help="seconds to wait for NATS (default 30)"
    )
    args = parser.parse_args(argv)
    for report in asyncio.run(_run(Settings(), args.wait)):
        print(report.line())
        for reason in report.refused:
            print(f"  refused: {reason}")
    return 0


if __name__ == "__main__":  # run as a script: the module's own classes are the imported ones
    from ys_ratings.oversight import reattribute as command

    raise SystemExit(command.main())
