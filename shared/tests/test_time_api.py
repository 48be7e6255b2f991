"""Policies and calendar admin APIs on the sample app, over HTTP, with readiness warnings."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from timesample.kit import FIXTURE_2027, frozen_clock, outbox, running_app, start

from yingshang import audit
from yingshang.audit import AuditEntry
from yingshang.auth import undeclared_routes
from yingshang.clock import SHANGHAI
from yingshang.events.catalogue import EventCatalogue
from yingshang.events.envelope import CloudEvent
from yingshang.time import deadlines
from yingshang.time.events import register_deadline_events
from yingshang.time.models import DeadlineStage

POLICIES = "/api/v1/timesample/policies"
YEARS = "/api/v1/timesample/admin/calendar/years"
ADMIN = ("BUREAU", "admin")
STAFF = ("HALL", "staff")
NEW = {"case_kind": "visit", "stage": "propose", "amount": 7, "unit": "natural_days"}


def sh(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)  # type: ignore[misc]


def problem_fields(response: httpx.Response) -> set[str]:
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    return {e["field"] for e in body.get("errors", [])} | {body.get("field", "")}


async def test_every_route_declares_its_access(tmp_path: Path) -> None:
    async with running_app(tmp_path) as (app, _client, _issuer):
        assert undeclared_routes(app) == []


async def test_staff_read_policies_and_admins_edit_them(tmp_path: Path) -> None:
    async with running_app(tmp_path) as (_app, client, issuer):
        listed = await client.get(
            POLICIES, params={"case_kind": "ticket"}, headers=issuer.headers(STAFF)
        )
        assert listed.status_code == 200
        assert [p["stage"] for p in listed.json()] == ["contact", "handle", "quick", "sign_for"]
        assert (await client.get(POLICIES)).status_code == 401
        refused = await client.post(POLICIES, json=NEW, headers=issuer.headers(STAFF))
        assert refused.status_code == 403
        created = await client.post(POLICIES, json=NEW, headers=issuer.headers(ADMIN))
        assert created.status_code == 201
        body = created.json()
        assert (body["version"], body["warning_fraction"], len(body["ladder"])) == (1, 0.8, 3)
        again = await client.post(POLICIES, json=NEW, headers=issuer.headers(ADMIN))
        assert (again.status_code, again.json()["type"].rsplit("/", 1)[1]) == (409, "policy-exists")
        url = f"{POLICIES}/{body['id']}"
        read = await client.get(url, headers=issuer.headers(STAFF))
        assert read.headers["etag"] == created.headers["etag"]
        patch = {"amount": 5, "warning_fraction": 0.5}
        edited = await client.patch(
            url, json=patch, headers={**issuer.headers(ADMIN), "If-Match": read.headers["etag"]}
        )
        assert (edited.status_code, edited.json()["amount"], edited.json()["version"]) == (
            200,
            5,
            2,
        )
        stale = await client.patch(
            url, json=patch, headers={**issuer.headers(ADMIN), "If-Match": read.headers["etag"]}
        )
        assert stale.status_code == 412


BAD_POLICIES: list[tuple[dict[str, Any], str]] = [
    ({**NEW, "unit": "fortnights"}, "unit"),
    ({**NEW, "amount": 0}, "amount"),
    ({**NEW, "warning_fraction": 1.0}, "warning_fraction"),
    ({**NEW, "warning_fraction": 0}, "warning_fraction"),
    ({**NEW, "case_kind": "Visit-Case"}, "case_kind"),
    ({**NEW, "urgency": "u" * 21}, "urgency"),  # the column holds 20
    ({**NEW, "amount": 100000, "unit": "working_days"}, "amount"),
    (
        {
            **NEW,
            "ladder": [
                {
                    "level": 2,
                    "after": {"amount": 0, "unit": "working_days"},
                    "target": "bureau",
                    "action": "urge",
                }
            ],
        },
        "ladder",
    ),
    (
        {
            **NEW,
            "ladder": [
                {
                    "level": 1,
                    "after": {"amount": 3, "unit": "working_days"},
                    "target": "bureau",
                    "action": "urge",
                },
                {
                    "level": 2,
                    "after": {"amount": 1, "unit": "working_days"},
                    "target": "committee",
                    "action": "written_notice",
                },
            ],
        },
        "ladder",
    ),
    (
        {
            **NEW,
            "ladder": [
                {
                    "level": 1,
                    "after": {"amount": 0, "unit": "working_days"},
                    "target": "mayor",
                    "action": "urge",
                }
            ],
        },
        "ladder.0.target",
    ),
]


async def test_invalid_policies_are_refused_with_problem_details(tmp_path: Path) -> None:
    async with running_app(tmp_path) as (_app, client, issuer):
        for body, field in BAD_POLICIES:
            response = await client.post(POLICIES, json=body, headers=issuer.headers(ADMIN))
            assert response.status_code == 422, body
            assert any(f.startswith(field) for f in problem_fields(response)), (
                field,
                response.text,
            )
        listed = await client.get(
            POLICIES, params={"case_kind": "visit"}, headers=issuer.headers(STAFF)
        )
        assert listed.json() == []
        (policy,) = (
            await client.get(POLICIES, params={"stage": "handle"}, headers=issuer.headers(STAFF))
        ).json()
        bad = await client.patch(
            f"{POLICIES}/{policy['id']}",
            json={"warning_fraction": 2},
            headers=issuer.headers(ADMIN),
        )
        assert (bad.status_code, problem_fields(bad)) == (422, {"warning_fraction"})
        missing = await client.get(f"{POLICIES}/99999", headers=issuer.headers(STAFF))
        assert missing.status_code == 404
        for url in (f"{POLICIES}/{10**30}", f"{YEARS}/{10**30}"):
            huge = await client.get(url, headers=issuer.headers(STAFF))
            assert huge.status_code == 422


async def start_in_app(app: FastAPI, at: datetime, stage: str = "handle") -> DeadlineStage:
    with frozen_clock(at):
        async with app.state.db.write() as session:
            return await start(session, stage=stage, case_kind="ticket")


async def wait_for_warnings(
    app: FastAPI, client: httpx.AsyncClient, present: bool
) -> dict[str, Any]:
    for _ in range(200):  # bounded wait for the sweeper's next status refresh
        report = (await client.get("/readyz")).json()
        if bool(report["warnings"]) is present:
            return report  # type: ignore[no-any-return]
        await asyncio.sleep(0.02)
    raise AssertionError(f"readiness warnings never became {present}")


async def test_loading_2027_moves_open_provisional_due_dates(tmp_path: Path) -> None:
    fixture = json.loads(FIXTURE_2027.read_text(encoding="utf-8"))
    async with running_app(tmp_path, status_interval=0.0) as (app, client, issuer):
        stage = await start_in_app(app, sh(2026, 12, 28, 10, 0))  # 5 wd: Tue 29 … Mon 4
        assert (stage.due_at, stage.provisional) == (sh(2027, 1, 5), True)
        report = await wait_for_warnings(app, client, True)
        assert report["checks"]["deadline_sweeper"]["years_without_data"] == [2027]
        assert "2027" in report["warnings"][0]
        refused = await client.post(YEARS, json=fixture, headers=issuer.headers(STAFF))
        assert refused.status_code == 403
        loaded = await client.post(YEARS, json=fixture, headers=issuer.headers(ADMIN))
        assert loaded.status_code == 201, loaded.text
        assert (loaded.json()["recomputed"], loaded.json()["off_days"]) == (1, 10)
        async with app.state.db.read() as session:
            moved = await deadlines.get_stage(session, stage.id)
            assert (moved.due_at, moved.provisional) == (sh(2027, 1, 6), False)  # 1 Jan is off
        (event,) = await outbox(app.state.db, "stage_rescheduled")
        catalogue = register_deadline_events(EventCatalogue(), "timesample", ("ticket",))
        parsed = catalogue.validate(CloudEvent.model_validate(event.payload)).payload
        assert parsed.model_dump()["previous_due_at"] == sh(2027, 1, 5)
        await wait_for_warnings(app, client, False)
        years = await client.get(YEARS, headers=issuer.headers(STAFF))
        assert {y["year"]: y["source"] for y in years.json()}[2027] == "county-file"
        document = await client.get(f"{YEARS}/2027", headers=issuer.headers(STAFF))
        assert document.json()["days"][0] == {
            "name": "元旦",
            "date": "2027-01-01",
            "isOffDay": True,
        }


async def test_a_bad_year_document_changes_nothing(tmp_path: Path) -> None:
    async with running_app(tmp_path) as (app, client, issuer):
        stage = await start_in_app(app, sh(2026, 12, 28, 10, 0))
        bad = {"year": 2027, "days": [{"name": "元旦", "date": "2027-13-01", "isOffDay": True}]}
        response = await client.post(YEARS, json=bad, headers=issuer.headers(ADMIN))
        assert response.status_code == 422
        assert (await client.get(f"{YEARS}/2027", headers=issuer.headers(STAFF))).status_code == 404
        async with app.state.db.read() as session:
            assert (await deadlines.get_stage(session, stage.id)).provisional is True


async def test_calendar_files_from_settings_load_at_start(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    async with running_app(tmp_path, calendar_files=[FIXTURE_2027, broken]) as (_a, client, issuer):
        years = (await client.get(YEARS, headers=issuer.headers(STAFF))).json()
        loaded = [y for y in years if y["source"] == "county-file"]
        assert [(y["year"], y["loaded_by"]) for y in loaded] == [(2027, "system:calendar-file")]
        report = (await client.get("/readyz")).json()
        assert any("broken.json" in w for w in report["warnings"])


async def test_admin_changes_are_audited(tmp_path: Path) -> None:
    fixture = json.loads(FIXTURE_2027.read_text(encoding="utf-8"))
    async with running_app(tmp_path) as (app, client, issuer):
        headers = issuer.headers(ADMIN, sub="user:admin1", staff_no="A001")
        created = (await client.post(POLICIES, json=NEW, headers=headers)).json()
        await client.patch(f"{POLICIES}/{created['id']}", json={"amount": 9}, headers=headers)
        await client.post(YEARS, json=fixture, headers=headers)
        await client.post(YEARS, json=fixture, headers=headers)  # same document: no change
        async with app.state.db.read() as session:
            rows = (await session.execute(select(AuditEntry).order_by(AuditEntry.seq))).scalars()
            trail = [(e.action, e.object_id, e.actor, e.staff_no, e.position) for e in rows]
            report = await audit.verify(session)
    policy_id = str(created["id"])
    assert trail == [
        ("policy.create", policy_id, "user:admin1", "A001", "BUREAU:admin"),
        ("policy.update", policy_id, "user:admin1", "A001", "BUREAU:admin"),
        ("calendar.load_year", "2027", "user:admin1", "A001", "BUREAU:admin"),
    ]
    assert report.ok


TOWN_ADMIN = ("LONGQUAN", "admin")  # an admin post, but of one town


async def test_time_limits_and_calendars_are_the_county_administrators(tmp_path: Path) -> None:
    """Time limits and working-day calendars are shared by the whole county: a town's (or any
    other unit's) admin may change neither (403, nothing changed); BUREAU/admin may."""
    fixture = json.loads(FIXTURE_2027.read_text(encoding="utf-8"))
    async with running_app(tmp_path) as (_app, client, issuer):
        town, bureau = issuer.headers(TOWN_ADMIN), issuer.headers(ADMIN)
        policy = (await client.get(POLICIES, headers=bureau)).json()[0]
        url = f"{POLICIES}/{policy['id']}"
        etag = (await client.get(url, headers=bureau)).headers["etag"]
        refused = [
            await client.post(POLICIES, json=NEW, headers=town),
            await client.patch(url, json={"amount": 99}, headers={**town, "If-Match": etag}),
            await client.post(YEARS, json=fixture, headers=town),
        ]
        unchanged = (await client.get(url, headers=bureau)).json()
        years = (await client.get(YEARS, headers=bureau)).json()
        allowed = [
            await client.post(POLICIES, json=NEW, headers=bureau),
            await client.patch(url, json={"amount": 99}, headers={**bureau, "If-Match": etag}),
            await client.post(YEARS, json=fixture, headers=bureau),
        ]
    assert [r.status_code for r in refused] == [403, 403, 403]
    assert all(r.headers["content-type"] == "application/problem+json" for r in refused)
    assert unchanged["amount"] == policy["amount"]
    assert not any(y.get("loaded_at") for y in years if y["year"] == 2027)
    assert [r.status_code for r in allowed] == [201, 200, 201]


