"""The catalog (事项) with validated implementation codes and versioned changes, and the
四公开 disclosure (documents, 权责清单) with its change history: public read, admin or the
department's head write."""

from __future__ import annotations

from typing import Any

import httpx

from yingshang.testing.apps import ServiceUnderTest

from .builders import BASE, People, item_named

PROBLEMS = "https://yingshang.gov.cn/problems/"


def new_item(code: str, **kw: Any) -> dict[str, Any]:
    return {
        "code": code,
        "name": "测试许可事项",
        "department": "SCJGJ",
        "item_type": "licensing",
        "statutory_limit": 20,
        "channels": ["window", "cross_province"],
        "cross_province_mode": "proxy",
        "materials": [{"name": "申请书"}, {"name": "营业执照复印件", "required": False}],
        "fee_free": False,
        "fee_cents": 5000,
        "fee_basis": "发改价格〔2019〕1号",
        **kw,
    }


async def revise(
    c: httpx.AsyncClient, url: str, body: dict[str, Any], headers: dict[str, str]
) -> httpx.Response:
    """PATCH the version just read (If-Match with its ETag)."""
    etag = (await c.get(url)).headers["ETag"]
    return await c.patch(url, json=body, headers={**headers, "If-Match": etag})


async def patch(
    c: httpx.AsyncClient, ref: str, body: dict[str, Any], headers: dict[str, str]
) -> httpx.Response:
    return await revise(c, f"{BASE}/items/{ref}", body, headers)


async def test_item_codes_limits_and_history(hall: ServiceUnderTest, people: People) -> None:
    c = hall.client
    seeded = await item_named(c, "食品经营许可")
    code = seeded["code"][:18] + "0109998000000"
    bad_check = code[:17] + ("0" if code[17] != "0" else "1") + code[18:]
    r = await c.post(f"{BASE}/items", json=new_item(bad_check), headers=people.admin())
    assert (r.status_code, r.json()["field"]) == (422, "code")
    assert (
        await c.post(f"{BASE}/items", json=new_item(code), headers=people.head("SCJGJ"))
    ).status_code == 403
    made = await c.post(f"{BASE}/items", json=new_item(code), headers=people.admin())
    assert made.status_code == 201, made.text
    item = made.json()
    assert (item["committed_limit"], item["compression"]) == (8, 0.6)
    assert (item["cross_province_mode"], item["fee_cents"]) == ("proxy", 5000)

    above = await patch(c, code, {"committed_limit": 21}, people.admin())
    assert (above.status_code, above.json()["field"]) == (422, "committed_limit")
    shorter = await patch(c, code, {"statutory_limit": 10}, people.admin())
    assert shorter.status_code == 200, shorter.text
    assert (shorter.json()["committed_limit"], shorter.json()["version"]) == (4, 2)
    retired = await patch(c, code, {"active": False}, people.admin())
    assert retired.json()["active"] is False
    history = (await c.get(f"{BASE}/items/{code}/history")).json()
    assert [(h["version"], h["change"]) for h in history] == [
        (1, "created"),
        (2, "updated"),
        (3, "retired"),
    ]
    assert [h["snapshot"]["committed_limit"] for h in history] == [8, 4, 4]
    listed = (await c.get(f"{BASE}/items", params={"q": "测试许可"})).json()["items"]
    assert listed == []
    kept = await c.get(f"{BASE}/items", params={"q": "测试许可", "include_retired": "true"})
    assert [i["code"] for i in kept.json()["items"]] == [code]
    stale = await c.patch(
        f"{BASE}/items/{code}",
        json={"name": "x"},
        headers={**people.admin(), "If-Match": '"item-x-1"'},
    )
    assert stale.status_code == 412


