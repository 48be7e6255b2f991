"""Waking a background worker after other people's commits, never after its own.

``db.on_commit`` hooks run after every committed write of the process, including the worker's
own (marking rows sent, recording attempts). A worker woken by its own commit would run again
at once, commit again, and spin. :class:`Wakeup` tells them apart: the worker's task marks
itself as the owner (a context variable, so only that task carries the mark), and commits made
from that task do not set the event.
"""

from __future__ import annotations

import asyncio
import contextlib
from contextvars import ContextVar

_owner: ContextVar[object | None] = ContextVar("yingshang_commit_owner", default=None)


class Wakeup:
    """An event set by commits of any task but the owner's; also a poll timer."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def own_this_task(self) -> None:
        """Call at the start of the worker's task: its commits will not wake it."""
        _owner.set(self)

    def after_commit(self) -> None:
        """The ``db.on_commit`` hook."""
        if _owner.get() is not self:
            self._event.set()

    def set(self) -> None:
        """Wake the worker regardless of who asks (reconnects, tests, tools)."""
        self._event.set()

    async def wait(self, seconds: float) -> None:
        """Until woken or ``seconds`` pass (the poll fallback); then re-arm."""
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation
        # that arrives as the event is set (a commit at the moment of shutdown), and the
        # worker would never stop.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._event.wait()
        self._event.clear()