async def test_an_admin_change_is_audited_in_the_county_post(tmp_path: Path) -> None:
    """A person holding a town's admin post and the bureau's acts in the bureau's: the audit
    names that post, not the first admin post the token lists."""
    async with running_app(tmp_path) as (app, client, issuer):
        both = issuer.headers(TOWN_ADMIN, ADMIN, sub="user:both", staff_no="A002")
        created = await client.post(POLICIES, json=NEW, headers=both)
        async with app.state.db.read() as session:
            position = await session.scalar(
                select(AuditEntry.position).where(AuditEntry.action == "policy.create")
            )
    assert created.status_code == 201
    assert position == "BUREAU:admin"


async def test_a_retried_policy_creation_or_year_load_is_made_once(tmp_path: Path) -> None:
    """``Idempotency-Key`` on the creating POSTs of the shared admin APIs: the retry replays
    the first answer; the same key with another body is a 422 problem."""
    fixture = json.loads(FIXTURE_2027.read_text(encoding="utf-8"))
    async with running_app(tmp_path) as (_app, client, issuer):
        keyed = {**issuer.headers(ADMIN, sub="user:admin1"), "Idempotency-Key": "policy-0001"}
        first = await client.post(POLICIES, json=NEW, headers=keyed)
        again = await client.post(POLICIES, json=NEW, headers=keyed)
        other = await client.post(POLICIES, json={**NEW, "amount": 8}, headers=keyed)
        listed = await client.get(
            POLICIES, params={"case_kind": "visit"}, headers=issuer.headers(ADMIN)
        )
        year_key = {**keyed, "Idempotency-Key": "year-2027-0001"}
        loaded = await client.post(YEARS, json=fixture, headers=year_key)
        reloaded = await client.post(YEARS, json=fixture, headers=year_key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert other.status_code == 422
    assert other.json()["field"] == "Idempotency-Key"
    assert [p["id"] for p in listed.json()] == [first.json()["id"]]
    assert (loaded.status_code, reloaded.headers.get("idempotent-replayed")) == (201, "true")