async def test_disclosure_is_public_with_history(hall: ServiceUnderTest, people: People) -> None:
    c = hall.client
    doc = {
        "kind": "fee_standard",
        "title": "食品经营许可收费标准",
        "department": "SCJGJ",
        "body": "食品经营许可不收费。",
        "legal_basis": "《食品经营许可管理办法》",
    }
    assert (
        await c.post(f"{BASE}/disclosure/documents", json=doc, headers=people.head("TAX"))
    ).status_code == 403
    assert (
        await c.post(f"{BASE}/disclosure/documents", json=doc, headers=people.staff("SCJGJ"))
    ).status_code == 403
    keyed = {**people.head("SCJGJ"), "Idempotency-Key": "doc-publish-0001"}
    made = await c.post(f"{BASE}/disclosure/documents", json=doc, headers=keyed)
    assert made.status_code == 201, made.text
    ref = made.json()["id"]
    retried = await c.post(f"{BASE}/disclosure/documents", json=doc, headers=keyed)
    assert (retried.json()["id"], retried.headers["Idempotent-Replayed"]) == (ref, "true")
    url = f"{BASE}/disclosure/documents/{ref}"
    first = (await c.get(url)).headers["ETag"]
    unread = await c.patch(url, json={"body": "未读先改。"}, headers=people.head("SCJGJ"))
    assert (unread.status_code, unread.json()["type"]) == (428, f"{PROBLEMS}if-match-required")
    other = {**people.head("TAX"), "If-Match": first}
    assert (await c.patch(url, json={"body": "他人代改。"}, headers=other)).status_code == 403
    revised = await revise(c, url, {"body": "免费办理。"}, people.head("SCJGJ"))
    assert revised.json()["version"] == 2
    assert revised.headers["ETag"] == (await c.get(url)).headers["ETag"] != first
    stale = {**people.head("SCJGJ"), "If-Match": first}
    assert (await c.patch(url, json={"body": "旧版上改。"}, headers=stale)).status_code == 412
    history = (await c.get(f"{BASE}/disclosure/documents/{ref}/history")).json()
    assert [h["snapshot"]["body"] for h in history] == ["食品经营许可不收费。", "免费办理。"]
    fees = await c.get(
        f"{BASE}/disclosure/documents", params={"kind": "fee_standard", "department": "SCJGJ"}
    )
    assert [d["id"] for d in fees.json()["items"]] == [ref]

    power = {
        "department": "SCJGJ",
        "power_type": "行政许可",
        "name": "食品经营许可",
        "legal_basis": "《中华人民共和国食品安全法》第三十五条",
        "duties": "受理、审查、决定、送达、事后监管",
        "accountability": [
            {"situation": "对符合条件的申请不予受理", "basis": "行政许可法第七十二条"}
        ],
    }
    entry = await c.post(f"{BASE}/disclosure/powers", json=power, headers=people.admin())
    assert entry.status_code == 201, entry.text
    pid = entry.json()["id"]
    power_url = f"{BASE}/disclosure/powers/{pid}"
    assert (await c.get(power_url)).json()["name"] == "食品经营许可"
    gone = await revise(c, power_url, {"active": False}, people.head("SCJGJ"))
    assert gone.json()["active"] is False
    assert (await c.get(power_url)).json()["active"] is False  # retired, still readable
    public = await c.get(f"{BASE}/disclosure/powers", params={"department": "SCJGJ"})
    assert pid not in [p["id"] for p in public.json()["items"]]
    changes = (await c.get(f"{BASE}/disclosure/powers/{pid}/history")).json()
    assert [h["change"] for h in changes] == ["created", "retired"]
    assert changes[0]["snapshot"]["accountability"][0]["situation"] == "对符合条件的申请不予受理"


async def test_items_by_channel_page_by_page(hall: ServiceUnderTest) -> None:
    c = hall.client
    found: list[str] = []
    sizes: list[int] = []
    params: dict[str, Any] = {"channel": "cross_province", "limit": 1}
    for _ in range(10):
        page = (await c.get(f"{BASE}/items", params=params)).json()
        found += [i["name"] for i in page["items"]]
        sizes.append(len(page["items"]))
        if not page["next_cursor"]:
            break
        params["cursor"] = page["next_cursor"]
    assert sorted(found) == ["个体工商户登记", "城乡居民养老保险参保登记"]
    assert sizes[:2] == [1, 1]  # filtered before the page is cut: no empty first pages
    assert (await c.get(f"{BASE}/items", params={"channel": "fax"})).status_code == 422
