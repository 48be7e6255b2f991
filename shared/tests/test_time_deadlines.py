"""The deadline engine on a migrated SQLite database, with a frozen clock."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from timesample.kit import SERVICE, database, frozen_clock, outbox, start

from yingshang import time as deadlines
from yingshang.cases import timeline
from yingshang.clock import SHANGHAI
from yingshang.events.envelope import CloudEvent
from yingshang.problems import Conflict, Invalid
from yingshang.time.models import Policy

MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI)


def sh(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)  # type: ignore[misc]


async def test_start_writes_stage_timeline_and_contract_event(tmp_path: Path) -> None:
    async with database(tmp_path) as db:
        with frozen_clock(MONDAY):
            async with db.write() as session:
                stage = await start(session, origin_client="province")
        async with db.read() as session:
            entries = await timeline.entries(session, "application", stage.case_id)
            actions = [(e.action, e.event_id) for e in entries]
        (event,) = await outbox(db)
    assert stage.due_at == sh(2026, 11, 17)  # 10 working days: Tue 3 … Mon 16, 24:00
    assert stage.warning_at == sh(2026, 11, 13)  # 80 %: after the 8th working day
    assert (stage.status, stage.provisional, stage.next_fire_at) == (
        "running",
        False,
        stage.warning_at,
    )
    cloud = CloudEvent.model_validate(event.payload)
    assert cloud.type == "ys.timesample.application.stage_started"
    assert cloud.subject == f"application/{stage.case_id}" == event.case_key
    assert cloud.data == {
        "case_id": str(stage.case_id),
        "case_number": stage.case_number,
        "department": "HALL",
        "origin_client": "province",
        "case_kind": "application",
        "stage": "review",
        "stage_id": str(stage.id),
        "level": 0,
        "due_at": "2026-11-16T16:00:00Z",
    }
    assert actions == [("stage_started", cloud.id)]


async def test_pause_after_three_days_for_five_days_resumes_with_seven_left(tmp_path: Path) -> None:
    async with database(tmp_path) as db, db.write() as session:
        with frozen_clock(MONDAY):
            stage = await start(session)  # 10 working days from Tuesday 3 November
        paused_at = sh(2026, 11, 6, 10, 0)  # Friday: Tue, Wed, Thu used
        with frozen_clock(paused_at):  # recorded when they happen, after the start
            stage = await deadlines.pause(
                session, stage, actor="user:x", reason="专家评审", at=paused_at
            )
        assert (stage.status, stage.remaining, stage.next_fire_at) == ("paused", 7, None)
        with frozen_clock(paused_at + timedelta(days=5)):
            stage = await deadlines.resume(
                session, stage, actor="user:x", at=paused_at + timedelta(days=5)
            )
        assert (stage.status, stage.remaining) == ("running", 7)
        # Resumed Wednesday 11: Thu 12 … Fri 20 are the seven days.
        assert stage.due_at == sh(2026, 11, 21)
        entries = await timeline.entries(session, "application", stage.case_id)
    assert [e.action for e in entries] == ["stage_started", "stage_paused", "stage_resumed"]
    assert entries[1].note == "专家评审"
    assert [e.subject.rsplit(".", 1)[1] for e in await outbox(db)] == [
        "stage_started",
        "stage_paused",
        "stage_resumed",
    ]


async def test_restart_counts_the_full_limit_from_the_day_after(tmp_path: Path) -> None:
    async with database(tmp_path) as db, db.write() as session:
        with frozen_clock(MONDAY):
            stage = await start(session, stage="handle", case_kind="ticket")
            await deadlines.pause(session, stage, actor="user:x", reason="补正")
        stage = await deadlines.restart(session, stage, actor="user:x", at=sh(2026, 11, 9, 16, 0))
    assert stage.status == "running"
    assert stage.due_at == sh(2026, 11, 17)  # Tue 10 … Mon 16


async def test_extension_adds_working_days_after_the_current_due_date(tmp_path: Path) -> None:
    async with database(tmp_path) as db, db.write() as session:
        with frozen_clock(MONDAY):
            stage = await start(session, stage="handle", case_kind="ticket")  # due Mon 9, 24:00
            stage = await deadlines.extend(session, stage, 10, "working_days", actor="user:head")
        assert stage.due_at == sh(2026, 11, 24)  # Tue 10 … Mon 23
        with pytest.raises(Invalid) as refused:
            await deadlines.extend(session, stage, 2, "natural_hours", actor="user:head")
        assert refused.value.extra["field"] == "unit"


async def test_completion_reports_on_time(tmp_path: Path) -> None:
    async with database(tmp_path) as db:
        with frozen_clock(MONDAY) as clock:
            async with db.write() as session:
                early = await start(session, stage="handle", case_kind="ticket")
                late = await start(session, stage="handle", case_kind="ticket")
            clock.set(sh(2026, 11, 9, 23, 59))
            async with db.write() as session:
                await deadlines.complete_stage(session, early.id, actor="user:x")
            clock.set(sh(2026, 11, 10, 0, 0))
            async with db.write() as session:
                await deadlines.complete_stage(session, late.id, actor="user:x")
        completed = await outbox(db, "stage_completed")
    assert [e.payload["data"]["on_time"] for e in completed] == [True, False]
    assert [e.payload["data"]["stage_id"] for e in completed] == [str(early.id), str(late.id)]


async def test_pausing_an_overdue_stage_keeps_it_overdue(tmp_path: Path) -> None:
    async with database(tmp_path) as db, db.write() as session:
        with frozen_clock(MONDAY):
            stage = await start(session, stage="handle", case_kind="ticket")  # due Mon 9, 24:00
        due = stage.due_at
        await deadlines.pause(session, stage, actor="u", at=sh(2026, 11, 11, 9, 0))
        assert stage.remaining == 0
        await deadlines.resume(session, stage, actor="u", at=sh(2026, 11, 20, 9, 0))
        assert (stage.due_at, stage.next_fire_at) == (due, stage.warning_at)
        await deadlines.extend(session, stage, 1, "working_days", actor="u")
        assert stage.due_at == sh(2026, 11, 11)  # one working day after Monday 9
        await deadlines.complete_stage(session, stage, actor="u", at=sh(2026, 11, 10, 12, 0))
        assert stage.on_time is True


async def test_natural_and_office_time_resume_from_the_resume_instant(tmp_path: Path) -> None:
    async with database(tmp_path) as db, db.write() as session:
        with frozen_clock(sh(2026, 11, 27, 16, 0)):
            hours = await start(session, stage="sign_for", case_kind="ticket", urgency="urgent")
            natural = await start(session, stage="contact", case_kind="ticket")
        assert hours.due_at == sh(2026, 11, 30, 11, 30)
        for stage in (hours, natural):
            await deadlines.pause(session, stage, actor="u", at=sh(2026, 11, 27, 17, 0))
            await deadlines.resume(session, stage, actor="u", at=sh(2026, 12, 1, 10, 0))
        assert hours.remaining == 3 * 3600  # one office hour used on Friday
        assert hours.due_at == sh(2026, 12, 1, 14, 30)  # 10:00-12:00 + 13:30-14:30
        assert natural.due_at == sh(2026, 12, 1, 11, 0)  # one of two hours left


async def _handle_policy(session: AsyncSession) -> Policy:
    """The ticket's 办理 policy row, to edit."""
    return (await session.execute(select(Policy).where(Policy.stage == "handle"))).scalar_one()


