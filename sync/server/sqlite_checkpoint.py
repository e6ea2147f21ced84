"""Background WAL checkpoints, so a commit of the central API only appends and fsyncs."""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

logger = logging.getLogger("sync.server")

BUSY_TIMEOUT_MS = 15_000
# WAL pages after which a committing writer checkpoints by itself: only when the background
# checkpointer fell behind (it starts after CHECKPOINT_DELAY_S without a commit, or after
# CHECKPOINT_EVERY commits in a row).
WAL_AUTOCHECKPOINT_PAGES = 16_384
CHECKPOINT_DELAY_S = 0.2
CHECKPOINT_EVERY = 8


class Checkpointer:
    """Copies the WAL back into the database file in a thread of its own, off the request path.

    A commit only appends to the WAL (and fsyncs it: that is what makes it durable); copying
    those pages into the main file is the checkpoint, which SQLite otherwise runs inside the
    commit that crosses `wal_autocheckpoint`. Here it runs when the writers pause, or after
    every CHECKPOINT_EVERY commits, as a PASSIVE checkpoint that never blocks a writer or a
    reader; pages rewritten by several batches are copied once.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._wake = threading.Condition()
        self._commits = 0
        self._stopping = False
        self._thread = threading.Thread(target=self._loop, name="central-checkpoint", daemon=True)
        self._thread.start()

    def committed(self) -> None:
        """Note a commit; called by the writer after COMMIT."""
        with self._wake:
            self._commits += 1
            self._wake.notify()

    def stop(self) -> None:
        """Run a last checkpoint and end the thread."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        self._thread.join()

    def _loop(self) -> None:
        conn = sqlite3.connect(self._path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA synchronous = FULL")
            while self._wait():
                self._checkpoint(conn)
            self._checkpoint(conn)
        finally:
            conn.close()

    @staticmethod
    def _checkpoint(conn: sqlite3.Connection) -> None:
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error as exc:
            # Nothing is lost: the WAL keeps every commit, and writers checkpoint past
            # WAL_AUTOCHECKPOINT_PAGES themselves.
            logger.warning("background checkpoint failed: %s", type(exc).__name__)

    def _wait(self) -> bool:
        """Wait for commits, then for a pause in them; False when stopping."""
        with self._wake:
            while not self._commits and not self._stopping:
                self._wake.wait()
            while not self._stopping and self._commits < CHECKPOINT_EVERY:
                seen = self._commits
                self._wake.wait(CHECKPOINT_DELAY_S)
                if self._commits == seen:
                    break  # the writers paused
            self._commits = 0
            return not self._stopping
