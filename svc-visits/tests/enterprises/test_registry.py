"""The enterprise registry: the USCC is checked (GB 32100-2015) and unique; contacts are
masked, and reading them in full needs a reason that is audited."""

from sqlalchemy import select

from tests.builders import BASE, OTHER_USCC, USCC, AnEnterprise, People, Walk, etag, new_key, ok
from yingshang.audit import AuditEntry
from yingshang.testing.apps import ServiceUnderTest

WRONG_CHECK = USCC[:-1] + ("M" if USCC[-1] != "M" else "N")  # same code, wrong check character


async def test_wrong_check_digit_is_refused_naming_the_field(
    visits: ServiceUnderTest, people: People
) -> None:
    body = AnEnterprise(uscc=WRONG_CHECK).build()
    response = await visits.client.post(f"{BASE}/enterprises", json=body, headers=people.center)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert [e["field"] for e in problem["errors"]] == ["uscc"]
    assert "校验位" in problem["errors"][0]["message"]
    listed = await ok(await visits.client.get(f"{BASE}/enterprises", headers=people.center))
    assert listed["items"] == []  # nothing half-written


async def test_a_second_registration_of_the_same_uscc_is_a_conflict(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    first = await walk.enterprise()
    # Lower case and spaces are the same code once normalised.
    again = AnEnterprise(name="另一个名字", uscc=f" {USCC.lower()} ").build()
    response = await visits.client.post(f"{BASE}/enterprises", json=again, headers=people.center)
    assert response.status_code == 409
    assert response.json()["field"] == "uscc"
    assert response.json()["existing_id"] == first["id"]


async def test_contacts_are_masked_and_unmasking_is_audited(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    enterprise = await walk.enterprise()
    assert enterprise["contacts"][0]["phone"] == "135****5678"
    url = f"{BASE}/enterprises/{enterprise['id']}/contacts"
    refused = await visits.client.get(url, params={"reason": "回访企业"}, headers=people.staff())
    assert refused.status_code == 403  # a department may not read the registry's phones
    assert (await visits.client.get(url, headers=people.center)).status_code == 422  # no reason
    full = await ok(
        await visits.client.get(url, params={"reason": "回访企业"}, headers=people.center)
    )
    assert full["contacts"][0]["phone"] == "13512345678"
    async with visits.app.state.db.read() as session:
        rows = await session.execute(
            select(AuditEntry.action, AuditEntry.object_id, AuditEntry.detail).order_by(
                AuditEntry.seq
            )
        )
        entries = [(action, obj, detail.get("reason")) for action, obj, detail in rows]
    assert entries == [
        ("enterprise.register", enterprise["id"], None),
        ("personal_data.read_unmasked", enterprise["id"], "回访企业"),
    ]


async def test_edit_needs_the_current_etag(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    enterprise = await walk.enterprise()
    url = f"{BASE}/enterprises/{enterprise['id']}"
    patch = {"scale": "other", "tags": ["配套企业"], "park": ""}
    assert (await visits.client.patch(url, json=patch, headers=people.center)).status_code == 428
    edited = await ok(
        await visits.client.patch(
            url, json=patch, headers={**people.center, "If-Match": etag("enterprise", enterprise)}
        )
    )
    assert (edited["scale"], edited["tags"], edited["park"]) == ("other", ["配套企业"], None)
    stale = await visits.client.patch(
        url,
        json={"name": "x"},
        headers={**people.center, "If-Match": etag("enterprise", enterprise)},
    )
    assert stale.status_code == 412
    assert (await visits.client.patch(url, json={"uscc": OTHER_USCC},
                                      headers=people.center)).status_code == 422  # fmt: skip


async def test_registration_is_idempotent_and_lists_filter(
    visits: ServiceUnderTest, people: People
) -> None:
    headers = {**people.center, **new_key()}
    body = AnEnterprise().build()
    first = await visits.client.post(f"{BASE}/enterprises", json=body, headers=headers)
    replay = await visits.client.post(f"{BASE}/enterprises", json=body, headers=headers)
    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json()["id"] == first.json()["id"]
    other = AnEnterprise(name="凤冈县龙泉商贸有限公司", uscc=OTHER_USCC, park=None,
                         scale="above_limit", tags=())  # fmt: skip
    await ok(await visits.client.post(f"{BASE}/enterprises", json=other.build(),
                                      headers=people.center), 201)  # fmt: skip
    for params, names in (
        ({"tag": "龙头企业"}, ["凤冈县绿源茶业有限公司"]),
        ({"scale": "above_limit"}, ["凤冈县龙泉商贸有限公司"]),
        ({"q": "龙泉"}, ["凤冈县龙泉商贸有限公司"]),
        ({"q": f" {OTHER_USCC[:12].lower()}"}, ["凤冈县龙泉商贸有限公司"]),  # the code as typed
        ({"park": "彰教工业园区"}, ["凤冈县绿源茶业有限公司"]),
    ):
        page = await ok(await visits.client.get(f"{BASE}/enterprises", params=params,
                                                headers=people.staff()))  # fmt: skip
        assert [e["name"] for e in page["items"]] == names, params


async def test_contacts_are_edited_without_revealing_their_phones(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    """The contact list is saved whole: a phone sent back as the read masked it keeps the
    stored number (no audited reveal needed to rename a contact or add another); a mask that
    matches no number of this enterprise is refused, naming the contact."""
    enterprise = await walk.enterprise()
    url = f"{BASE}/enterprises/{enterprise['id']}"
    kept = {"name": "李四", "title": "财务总监", "phone": "135****5678"}
    added = {"name": "王五", "phone": "0851-28888888"}
    headers = {**people.center, "If-Match": etag("enterprise", enterprise)}
    guessed = {"name": "赵六", "phone": "139****0000"}
    wrong = await visits.client.patch(url, json={"contacts": [kept, guessed]}, headers=headers)
    assert wrong.status_code == 422
    assert wrong.json()["field"] == "contacts.1.phone"
    edited = await ok(await visits.client.patch(url, json={"contacts": [kept, added]},
                                                headers=headers))  # fmt: skip
    assert [(c["name"], c["phone"]) for c in edited["contacts"]] == [
        ("李四", "135****5678"),
        ("王五", "0851-****8888"),
    ]
    full = await ok(await visits.client.get(f"{url}/contacts", params={"reason": "核对联系电话"},
                                            headers=people.center))  # fmt: skip
    assert [c["phone"] for c in full["contacts"]] == ["13512345678", "0851-28888888"]