async def test_policy_edits_apply_to_new_stages_only(tmp_path: Path) -> None:
    async with database(tmp_path) as db, db.write() as session:
        with frozen_clock(MONDAY):
            before = await start(session, stage="handle", case_kind="ticket")
            policy = await _handle_policy(session)
            policy.amount = 2
            after = await start(session, stage="handle", case_kind="ticket")
    assert (before.amount, before.due_at) == (5, sh(2026, 11, 10))
    assert (after.amount, after.due_at) == (2, sh(2026, 11, 5))


async def test_a_ladder_edit_applies_to_the_next_stage(tmp_path: Path) -> None:
    """The validated terms are kept by the policy's stored values, the ladder among them: a
    new ladder under the same limit is not served the old one."""
    async with database(tmp_path) as db, db.write() as session:
        with frozen_clock(MONDAY):
            before = await start(session, stage="handle", case_kind="ticket")
            policy = await _handle_policy(session)
            policy.ladder = [{**policy.ladder[0], "target": "bureau"}]
            after = await start(session, stage="handle", case_kind="ticket")
    assert before.amount == after.amount == 5
    assert [level["target"] for level in before.ladder] == [
        "responsible_head",
        "bureau",
        "committee",
    ]
    assert [level["target"] for level in after.ladder] == ["bureau"]


