"""Stopping a worker whose loop swallowed a cancellation."""

from __future__ import annotations

import asyncio

from yingshang.tasks import cancel_and_wait


async def test_a_task_that_swallows_one_cancellation_still_stops() -> None:
    swallowed = 0

    async def stubborn() -> None:
        nonlocal swallowed
        while True:
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                if swallowed:
                    raise
                swallowed += 1  # like a library turning the cancellation into its own error

    task = asyncio.create_task(stubborn())
    await asyncio.sleep(0)
    await asyncio.wait_for(cancel_and_wait([task, None]), 5)
    assert task.cancelled()
    assert swallowed == 1


async def test_finished_and_missing_tasks_are_fine() -> None:
    async def quick() -> None:
        return None

    done = asyncio.create_task(quick())
    await done
    await cancel_and_wait([done, None])
