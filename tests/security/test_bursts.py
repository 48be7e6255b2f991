"""Rate limits and lockout hold under a burst: concurrent wrong passwords for one username get
no more password checks than the lockout threshold, and the right password is refused after;
a burst on a public form is cut at its limit with 429 problems."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).parent))

from seckit import is_problem

from yingshang.settings import DEMO_PASSWORD
from yingshang.testing.services import load_services
from ys_hotline.seed import seed as seed_hotline

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {s.name: s for s in load_services(ROOT)}
THRESHOLD, BURST = 5, 30
BAD_LOGIN = "invalid username or password"


async def sign_in(client: Any, password: str) -> Any:
    form = {"grant_type": "password", "username": "operator", "password": password}
    return await client.post("/auth/token", data=form)


async def test_password_lockout_holds_under_a_concurrent_burst(service_app: Any) -> None:
    gateway = SERVICES["gateway"]
    sut = await service_app(
        gateway.create_app,
        gateway.settings_class,
        gateway.service_dir,
        lockout_threshold=THRESHOLD,
        password_time_cost=1,
        password_memory_kib=8192,
        public_rate_per_minute=6000,
        public_burst=1000,
    )
    guesses = [sign_in(sut.client, f"guess-{n}") for n in range(BURST)]
    answers = await asyncio.gather(*guesses)
    assert {a.status_code for a in answers} <= {400, 401, 429}
    checked = [a for a in answers if BAD_LOGIN in a.text]  # a password was really tried
    right = await sign_in(sut.client, DEMO_PASSWORD)
    print(f"lockout burst: {BURST} guesses, {len(checked)} checked, threshold {THRESHOLD}")
    assert len(checked) <= THRESHOLD
    assert right.status_code in {400, 401}
    assert "access_token" not in right.text


async def test_public_forms_hold_their_limits_under_a_burst(service_app: Any) -> None:
    hotline = SERVICES["hotline"]
    sut = await service_app(
        hotline.create_app,
        hotline.settings_class,
        hotline.service_dir,
        public_submit_per_minute=5,
        public_track_per_minute=10,
    )
    async with sut.app.state.db.write() as session:
        await seed_hotline(session)
    form = {"type": "consult", "title": "营业执照办理", "content": "请问个体户营业执照怎么办理？"}
    submits = await asyncio.gather(
        *[sut.client.post("/api/v1/hotline/public/tickets", json=form) for _ in range(BURST)]
    )
    made = [a for a in submits if a.status_code == 201]
    refused = [a for a in submits if a.status_code == 429]
    assert len(made) == 5
    assert len(refused) == BURST - 5
    assert all(is_problem(a) and a.headers.get("retry-after") for a in refused)
    async with sut.app.state.db.read() as session:
        stored = await session.scalar(text("SELECT count(*) FROM hotline_tickets"))
    assert stored == 5

    # Guessing query codes: the burst is cut at the limit, the right code included.
    number, code = made[0].json()["number"], made[0].json()["query_code"]
    guesses = [{"number": number, "query_code": f"{n:06d}"} for n in range(BURST)]
    tracks = await asyncio.gather(
        *[sut.client.post("/api/v1/hotline/public/track", json=g) for g in guesses]
    )
    assert sum(t.status_code != 429 for t in tracks) == 10
    right = await sut.client.post(
        "/api/v1/hotline/public/track", json={"number": number, "query_code": code}
    )
    assert right.status_code == 429
