"""归档 before the 回访 (DOMAIN.md, Hotline): the 回访 is the ticket's 好差评 rating, so a closed
ticket is archived without one only when none can be made — the requester left no number to
call, or the 回访 limit (1 wd after 办结) has run out — and with the reason; otherwise 409 and
nothing written. The detail's ``actions`` (the console's buttons) say the same."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.clock import frozen_clock

from .builders import BASE, People, create, in_seconds, step

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 Asia/Shanghai


@pytest.fixture
def clock() -> Iterator[FrozenClock]:
    with frozen_clock(T0) as frozen:
        yield frozen


async def _read(hotline: ServiceUnderTest, ticket: dict[str, Any], who: dict[str, str]) -> Any:
    response = await hotline.client.get(f"{BASE}/tickets/{ticket['id']}", headers=who)
    assert response.status_code == 200, response.text
    return response.json()


async def _answered(hotline: ServiceUnderTest, people: People, **requester: Any) -> Any:
    """A 咨询 answered at intake: closed, its 回访 clock running."""
    t = await create(hotline.client, people.operator, type="consult", category_code="SP_SERVICE",
                     **({"requester": requester} if requester else {}))  # fmt: skip
    t = await step(hotline.client, t, "answer", people.operator, {"answer": "请到窗口办理"})
    assert t["status"] == "closed"
    return t


async def test_a_requester_who_can_be_called_is_revisited_before_archiving(
    hotline: ServiceUnderTest, people: People
) -> None:
    t = await _answered(hotline, people)  # the requester left a phone number
    assert "archive" not in (await _read(hotline, t, people.center_head))["actions"]
    refused = await hotline.client.post(
        f"{BASE}/tickets/{t['id']}/archive",
        json={"note": "来电人未接听"},
        headers={**people.center_head, "If-Match": f'"ticket-{t["id"]}-{t["version"]}"'},
    )
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["type"].endswith("/revisit-pending")
    assert "尚未回访" in problem["detail"]
    assert "回访时限" in problem["detail"]
    after = await _read(hotline, t, people.center_head)  # nothing written
    assert (after["status"], after["version"]) == ("closed", t["version"])
    assert "archive" not in [e["action"] for e in after["timeline"]]
    revisit = next(s for s in after["stages"] if s["stage"] == "revisit")
    assert revisit["state"] == "running"

    t = await step(hotline.client, t, "revisit", people.operator, {"level": 5})
    assert "archive" in (await _read(hotline, t, people.center_head))["actions"]
    t = await step(hotline.client, t, "archive", people.center_head)  # no reason needed now
    assert t["status"] == "archived"


async def test_a_requester_without_a_number_is_archived_with_the_reason(
    hotline: ServiceUnderTest, people: People
) -> None:
    """The number decides, not anonymity: an anonymous caller who left one is called back."""
    called = await _answered(hotline, people, anonymous=True, phone="13900001111")
    assert "archive" not in (await _read(hotline, called, people.center_head))["actions"]
    await step(hotline.client, called, "archive", people.center_head, {"note": "匿名"}, expect=409)

    t = await _answered(hotline, people, anonymous=True)  # anonymous, no phone
    assert "archive" in (await _read(hotline, t, people.center_head))["actions"]
    assert "archive" not in (await _read(hotline, t, people.operator))["actions"]  # 审核 only
    await step(hotline.client, t, "archive", people.center_head, expect=422)  # the reason
    refused = await hotline.client.post(
        f"{BASE}/tickets/{t['id']}/archive",
        json={"note": "  "},
        headers={**people.center_head, "If-Match": f'"ticket-{t["id"]}-{t["version"]}"'},
    )
    assert (refused.status_code, refused.json()["detail"]) == (
        422,
        "未回访即归档，须说明未能回访的原因",
    )
    t = await step(hotline.client, t, "archive", people.center_head,
                   {"note": "匿名来电，未留联系电话，无法回访"})  # fmt: skip
    assert t["status"] == "archived"
    revisit = next(s for s in t["stages"] if s["stage"] == "revisit")
    assert revisit["state"] == "cancelled"


async def test_archiving_without_a_revisit_once_its_limit_has_run_out(
    hotline: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    await in_seconds(hotline, "revisit")  # the 回访 limit: 10 seconds after 办结
    t = await _answered(hotline, people)
    await step(hotline.client, t, "archive", people.center_head, {"note": "未接听"}, expect=409)
    clock.set(T0 + timedelta(seconds=9))
    assert "archive" not in (await _read(hotline, t, people.center_head))["actions"]
    await step(hotline.client, t, "archive", people.center_head, {"note": "未接听"}, expect=409)

    clock.set(T0 + timedelta(seconds=11))  # the 回访 is overdue: its time has run out
    seen = await _read(hotline, t, people.center_head)
    assert "archive" in seen["actions"]
    assert "revisit" in seen["actions"]  # a late 回访 is still welcome
    await step(hotline.client, t, "archive", people.center_head, expect=422)  # the reason
    t = await step(hotline.client, t, "archive", people.center_head,
                   {"note": "回访时限内三次来电均未接通"})  # fmt: skip
    assert t["status"] == "archived"
