"""A rater's identity (name, phone, ID number) is the ratings center's alone (DOMAIN.md, Ratings:
"Rater identity is never shown to the rated party"; ARCHITECTURE.md: anyone else, the bureau and
committee included, sees it masked and unmasks only with an audited reason). Every GET route of
svc-ratings — reads, lists, the monthly bulletin as JSON/CSV/HTML, the provincial export,
rectifications and their timelines, appeals, scorecards, the 督办 ledger — is read by every
reader the rule excludes, and no answer carries the identity; nor does any event payload (what
webhook subscribers and other services receive). The center itself does see it: the identity is
really there to leak."""

from __future__ import annotations

import json
import re
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parent))

from seckit import is_problem

from yingshang.auth import route_access
from yingshang.events.outbox import OutboxEvent
from yingshang.testing import TestIssuer, a_client, a_person
from yingshang.testing.apps import ServiceUnderTest
from ys_ratings.app import SERVICE_DIR as RATINGS_DIR
from ys_ratings.app import create_app as ratings_app
from ys_ratings.seed import seed_database
from ys_ratings.settings import Settings as RatingsSettings

RATED = "SCJGJ"  # the rated department
NAME, PHONE, ID_NO = "欧阳评价", "15800001111", "520327199001011238"
SECRETS = (NAME, PHONE, ID_NO, ID_NO[-8:-4] + ID_NO[-4:])  # the last also: no unmasked tail+body


def readers(issuer: TestIssuer) -> dict[str, dict[str, str]]:
    """Everyone the rule excludes (without a RATINGS_CENTER unit, the bureau's clerk and staff
    act for ratings: its head and admin, like the committee, are outside the center)."""
    people = {
        "rated head": a_person(RATED, "head"),
        "rated staff": a_person(RATED, "staff"),
        "rated clerk": a_person(RATED, "clerk"),
        "other department": a_person("ZJJ", "head"),
        "bureau head": a_person("BUREAU", "head"),
        "bureau admin": a_person("BUREAU", "admin"),
        "committee head": a_person("COMMITTEE", "head"),
        "committee staff": a_person("COMMITTEE", "staff"),
        "hotline center": a_person("HOTLINE_CENTER", "head"),
    }
    seen = {who: p.headers(issuer) for who, p in people.items()}
    seen["province client"] = a_client("province", ["ratings:read", "ratings:write"]).headers(
        issuer
    )
    seen["other client"] = a_client("agency", ["ratings:read"]).headers(issuer)
    seen["no token"] = {}
    return seen


def get_routes(sut: ServiceUnderTest) -> list[str]:
    return sorted(p for m, p in route_access(sut.app) if m == "GET" and p.startswith("/api/"))


def fill(path: str, ids: dict[str, str]) -> str:
    for name, value in ids.items():
        path = path.replace("{" + name + "}", value)
    return re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path)


async def outbox(sut: ServiceUnderTest) -> str:
    async with sut.app.state.db.read() as session:
        payloads = (await session.scalars(select(OutboxEvent.payload))).all()
    assert payloads, "the ratings flow published events"
    return json.dumps(payloads, ensure_ascii=False)


async def test_no_excluded_reader_learns_who_rated(service_app: Any, issuer: TestIssuer) -> None:
    sut: ServiceUnderTest = await service_app(ratings_app, RatingsSettings, RATINGS_DIR)
    await seed_database(sut.app.state.db, sut.settings.county_file)  # type: ignore[attr-defined]
    api = sut.client
    province = a_client("province", ["ratings:write", "ratings:read"]).headers(issuer)
    case_id = str(uuid.uuid4())
    rating_in = {
        "external_id": "GZ-0001",
        "case": {"case_number": "RX20261126-00001", "node": "revisit", "service": "hotline",
                 "case_kind": "ticket", "case_id": case_id, "department": RATED},
        "level": 1, "channel": "app", "rater_type": "person", "comment": "没人联系我",
        "rater": {"name": NAME, "phone": PHONE, "id_no": ID_NO},
        "rated_at": datetime.now(UTC).isoformat(),
    }  # fmt: skip
    pushed = await api.post(
        "/api/v1/ratings/ratings",
        json=rating_in,
        headers={**province, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert pushed.status_code == 201, pushed.text
    rating = pushed.json()

    # The rated department appeals (its answer, too, names no rater).
    appealed = await api.post(
        f"/api/v1/ratings/ratings/{rating['id']}/appeals",
        json={"reason": "当事人未按要求提供材料"},
        headers=a_person(RATED, "head").headers(issuer),
    )
    assert appealed.status_code == 201, appealed.text
    assert [s for s in SECRETS if s in appealed.text] == []

    # The center sees the rater in full (so there is something to leak).
    center = a_person("BUREAU", "staff").headers(issuer)
    full = await api.get(f"/api/v1/ratings/ratings/{rating['id']}", headers=center)
    assert full.json()["rater"] == {"masked": False, "name": NAME, "phone": PHONE, "id_no": ID_NO}
    assert full.json()["rectification_id"], "a 差评 opens a rectification"

    ids = {
        "rating_id": rating["id"],
        "rect_id": full.json()["rectification_id"],
        "appeal_id": appealed.json()["id"],
    }
    params = [{"month": rating["month"], "format": f} for f in ("json", "csv", "html")]
    params.append({"month": rating["month"], "department": RATED, "limit": "200"})
    leaks, answered = [], set()
    for who, headers in readers(issuer).items():
        for path in get_routes(sut):
            for query in params:
                seen = await api.get(fill(path, ids), params=query, headers=headers)
                assert seen.status_code < 500, (who, path, seen.text)
                assert seen.status_code < 400 or is_problem(seen), (who, path)
                if seen.status_code == 200:
                    answered.add((who, path))
                leaked = [s for s in SECRETS if s in seen.text]
                if leaked:
                    leaks.append((who, path, query.get("format"), leaked))
    assert leaks == []
    # Not vacuous: the rated department, the bureau and the committee did read the rating, its
    # rectification and the bulletin.
    for who in ("rated head", "bureau head", "committee head"):
        for path in ("ratings/{rating_id}", "rectifications/{rect_id}", "reports/monthly"):
            assert (who, f"/api/v1/ratings/{path}") in answered, (who, path)
    assert ("province client", "/api/v1/ratings/reports/province-export") in answered

    events = await outbox(sut)
    assert [s for s in SECRETS if s in events] == []
