"""The sweeper: warning, overdue and escalations exactly once per stage and level."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from timesample.kit import database, frozen_clock, outbox, start

from yingshang import time as deadlines
from yingshang.cases import timeline
from yingshang.cases.timeline import TimelineLabels
from yingshang.clock import SHANGHAI
from yingshang.db import Database
from yingshang.events.catalogue import EventCatalogue
from yingshang.events.envelope import CloudEvent
from yingshang.time import DEADLINE_TIMELINE
from yingshang.time.events import DEADLINE_EVENTS, register_deadline_events, timeline_action
from yingshang.time.models import DeadlineStage
from yingshang.time.sweeper import DeadlineSweeper, Firing

MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI)


def sh(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)  # type: ignore[misc]


def kinds(rows: Sequence[object]) -> list[tuple[str, int]]:
    return [(r.subject.rsplit(".", 1)[1], r.payload["data"]["level"]) for r in rows]  # type: ignore[attr-defined]


async def fired_at(
    db: Database, sweeper: DeadlineSweeper, clock_at: datetime
) -> list[tuple[str, int]]:
    """Sweep at ``clock_at``; the deadline events it wrote."""
    before = len(await outbox(db))
    with frozen_clock(clock_at):
        await sweeper.sweep()
    return kinds((await outbox(db))[before:])


async def test_the_ladder_fires_in_order_and_once(tmp_path: Path) -> None:
    async with database(tmp_path) as db:
        with frozen_clock(MONDAY):  # 10 working days: due Mon 16, 24:00; warning Thu 12, 24:00
            async with db.write() as session:
                stage = await start(session)
        sweeper = DeadlineSweeper(db)
        assert await fired_at(db, sweeper, sh(2026, 11, 12, 23, 0)) == []
        assert await fired_at(db, sweeper, sh(2026, 11, 13, 0, 0)) == [("warning", 0)]
        assert await fired_at(db, sweeper, sh(2026, 11, 14, 9, 0)) == []
        assert await fired_at(db, sweeper, sh(2026, 11, 17, 0, 1)) == [
            ("overdue", 1),
            ("escalated", 1),
        ]
        assert await fired_at(db, sweeper, sh(2026, 11, 17, 23, 0)) == []
        assert await fired_at(db, sweeper, sh(2026, 11, 18, 0, 0)) == [("escalated", 2)]
        assert await fired_at(db, sweeper, sh(2026, 11, 24, 0, 0)) == [("escalated", 3)]
        assert await fired_at(db, sweeper, sh(2027, 1, 1)) == []
        async with db.read() as session:
            row = await deadlines.get_stage(session, stage.id)
            assert (row.warning_emitted, row.overdue_emitted, row.level_emitted) == (True, True, 3)
            assert row.next_fire_at is None
            actions = [
                e.action for e in await timeline.entries(session, "application", row.case_id)
            ]
    # Entries written at one instant (overdue and L1) have no defined order between them.
    assert sorted(actions) == sorted(
        ["stage_started", "deadline_warning", "deadline_overdue"] + ["deadline_escalated"] * 3
    )


async def test_sweeper_events_match_the_contract_and_the_envelope(tmp_path: Path) -> None:
    async with database(tmp_path) as db:
        with frozen_clock(MONDAY):
            async with db.write() as session:
                stage = await start(session, origin_client="province")
        await fired_at(db, DeadlineSweeper(db), sh(2026, 12, 31))  # a late sweeper: all at once
        rows = (await outbox(db))[1:]
    assert kinds(rows) == [("warning", 0), ("overdue", 1)] + [("escalated", n) for n in (1, 2, 3)]
    events = [CloudEvent.model_validate(r.payload) for r in rows]
    assert {e.subject for e in events} == {f"application/{stage.case_id}"}
    assert events[0].type == "ys.timesample.application.warning"
    assert events[4].data == {
        "case_id": str(stage.case_id),
        "case_number": stage.case_number,
        "department": "HALL",
        "origin_client": "province",
        "case_kind": "application",
        "stage": "review",
        "stage_id": str(stage.id),
        "level": 3,
        "due_at": "2026-11-16T16:00:00Z",
        "target": "committee",
        "action": "written_notice",
    }
    assert len({e.id for e in events}) == 5
    assert all(
        re.fullmatch(r"00-[0-9a-f]{32}-[0-9a-f]{16}-01", e.traceparent or "") for e in events
    )


async def test_paused_completed_and_cancelled_stages_stay_quiet(tmp_path: Path) -> None:
    async with database(tmp_path) as db:
        with frozen_clock(MONDAY):
            async with db.write() as session:
                paused = await start(session)
                await deadlines.pause(session, paused, actor="u", reason="听证")
                done = await start(session)
                await deadlines.complete_stage(session, done, actor="u")
                cancelled = await start(session)
                await deadlines.cancel(session, cancelled, actor="u")
        assert await fired_at(db, DeadlineSweeper(db), sh(2027, 6, 1)) == []


async def test_hooks_run_in_the_sweep_transaction(tmp_path: Path) -> None:
    seen: list[Firing] = []

    async def remember(session: AsyncSession, firings: Sequence[Firing]) -> None:
        seen.extend(firings)

    async def refuse(session: AsyncSession, firings: Sequence[Firing]) -> None:
        raise RuntimeError("the service could not flag its case")

    async with database(tmp_path) as db:
        with frozen_clock(MONDAY):
            async with db.write() as session:
                stage = await start(session)
        with pytest.raises(RuntimeError), frozen_clock(sh(2026, 11, 17, 1, 0)):
            await DeadlineSweeper(db, hooks=[remember, refuse]).sweep()
        assert await fired_at(db, DeadlineSweeper(db), MONDAY) == []  # rolled back: nothing
        seen.clear()
        assert len(await fired_at(db, DeadlineSweeper(db, hooks=[remember]), sh(2026, 11, 17))) == 3
    assert [(f.event, f.level, f.target) for f in seen] == [
        ("warning", 0, None),
        ("overdue", 1, None),
        ("escalated", 1, "responsible_head"),
    ]
    assert {f.stage_id for f in seen} == {stage.id}


async def test_batches_drain_everything_due(tmp_path: Path) -> None:
    async with database(tmp_path) as db:
        with frozen_clock(MONDAY):
            async with db.write() as session:
                for _ in range(7):
                    await start(session, stage="handle", case_kind="ticket")
        sweeper = DeadlineSweeper(db, batch_size=3)
        with frozen_clock(sh(2026, 11, 10, 1, 0)):
            assert await sweeper.sweep() == 7 * 3
            assert await sweeper.sweep() == 0


async def test_readiness_names_years_without_data(tmp_path: Path) -> None:
    async with database(tmp_path) as db:
        with frozen_clock(sh(2026, 12, 28, 10, 0)):
            sweeper = DeadlineSweeper(db)
            await sweeper.refresh_status()
            assert sweeper.readiness()["warnings"] == []
            async with db.write() as session:
                stage = await start(session, stage="handle", case_kind="ticket")
            assert stage.provisional
            await sweeper.refresh_status()
        assert sweeper.readiness()["years_without_data"] == [2027]
        assert "2027" in sweeper.readiness()["warnings"][0]


async def test_two_sweepers_on_one_sqlite_file_emit_each_step_once(tmp_path: Path) -> None:
    """Two sweepers with their own engines (like two processes), real time, 2-second policy."""
    async with database(tmp_path) as db:
        async with db.write() as session:
            stages = [await start(session, stage="quick", case_kind="ticket") for _ in range(20)]
        other = Database(db.url)
        sweepers = [DeadlineSweeper(db, interval=0.01), DeadlineSweeper(other, interval=0.01)]
        try:
            for sweeper in sweepers:
                await sweeper.start()
            await _wait_until_all_escalated(db, len(stages))
        finally:
            for sweeper in sweepers:
                await sweeper.stop()
            await other.dispose()
        rows = await outbox(db)
    counts: dict[tuple[str, str, int], int] = {}
    for row in rows[len(stages) :]:
        key = (row.payload["data"]["stage_id"], *kinds([row])[0])
        counts[key] = counts.get(key, 0) + 1
    expected = [
        ("warning", 0),
        ("overdue", 1),
        ("escalated", 1),
        ("escalated", 2),
        ("escalated", 3),
    ]
    assert counts == {(str(s.id), *step): 1 for s in stages for step in expected}
    assert sum(s.emitted for s in sweepers) == len(counts)


async def _wait_until_all_escalated(db: Database, count: int) -> None:
    query = select(DeadlineStage.id).where(DeadlineStage.level_emitted == 3)
    for _ in range(400):  # a bounded wait (the policy is seconds long), not a timing assertion
        async with db.read() as session:
            if len((await session.execute(query)).all()) == count:
                return
        await asyncio.sleep(0.025)
    raise AssertionError("the sweepers did not finish the ladder")


async def every_kind_of_change(db: Database) -> list[DeadlineStage]:
    """Two stages that, between them, emit every deadline event but ``stage_rescheduled``."""
    with frozen_clock(MONDAY):
        async with db.write() as session:
            stage = await start(session)
            await deadlines.pause(session, stage, actor="u", reason="补正")
            await deadlines.resume(session, stage, actor="u")
            await deadlines.extend(session, stage, 2, "working_days", actor="u")
            await deadlines.restart(session, stage, actor="u")
    await fired_at(db, DeadlineSweeper(db), sh(2026, 12, 31))
    with frozen_clock(sh(2026, 12, 31, 12)):  # after the sweep (and the due time)
        async with db.write() as session:
            await deadlines.complete_stage(session, stage.id, actor="u")
            other = await start(session)
            await deadlines.cancel(session, other, actor="u")
    return [stage, other]


async def test_every_deadline_event_validates_against_the_catalogue(tmp_path: Path) -> None:
    catalogue = register_deadline_events(EventCatalogue(), "timesample", ("application",))
    async with database(tmp_path) as db:
        await every_kind_of_change(db)
        rows = await outbox(db)
    parsed = [catalogue.validate(CloudEvent.model_validate(r.payload)) for r in rows]
    names = {p.event.type.rsplit(".", 1)[1] for p in parsed}
    assert names == set(DEADLINE_EVENTS) - {"stage_rescheduled"}
    completed = next(p for p in parsed if p.event.type.endswith(".stage_completed"))
    assert completed.payload.model_dump()["on_time"] is False


async def test_every_timeline_entry_of_the_engine_has_its_label(tmp_path: Path) -> None:
    labels = TimelineLabels(DEADLINE_TIMELINE)
    async with database(tmp_path) as db:
        stages = await every_kind_of_change(db)
        async with db.read() as session:
            entries = [
                labels.out(entry)
                for stage in stages
                for entry in await timeline.entries(session, "application", stage.case_id)
            ]
    recorded = {timeline_action(name) for name in DEADLINE_EVENTS} - {"stage_rescheduled"}
    assert {e.action for e in entries} == recorded  # each event under its timeline action
    assert all(e.label != e.action for e in entries), [e.action for e in entries]
    paused = next(e for e in entries if e.action == "stage_paused")
    assert (paused.label, paused.from_label, paused.to_label) == ("暂停计时", "计时中", "已暂停")
    assert next(e for e in entries if e.action == "deadline_escalated").label == "升级督办"
    assert labels.label(timeline_action("stage_rescheduled")) == "调整时限"
    # the sweeper's entries speak the staff's words and say who wrote them
    swept = [e for e in entries if e.action.startswith("deadline_")]
    notes = {e.action: [] for e in swept}
    for e in swept:
        notes[e.action].append(e.note)
    assert set(notes["deadline_warning"]) == {"即将到期，请抓紧办理"}
    assert set(notes["deadline_overdue"]) == {"已超过时限"}
    assert notes["deadline_escalated"][0].startswith("第 1 级督办 → ")
    assert {e.actor_name for e in swept} == {"系统（时限监控）"}
