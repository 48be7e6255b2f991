"""Dispatch catalogue: editable, every version kept; the machine is consistent data."""

from yingshang.testing.apps import ServiceUnderTest
from ys_hotline.tickets.machine import CLOCKS, MACHINE, NOTES

from .builders import BASE, People


def test_machine_is_data() -> None:
    names = {t.name for t in MACHINE.transitions}
    assert set(CLOCKS) <= names
    assert not set(NOTES) & names
    diagram = MACHINE.mermaid()
    assert "dispatched --> signed: 签收 sign (head of case.department)" in diagram


async def test_edit_keeps_history(hotline: ServiceUnderTest, people: People) -> None:
    edit = {"name": "住房/物业管理", "lead_department": "ZJJ", "co_departments": ["SCJGJ"]}
    put = await hotline.client.put(
        f"{BASE}/categories/ZJ_PROPERTY", json=edit, headers=people.center_head
    )
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


def test_event_catalogue_lists_every_produced_type() -> None:
    from ys_hotline.consumers import EVENTS

    types = {spec.type for spec in EVENTS}
    for name in ("created", "dispatched", "signed", "returned", "replied", "closed", "revisited",
                 "reopened", "merged", "transferred", "warning", "overdue", "escalated",
                 "stage_completed"):  # fmt: skip
        assert f"ys.hotline.ticket.{name}" in types
    assert EVENTS.asyncapi()["asyncapi"].startswith("3.")
