"""WAL checkpoints of a SQLite database on a thread of their own, off the writer's path.

In WAL mode a commit appends the transaction's pages to the write-ahead log; a *checkpoint*
copies them back into the database file (a read and a write per page, and an ``fsync`` of
each file). SQLite runs one itself inside the COMMIT that takes the log past
``wal_autocheckpoint`` pages (1,000 by default): on the hotline's intake that was every 40th
COMMIT or so, about 5 ms of file copying on the event loop's thread, half the time spent in
COMMITs and a twentieth of an intake's time on average.

:class:`Checkpointer` runs them instead on a daemon thread with its own connection, woken
after commits: ``PRAGMA wal_checkpoint(PASSIVE)`` never waits for readers or the writer and
never blocks them, and the sqlite3 module lets go of the GIL while SQLite works, so the
copying uses the other core. The writer keeps an automatic checkpoint at a higher mark
(:data:`SAFETY_PAGES`) as a safety net, should this thread fall behind or stop; frames the
thread has already copied are not copied again.

The thread waits :data:`PAUSE_SECONDS` after each checkpoint (so a busy writer gets one
every so often, not one per COMMIT) and ends after :data:`IDLE_SECONDS` without commits,
closing its connection; the next commit starts it again.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

log = logging.getLogger(__name__)

SAFETY_PAGES = 8000  # the writer's own automatic checkpoint (~32 MB of log at 4 KB pages)
PAUSE_SECONDS = 0.05
IDLE_SECONDS = 5.0


class Checkpointer:
    """Background WAL checkpoints of the database file ``path`` (see the module's note)."""

    def __init__(
        self,
        path: str,
        *,
        pause: float = PAUSE_SECONDS,
        idle: float = IDLE_SECONDS,
    ) -> None:
        self.path = path
        self.pause, self.idle = pause, idle
        self.checkpoints = 0  # completed PRAGMA wal_checkpoint runs (tests, diagnostics)
        self.failures = 0
        self._wanted = threading.Event()  # a commit since the last checkpoint
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive()

    def wake(self) -> None:
        """A transaction committed: checkpoint soon, starting the thread when it is not
        running. Cheap enough to call after every COMMIT, and never raises (it runs after a
        COMMIT that succeeded)."""
        self._wanted.set()
        with self._lock:  # (the thread decides to end under this lock: see _next)
            if self._thread is not None or self._stopping.is_set():
                return
            thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
            try:
                thread.start()
            except RuntimeError:  # no thread to be had: the writer's own checkpoint remains
                self.failures += 1
                log.warning("WAL checkpoints: cannot start a thread", exc_info=True)
                return
            self._thread = thread

    def stop(self, timeout: float = 5.0) -> None:
        """End the thread after one last checkpoint (if it runs); a later :meth:`wake`
        starts it again."""
        with self._lock:
            thread = self._thread
            if thread is None:
                return
            self._stopping.set()
            self._wanted.set()
        thread.join(timeout)
        self._stopping.clear()

    def _run(self) -> None:
        with self._lock:  # wake() sets _thread once start() returned
            pass
        try:
            connection = sqlite3.connect(self.path, check_same_thread=False)
        except Exception:
            self.failures += 1
            log.warning("WAL checkpoints: cannot open %s", self.path, exc_info=True)
            self._forget()
            return
        try:
            while self._next():
                self._checkpoint(connection)
                if self._stopping.is_set():
                    break
                # let the log gather a few commits' pages before the next copy
                self._stopping.wait(self.pause)
        finally:
            connection.close()
            self._forget()

    def _forget(self) -> None:
        """This thread is ending: the next :meth:`wake` starts another."""
        with self._lock:
            if self._thread is threading.current_thread():
                self._thread = None

    def _next(self) -> bool:
        """Wait for a commit; ``False`` after ``idle`` seconds without one (the thread ends;
        the check and the end are one step under the lock, so a commit waking it meanwhile
        is not missed: it finds the thread gone and starts another)."""
        while not self._wanted.wait(self.idle):
            with self._lock:
                if not self._wanted.is_set():
                    self._thread = None  # (this thread: only it clears or replaces itself)
                    return False
        self._wanted.clear()
        return True

    def _checkpoint(self, connection: sqlite3.Connection) -> None:
        try:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error:
            # a locked or busy database, a full disk: the writer's own checkpoint at
            # SAFETY_PAGES still bounds the log; tried again after the next commit
            self.failures += 1
            log.debug("WAL checkpoint of %s failed", self.path, exc_info=True)
        else:
            self.checkpoints += 1
