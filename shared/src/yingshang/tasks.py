"""Stopping background tasks for sure."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

RECANCEL_SECONDS = 1.0


async def cancel_and_wait(tasks: Iterable[asyncio.Task[None] | None]) -> None:
    """Cancel ``tasks`` and wait until every one has finished.

    A single ``cancel()`` is not always enough: on Python 3.11 ``asyncio.wait_for`` can swallow
    a cancellation that races with the awaited result, and a library may turn one into its own
    error that a worker loop treats as transient (nats-py's ``next_msg`` raises
    ``ConnectionClosedError``). Such a task keeps running, and a shutdown that waits for it
    hangs; so cancel again until it is done.
    """
    pending = {task for task in tasks if task is not None and not task.done()}
    while pending:
        for task in pending:
            task.cancel()
        _, pending = await asyncio.wait(pending, timeout=RECANCEL_SECONDS)
