"""Public submission (anonymous, rate-limited) and tracking by number + query code."""

from yingshang.testing.apps import ServiceUnderTest

from .builders import BASE, People, step

REQUEST = {
    "type": "suggestion",
    "title": "建议增设公交站",
    "content": "建议在彰教工业园区门口增设公交站点，方便职工上下班。",
    "category_code": "JT_TRANSIT",
    "requester": {"anonymous": True, "phone": "13600001234"},
}


async def test_submit_and_track(hotline: ServiceUnderTest, people: People) -> None:
    c = hotline.client
    made = await c.post(f"{BASE}/public/tickets", json=REQUEST)
    assert made.status_code == 201, made.text
    number, code = made.json()["number"], made.json()["query_code"]
    wrong = await c.post(f"{BASE}/public/track", json={"number": number, "query_code": "XXXXXX"})
    assert wrong.status_code == 404
    tracked = await c.post(f"{BASE}/public/track", json={"number": number, "query_code": code})
    assert tracked.status_code == 200
    # as a citizen types it: lower case, spaces, the hyphen left out
    typed = f" {number.lower().replace('-', '')} "
    again = await c.post(f"{BASE}/public/track", json={"number": typed, "query_code": code})
    assert again.json() == tracked.json()
    misshapen = await c.post(f"{BASE}/public/track", json={"number": "RX2026", "query_code": code})
    assert misshapen.status_code == 422
    assert set(tracked.json()) == {"number", "type", "title", "status", "received_at", "due_at",
                                   "closed_at", "replies"}  # fmt: skip
    listed = await c.get(f"{BASE}/tickets", params={"q": "公交"}, headers=people.center_head)
    ticket = listed.json()["items"][0]
    for q in (number, number.lower(), number[:11]):  # the 工单编号 or its start finds it too
        by_number = await c.get(f"{BASE}/tickets", params={"q": q}, headers=people.center_head)
        assert [t["id"] for t in by_number.json()["items"]] == [ticket["id"]], q
    detail = (await c.get(f"{BASE}/tickets/{ticket['id']}", headers=people.center_head)).json()
    assert detail["requester"]["name"] is None
    assert detail["source"] == "web"
    t = await step(c, detail, "dispatch", people.operator)
    t = await step(c, t, "sign", people.head("JTJ"))
    t = await step(c, t, "contact", people.head("JTJ"))
    t = await step(c, t, "reply", people.head("JTJ"), {"body": "已纳入明年公交线网规划。"})
    await step(c, t, "review", people.center_head, {"approve": True})
    tracked = await c.post(f"{BASE}/public/track", json={"number": number, "query_code": code})
    assert tracked.json()["status"] == "closed"
    assert tracked.json()["replies"] == ["已纳入明年公交线网规划。"]


async def test_tracking_tells_the_promised_time(hotline: ServiceUnderTest, people: People) -> None:
    """The requester sees the time the county promised (办理's limit: 意见建议 5 working days),
    as an application's tracking shows its 承诺办结时限."""
    c = hotline.client
    made = (await c.post(f"{BASE}/public/tickets", json=REQUEST)).json()
    answer = {"number": made["number"], "query_code": made["query_code"]}
    tracked = (await c.post(f"{BASE}/public/track", json=answer)).json()
    listed = await c.get(
        f"{BASE}/tickets", params={"q": made["number"]}, headers=people.center_head
    )
    [ticket] = listed.json()["items"]
    detail = (await c.get(f"{BASE}/tickets/{ticket['id']}", headers=people.center_head)).json()
    assert detail["due_at"] is not None
    assert tracked["due_at"] == detail["due_at"]


async def test_submit_is_rate_limited(hotline: ServiceUnderTest) -> None:
    statuses = [
        (await hotline.client.post(f"{BASE}/public/tickets", json=REQUEST)).status_code
        for _ in range(6)
    ]
    assert statuses == [201] * 5 + [429]


async def test_stats(hotline: ServiceUnderTest, people: People) -> None:
    await hotline.client.post(f"{BASE}/public/tickets", json=REQUEST)
    rows = await hotline.client.get(
        f"{BASE}/stats", params={"by": "channel"}, headers=people.bureau
    )
    assert rows.json()[0]["key"] == "web"
    assert rows.json()[0]["received"] == 1
    denied = await hotline.client.get(f"{BASE}/stats", headers=people.head("SCJGJ"))
    assert denied.status_code == 403
