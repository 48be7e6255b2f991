"""The window pad (评价器): the window's own pad client, or a clerk seated at the window,
gets the open 好差评 link of the application last served there; nobody else does, a rated
or expired link is not offered, and an older one never comes back after a newer one."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from yingshang.clock import FrozenClock, now
from yingshang.events.envelope import CloudEvent, make_event
from yingshang.events.inbox import apply_once
from yingshang.testing.apps import ServiceUnderTest
from ys_approvals import consumers

from .builders import BASE, AnApplication, People, all_materials, item_named, outbox_events

PAD = f"{BASE}/halls/HALL_COUNTY/windows/W01/rating-invitation"
FOOD = "食品经营许可"


async def deliver(hall: ServiceUnderTest, type_: str, data: dict[str, Any]) -> CloudEvent:
    """An event from svc-ratings through the consumer that reads it (inbox included)."""
    event = make_event("ratings", type_, data, subject=f"application/{data['case_id']}")
    spec = next(s for s in consumers.specs() if type_ in s.handlers)
    parsed = spec.catalogue.validate(event)
    async with hall.app.state.db.write() as session:
        await apply_once(session, spec.durable, parsed, spec.handlers[type_])
    return event


async def invite(hall: ServiceUnderTest, app: dict[str, Any], node: str, days: int = 30) -> str:
    token_url = f"/console/public/rate/{app['number']}-{node}-token"
    await deliver(
        hall,
        consumers.INVITATION,
        {
            "case_id": app["id"],
            "case_number": app["number"],
            "department": app["department"],
            "origin_client": None,
            "invitation_id": f"inv-{app['number']}-{node}",
            "token_url": token_url,
            "service": "approvals",
            "case_kind": "application",
            "node": node,
            "expires_at": (now() + timedelta(days=days)).isoformat(),
        },
    )
    return token_url


async def rated(hall: ServiceUnderTest, app: dict[str, Any], node: str) -> None:
    """``ys.ratings.rating.submitted`` as ratings publishes it (its other fields ignored)."""
    await deliver(
        hall,
        consumers.RATING,
        {
            "case_id": app["id"],
            "case_number": app["number"],
            "department": app["department"],
            "rating_id": "0193a2b4-0000-7000-8000-000000000001",
            "level": 5,
            "service": "approvals",
            "case_kind": "application",
            "node": node,
            "channel": "window_pad",
        },
    )


async def at_w01(hall: ServiceUnderTest, people: People, **kw: Any) -> dict[str, Any]:
    item = await item_named(hall.client, FOOD)
    body = AnApplication(item=item["code"], materials=all_materials(item), **kw).build()
    r = await hall.client.post(f"{BASE}/applications", json=body, headers=people.clerk())
    assert r.status_code == 201, r.text
    return dict(r.json())


def pad_client(people: People, client_id: str = "pad-county-w01") -> dict[str, str]:
    return people.issuer.headers(scopes=["approvals:pad"], client_id=client_id)


async def test_the_pad_gets_the_latest_open_invitation_of_its_window(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    c = hall.client
    bind = await c.put(
        f"{BASE}/halls/HALL_COUNTY/windows/W01/pad",
        json={"client_id": "pad-county-w01"},
        headers=people.hall_head(),
    )
    assert bind.status_code == 200, bind.text
    assert (await c.get(PAD, headers=pad_client(people))).status_code == 404  # nothing yet

    first = await at_w01(hall, people)
    first_link = await invite(hall, first, "accept")
    r = await c.get(PAD, headers=pad_client(people))
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "no-store"
    assert r.json() == {
        "invitation_id": f"inv-{first['number']}-accept",
        "node": "accept",
        "token_url": first_link,
        "expires_at": r.json()["expires_at"],
    }
    assert "13812345678" not in r.text
    assert "张三" not in r.text
    seated = await c.get(PAD, headers=people.clerk())  # ZW2001 sits at W01
    assert seated.json()["token_url"] == first_link

    clock.advance(timedelta(minutes=5))
    second = await at_w01(hall, people)
    second_link = await invite(hall, second, "accept")
    assert (await c.get(PAD, headers=pad_client(people))).json()["token_url"] == second_link
    await rated(hall, second, "accept")
    # rated: nothing open, and the first applicant's link does not come back
    gone = await c.get(PAD, headers=pad_client(people))
    assert (gone.status_code, gone.json()["type"].rsplit("/", 1)[-1]) == (
        404,
        "no-open-invitation",
    )

    # a node rated before its invitation arrived (two consumers) is never offered either
    clock.advance(timedelta(minutes=5))
    third = await at_w01(hall, people)
    await rated(hall, third, "accept")
    await invite(hall, third, "accept")
    assert (await c.get(PAD, headers=pad_client(people))).status_code == 404

    clock.advance(timedelta(minutes=5))
    fourth = await at_w01(hall, people)
    await invite(hall, fourth, "accept", days=1)
    assert (await c.get(PAD, headers=pad_client(people))).status_code == 200
    clock.advance(timedelta(days=2))  # expired
    assert (await c.get(PAD, headers=pad_client(people))).status_code == 404


async def test_only_the_windows_pad_or_clerk_gets_it(
    hall: ServiceUnderTest, people: People
) -> None:
    c = hall.client
    app = await at_w01(hall, people)
    await invite(hall, app, "accept")
    # no pad bound yet: a client with the scope is still not this window's pad
    assert (await c.get(PAD, headers=pad_client(people))).status_code == 403
    put = f"{BASE}/halls/HALL_COUNTY/windows/W01/pad"
    body = {"client_id": "pad-county-w01"}
    assert (await c.put(put, json=body, headers=people.clerk())).status_code == 403
    assert (await c.put(put, json=body, headers=people.hall_head())).status_code == 200
    assert (await c.get(PAD, headers=pad_client(people))).status_code == 200
    for headers in (
        pad_client(people, "pad-county-w02"),  # another window's pad
        people.clerk("ZW2002"),  # seated at W02
        people.hall_head(),  # the hall's head sits at no window
        people.bureau(),
        people.issuer.headers(scopes=["approvals:write"], client_id="pad-county-w01"),
    ):
        assert (await c.get(PAD, headers=headers)).status_code == 403, headers
    assert (await c.get(PAD)).status_code == 401
    # an online application has no window: its invitation goes by SMS only
    province = {**people.province(), "Idempotency-Key": "pad-online-0001"}
    item = await item_named(c, FOOD)
    online = AnApplication(item=item["code"], channel="online", materials=all_materials(item))
    made = await c.post(f"{BASE}/applications", json=online.build(), headers=province)
    await invite(hall, made.json(), "accept")
    assert (
        (await c.get(PAD, headers=pad_client(people)))
        .json()["token_url"]
        .startswith(f"/console/public/rate/{app['number']}")
    )
    unbind = await c.put(put, json={"client_id": None}, headers=people.hall_head())
    assert unbind.json() == {
        "hall_code": "HALL_COUNTY",
        "window_code": "W01",
        "client_id": None,
        "bound_at": None,
    }
    assert (await c.get(PAD, headers=pad_client(people))).status_code == 403


async def test_the_halls_staff_read_which_client_each_windows_pad_is(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """Each window's pad client and since when (what an unbind would remove): the hall's staff
    and a county administrator read it; the public, a pad, the bureau's other staff and
    another hall's head do not."""
    c = hall.client
    pads, put = f"{BASE}/halls/HALL_COUNTY/pads", f"{BASE}/halls/HALL_COUNTY/windows/W01/pad"
    bound_at = now()
    bound = await c.put(put, json={"client_id": "pad-county-w01"}, headers=people.hall_head())
    assert datetime.fromisoformat(bound.json()["bound_at"]) == bound_at, bound.text
    clock.advance(timedelta(hours=1))
    again = await c.put(put, json={"client_id": "pad-county-w01"}, headers=people.hall_head())
    assert datetime.fromisoformat(again.json()["bound_at"]) == bound_at  # the same binding

    for headers in (people.hall_head(), people.clerk("ZW2002"), people.admin()):
        read = await c.get(pads, headers=headers)
        assert read.status_code == 200, read.text
        rows = {r["window_code"]: r for r in read.json()}
        assert len(rows) == 13  # every window of the county hall
        w01 = {**rows["W01"], "bound_at": datetime.fromisoformat(rows["W01"]["bound_at"])}
        assert w01 == {
            "hall_code": "HALL_COUNTY",
            "window_code": "W01",
            "client_id": "pad-county-w01",
            "bound_at": bound_at,
        }
        assert (rows["W02"]["client_id"], rows["W02"]["bound_at"]) == (None, None)
    for headers in (
        people.head("LONGQUAN"),  # another hall's head
        people.bureau(),  # oversight, not administration
        people.head("SCJGJ"),
        pad_client(people),  # the pad itself
    ):
        refused = await c.get(pads, headers=headers)
        assert refused.status_code == 403, headers
    assert (
        (await c.get(pads, headers=people.head("LONGQUAN")))
        .json()["type"]
        .endswith("/not-the-halls-staff")
    )
    assert (await c.get(pads)).status_code == 401  # the window read is public, this is not
    town = await c.get(f"{BASE}/halls/HALL_LONGQUAN/pads", headers=people.head("LONGQUAN"))
    assert [r["client_id"] for r in town.json()] == [None, None]  # its own hall's
    assert (await c.get(f"{BASE}/halls/NO_SUCH/pads", headers=people.admin())).status_code == 404

    clock.advance(timedelta(hours=1))
    rebound = await c.put(put, json={"client_id": "pad-county-w01b"}, headers=people.hall_head())
    assert datetime.fromisoformat(rebound.json()["bound_at"]) == now()  # a new client, a new time
    await c.put(put, json={"client_id": None}, headers=people.hall_head())
    after = {r["window_code"]: r for r in (await c.get(pads, headers=people.hall_head())).json()}
    assert (after["W01"]["client_id"], after["W01"]["bound_at"]) == (None, None)

    # every change of a binding is in the audit log (a re-save of the same client is not)
    log = await c.get(
        "/api/v1/approvals/admin/audit",
        params={"action": "hall.window.pad"},
        headers=people.admin(),
    )
    assert log.status_code == 200, log.text
    changes = [(e["detail"]["from"], e["detail"]["to"]) for e in reversed(log.json()["items"])]
    assert changes == [
        (None, "pad-county-w01"),
        ("pad-county-w01", "pad-county-w01b"),
        ("pad-county-w01b", None),
    ]
    assert {e["object_id"] for e in log.json()["items"]} == {"HALL_COUNTY/W01"}


