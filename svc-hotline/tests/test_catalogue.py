"""Dispatch catalogue: editable, every version kept; the machine is consistent data."""

import pytest
from sqlalchemy import text
from sqlalchemy.orm.exc import StaleDataError

from yingshang.testing.apps import ServiceUnderTest
from ys_hotline.catalogue.models import DispatchCategory
from ys_hotline.tickets.machine import CLOCKS, MACHINE, NOTES

from .builders import BASE, People, with_etag


def test_machine_is_data() -> None:
    names = {t.name for t in MACHINE.transitions}
    assert set(CLOCKS) <= names
    assert not set(NOTES) & names
    diagram = MACHINE.mermaid()
    assert "dispatched --> signed: 签收 sign (head of case.department)" in diagram


async def test_edit_keeps_history(hotline: ServiceUnderTest, people: People) -> None:
    edit = {"name": "住房/物业管理", "lead_department": "ZJJ", "co_departments": ["SCJGJ"]}
    path = f"{BASE}/categories/ZJ_PROPERTY"
    head = await with_etag(hotline.client, path, people.center_head)
    put = await hotline.client.put(path, json=edit, headers=head)
    assert put.status_code == 200, put.text
    assert put.json()["revision"] == 2
    history = await hotline.client.get(
        f"{BASE}/categories/ZJ_PROPERTY/revisions", headers=people.operator
    )
    assert [r["snapshot"]["co_departments"] for r in history.json()] == [[], ["SCJGJ"]]
    denied = await hotline.client.put(
        f"{BASE}/categories/ZJ_PROPERTY", json=edit, headers=people.operator
    )
    assert denied.status_code == 403
    unknown = {"name": "某类", "lead_department": "NOPE"}
    bad = await hotline.client.put(
        f"{BASE}/categories/X_NEW", json=unknown, headers=people.center_head
    )
    assert bad.status_code == 422


async def test_an_edit_needs_the_etag_of_the_revision_it_was_made_from(
    hotline: ServiceUnderTest, people: People
) -> None:
    c = hotline.client
    path = f"{BASE}/categories/RS_WAGES"
    read = await c.get(path, headers=people.operator)  # any staff reads it, with its ETag
    first = read.headers["ETag"]
    edit = {"name": read.json()["name"], "lead_department": "RSJ", "co_departments": ["SCJGJ"]}

    missing = await c.put(path, json=edit, headers=people.center_head)
    assert (missing.status_code, missing.json()["type"]) == (
        428,
        "https://yingshang.gov.cn/problems/if-match-required",
    )
    saved = await c.put(path, json=edit, headers={**people.center_head, "If-Match": first})
    assert saved.status_code == 200, saved.text
    second = saved.headers["ETag"]
    assert second != first
    assert (await c.get(path, headers=people.operator)).headers["ETag"] == second

    lost = {**edit, "co_departments": []}
    stale = await c.put(path, json=lost, headers={**people.center_head, "If-Match": first})
    assert stale.status_code == 412
    assert stale.json()["current_etag"] == second
    kept = await c.get(path, headers=people.operator)
    assert (kept.json()["co_departments"], kept.json()["revision"]) == (["SCJGJ"], 2)
    history = await c.get(f"{path}/revisions", headers=people.operator)
    assert len(history.json()) == 2

    # A new category: created without If-Match; one naming a version of it cannot match.
    new = {"name": "测试/新分类", "lead_department": "RSJ"}
    named = await c.put(
        f"{BASE}/categories/X_NAMED", json=new, headers={**people.center_head, "If-Match": first}
    )
    assert named.status_code == 412
    assert (await c.get(f"{BASE}/categories/X_NAMED", headers=people.operator)).status_code == 404
    made = await c.put(f"{BASE}/categories/X_NEW", json=new, headers=people.center_head)
    assert (made.status_code, made.json()["revision"]) == (200, 1)
    assert made.headers["ETag"] == '"category-X_NEW-1"'


async def test_two_edits_from_one_revision_cannot_both_land(
    hotline: ServiceUnderTest,
) -> None:
    """The If-Match check and the UPDATE are two steps: an edit that passed the check with a
    revision another edit has since replaced matches no row (a 412 problem, see
    ``yingshang.problems``) instead of overwriting it."""
    db = hotline.app.state.db
    async with db.write() as first:
        loser = await first.get(DispatchCategory, "ZJ_PROPERTY")
        assert loser is not None
        assert loser.revision == 1
        # The winner's UPDATE, as the database sees it (a second writer on PostgreSQL).
        await first.execute(
            text("UPDATE hotline_categories SET revision = 2 WHERE code = 'ZJ_PROPERTY'")
        )
        loser.name = "住房/物业"
        with pytest.raises(StaleDataError):
            await first.flush()
        await first.rollback()


def test_event_catalogue_lists_every_produced_type() -> None:
    from ys_hotline.consumers import EVENTS

    types = {spec.type for spec in EVENTS}
    for name in ("created", "dispatched", "signed", "returned", "replied", "closed", "revisited",
                 "reopened", "merged", "transferred", "warning", "overdue", "escalated",
                 "stage_completed"):  # fmt: skip
        assert f"ys.hotline.ticket.{name}" in types
    assert EVENTS.asyncapi()["asyncapi"].startswith("3.")