async def test_override_amount_keeps_the_policy_ladder(tmp_path: Path) -> None:
    async with database(tmp_path) as db, db.write() as session:
        with frozen_clock(MONDAY):
            stage = await start(session, amount=3)
    assert (stage.amount, stage.unit, stage.due_at) == (3, "working_days", sh(2026, 11, 6))
    assert [level["target"] for level in stage.ladder] == [
        "responsible_head",
        "bureau",
        "committee",
    ]


async def test_refusals(tmp_path: Path) -> None:
    async with database(tmp_path) as db, db.write() as session:
        stage = await start(session)
        with pytest.raises(Conflict, match="已在计时"):
            await start(session, case_id=stage.case_id)
        with pytest.raises(Conflict) as missing:
            await start(session, stage="nonexistent")
        assert missing.value.code == "policy-missing"
        with pytest.raises(Invalid):
            await start(session, case_kind="Bad-Kind")
        with pytest.raises(Conflict) as state:
            await deadlines.resume(session, stage, actor="u")
        assert state.value.extra["stage_status"] == "running"
        await deadlines.cancel(session, stage, actor="u", reason="撤回")
        with pytest.raises(Conflict):
            await deadlines.pause(session, stage, actor="u")
        with pytest.raises(Invalid, match="必须大于零"):
            await deadlines.extend(session, (await start(session)).id, 0, "working_days", actor="u")
    assert [e.subject.rsplit(".", 1)[1] for e in await outbox(db)] == [
        "stage_started",
        "stage_cancelled",
        "stage_started",
    ]


async def test_lookups(tmp_path: Path) -> None:
    async with database(tmp_path) as db, db.write() as session:
        stage = await start(session)
        assert await deadlines.open_stage(session, "application", stage.case_id, "review") is stage
        assert await deadlines.stages_of(session, "application", stage.case_id) == [stage]
        await deadlines.complete_stage(session, stage, actor="u")
        assert await deadlines.open_stage(session, "application", stage.case_id, "review") is None
        assert await deadlines.open_stage(session, "application", uuid.uuid4(), "review") is None


def test_due_for_a_policy() -> None:
    terms = deadlines.PolicyTerms(amount=5, unit=deadlines.Unit.WORKING_DAYS)
    due = deadlines.due_for(terms, sh(2026, 9, 24, 9, 0))
    assert (due.at, due.provisional) == (datetime(2026, 10, 9, 16, 0, tzinfo=UTC), False)
    assert SERVICE == "timesample"


def test_ladder_json_is_the_ladder_as_pydantic_dumps_it() -> None:
    """``ladder_json`` builds the stored ladder by hand (it runs on every stage started):
    it must stay what ``model_dump(mode="json")`` gives, for every field of a level."""
    custom = [
        {"level": 1, "after": {"amount": 0, "unit": "natural_hours"}, "target": "bureau",
         "action": "notify"},
        {"level": 2, "after": {"amount": 3, "unit": "working_days"}, "target": "committee",
         "action": "written_notice"},
    ]  # fmt: skip
    for terms in (
        deadlines.PolicyTerms(amount=5, unit=deadlines.Unit.WORKING_DAYS),
        deadlines.PolicyTerms(amount=2, unit=deadlines.Unit.NATURAL_HOURS, ladder=custom),
    ):
        dumped = [level.model_dump(mode="json") for level in terms.ladder]
        assert terms.ladder_json() == dumped
        assert terms.ladder_json() == terms.model_dump(mode="json")["ladder"]
