"""One sweeper process for the multi-process test:
``python -m timesample.sweep_process URL STAGES``.

Prints ``ready`` once sweeping, then sweeps every 10 ms until ``STAGES`` stages exist and none
has anything left to fire (at most 60 s), and prints how many events it wrote.
"""

from __future__ import annotations

import asyncio
import sys

from sqlalchemy import func, select

from yingshang.db import Database
from yingshang.time.models import DeadlineStage
from yingshang.time.sweeper import DeadlineSweeper

COUNTS = select(func.count(), func.count(DeadlineStage.next_fire_at))


async def main(url: str, stages: int) -> int:
    db = Database(url)
    sweeper = DeadlineSweeper(db, interval=0.01)
    try:
        await sweeper.start()
        print("ready", flush=True)
        for _ in range(6000):
            await asyncio.sleep(0.01)
            async with db.read() as session:
                total, pending = (await session.execute(COUNTS)).one()
            if total >= stages and pending == 0:
                break
        await sweeper.stop()
    finally:
        await db.dispose()
    print(sweeper.emitted, flush=True)
    return 0 if sweeper.last_error is None else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], int(sys.argv[2]))))