async def test_the_pad_offers_only_the_applicant_still_at_the_window(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """A link not rated is not offered to whoever comes next: only for a short while after the
    node was reached at the window (``pad_offer_minutes``, 5 by default) and never once the
    window has taken in the next application, even before that one's link arrived."""
    c = hall.client
    bind = {"client_id": "pad-county-w01"}
    put = f"{BASE}/halls/HALL_COUNTY/windows/W01/pad"
    assert (await c.put(put, json=bind, headers=people.hall_head())).status_code == 200
    assert hall.settings.pad_offer_minutes == 5  # type: ignore[attr-defined]

    earlier = await at_w01(hall, people)
    await invite(hall, earlier, "accept")
    clock.advance(timedelta(minutes=4))
    assert (await c.get(PAD, headers=pad_client(people))).status_code == 200
    clock.advance(timedelta(minutes=6))  # ten minutes on: another person stands there
    stale = await c.get(PAD, headers=pad_client(people))
    assert (stale.status_code, stale.json()["type"].rsplit("/", 1)[-1]) == (
        404,
        "no-open-invitation",
    )
    assert (await c.get(PAD, headers=people.clerk())).status_code == 404  # the seated clerk too

    # the window takes in the next applicant: the one before is gone at once, before the
    # new application's own link has arrived
    served = await at_w01(hall, people)
    await invite(hall, served, "accept")
    assert (await c.get(PAD, headers=pad_client(people))).status_code == 200
    clock.advance(timedelta(minutes=1))
    await at_w01(hall, people)
    assert (await c.get(PAD, headers=pad_client(people))).status_code == 404

    # the time is the county's to set
    hall.settings.pad_offer_minutes = 15  # type: ignore[attr-defined]
    clock.advance(timedelta(minutes=1))
    slow = await at_w01(hall, people)
    await invite(hall, slow, "accept")
    clock.advance(timedelta(minutes=10))
    offered = await c.get(PAD, headers=pad_client(people))
    assert offered.json()["invitation_id"] == f"inv-{slow['number']}-accept"
    clock.advance(timedelta(minutes=5))
    assert (await c.get(PAD, headers=pad_client(people))).status_code == 404


async def _act(
    hall: ServiceUnderTest,
    app: dict[str, Any],
    action: str,
    headers: dict[str, str],
    body: dict[str, Any] | None = None,
) -> dict[str, Any]:
    url = f"{BASE}/applications/{app['id']}"
    etag = (await hall.client.get(url, headers=headers)).headers["ETag"]
    r = await hall.client.post(f"{url}/{action}", json=body, headers={**headers, "If-Match": etag})
    assert r.status_code == 200, r.text
    return dict(r.json())


async def _finished_by(
    hall: ServiceUnderTest, people: People, finisher: dict[str, str]
) -> dict[str, Any]:
    """Taken in and accepted at W01 (its clerk ZW2001), approved, then handed over and
    finished (办结) by ``finisher``; the 受理 link rated at W01's pad already."""
    app = await at_w01(hall, people)
    await _act(hall, app, "accept", people.clerk())
    await invite(hall, app, "accept")
    await rated(hall, app, "accept")
    await _act(hall, app, "approve", people.staff("SCJGJ"))
    await _act(hall, app, "deliver", finisher, {"method": "pickup"})
    return await _act(hall, app, "finish", finisher)


async def test_the_finish_rating_is_offered_at_the_window_that_finished_it(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """办结 at the 出件窗口 (W10) of an application taken in at W01: the applicant stands at W10,
    so W10's pad offers the 办结 rating and W01's does not (its next applicant may be there);
    a 办结 by someone seated at no window is offered on no pad (the SMS link stays)."""
    c, head = hall.client, people.hall_head()
    clerks = f"{BASE}/halls/HALL_COUNTY/windows/W10/clerks"
    seat = await c.put(clerks, json={"staff_nos": ["ZW2010"]}, headers=head)
    assert seat.status_code == 200, seat.text
    for window in ("W01", "W10"):
        bind = {"client_id": f"pad-county-{window.lower()}"}
        put = f"{BASE}/halls/HALL_COUNTY/windows/{window}/pad"
        assert (await c.put(put, json=bind, headers=head)).status_code == 200
    w10_pad = f"{BASE}/halls/HALL_COUNTY/windows/W10/rating-invitation"
    w10 = pad_client(people, "pad-county-w10")

    done = await _finished_by(hall, people, people.clerk("ZW2010"))
    link = await invite(hall, done, "finish")
    elsewhere = await c.get(PAD, headers=pad_client(people))
    assert elsewhere.status_code == 404, elsewhere.text  # W01's pad: not its applicant
    assert elsewhere.json()["type"].endswith("/no-open-invitation")
    at_w10 = await c.get(w10_pad, headers=w10)
    assert at_w10.status_code == 200, at_w10.text
    assert (at_w10.json()["node"], at_w10.json()["token_url"]) == ("finish", link)
    assert (await c.get(w10_pad, headers=people.clerk("ZW2010"))).json()["token_url"] == link
    assert (done["hall_code"], done["window_code"]) == ("HALL_COUNTY", "W01")
    assert (done["finish_hall_code"], done["finish_window_code"]) == ("HALL_COUNTY", "W10")
    # the rating it gives is of the window that served it: the 办结 event names W10
    completed = await outbox_events(hall, done["id"], "completed")
    nodes = {e["data"]["node"]: e["data"]["window"] for e in completed}
    assert nodes == {"accept": "HALL_COUNTY/W01", "finish": "HALL_COUNTY/W10"}

    # W10 finishes the next applicant's application: the one before is gone at once there
    clock.advance(timedelta(minutes=1))
    await _finished_by(hall, people, people.clerk("ZW2010"))
    assert (await c.get(w10_pad, headers=w10)).status_code == 404

    # finished by a clerk seated at no window: where is not known, no pad offers it
    clock.advance(timedelta(minutes=10))
    unseated = await _finished_by(hall, people, people.clerk("ZW2009"))
    assert (unseated["finish_hall_code"], unseated["finish_window_code"]) == (None, None)
    await invite(hall, unseated, "finish")
    for url, headers in ((PAD, pad_client(people)), (w10_pad, w10)):
        assert (await c.get(url, headers=headers)).status_code == 404, url
