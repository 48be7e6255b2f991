"""The public page: an anonymous complaint, tracked by number + query code (status and
answers only), a wrong code answering like an unknown number, and the per-address limit."""

from tests.builders import BASE, AComplaint, People, register, step
from yingshang.testing.apps import ServiceUnderTest


async def test_anonymous_complaint_from_the_web_form(
    complaints: ServiceUnderTest, people: People
) -> None:
    c = complaints.client
    body = (
        AComplaint()
        .anonymous()
        .with_(
            facts="镇政府要求辖区企业订阅指定报刊，不订阅则不予办理证明。",
            category="forced_participation",
        )
        .build()
    )
    submitted = await c.post(f"{BASE}/public/cases", json=body)
    assert submitted.status_code == 201, submitted.text
    number, code = submitted.json()["number"], submitted.json()["query_code"]
    wrong = await c.post(f"{BASE}/public/track", json={"number": number, "query_code": "ABCDEFGH"})
    unknown = await c.post(
        f"{BASE}/public/track", json={"number": "TS20260302-09999", "query_code": code}
    )
    assert (wrong.status_code, unknown.status_code) == (404, 404)
    assert wrong.json()["detail"] == unknown.json()["detail"]  # no oracle for the code
    listing = await c.get(f"{BASE}/cases", params={"source": "public_form"}, headers=people.officer)
    [summary] = listing.json()["items"]
    assert (summary["real_name"], summary["enterprise_name"]) == (False, None)
    case = (await c.get(f"{BASE}/cases/{summary['id']}", headers=people.officer)).json()
    case = await step(c, case, "accept", people.officer)
    tracked = await c.post(f"{BASE}/public/track", json={"number": number, "query_code": code})
    assert tracked.json()["state"] == "accepted"
    typed = f" {number.lower()} "  # as typed: lower case, spaces
    again = await c.post(f"{BASE}/public/track", json={"number": typed, "query_code": code})
    assert again.json() == tracked.json()
    assert tracked.json()["messages"][0]["kind"] == "decision"
    assert set(tracked.json()) == {
        "number",
        "state",
        "state_label",
        "received_at",
        "closed_at",
        "messages",
        "may_respond",
    }


async def test_the_public_form_is_rate_limited(complaints: ServiceUnderTest) -> None:
    complaints.app.state.settings.public_submit_per_minute = 2
    body = AComplaint().anonymous().build()
    codes = [
        (await complaints.client.post(f"{BASE}/public/cases", json=body)).status_code
        for _ in range(3)
    ]
    assert codes == [201, 201, 429]


async def test_the_acceptance_tells_the_enterprise_the_centers_words_as_a_sentence_of_their_own(
    complaints: ServiceUnderTest, people: People
) -> None:
    """受理's 说明 goes to the enterprise (public tracking) after the acceptance notice, marked
    as the center's, never run on into the notice's last word."""
    c = complaints.client
    said, plain = await register(c, people.clerk), await register(c, people.clerk)
    await step(c, said, "accept", people.officer, {"note": "属受理范围"})
    await step(c, plain, "accept", people.officer)
    told = []
    for case in (said, plain):
        answer = {"number": case["number"], "query_code": case["query_code"]}
        tracked = await c.post(f"{BASE}/public/track", json=answer)
        told.append([m["body"] for m in tracked.json()["messages"]])
    assert told == [
        ["您反映的问题已受理，将交责任单位调查处理。投诉中心说明：属受理范围"],
        ["您反映的问题已受理，将交责任单位调查处理。"],
    ]
