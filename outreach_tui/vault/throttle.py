"""Slow down repeated wrong passphrases: a failure counter in keys_dir that survives restarts.

The delay is enforced before the *next* attempt is checked, so starting a new process does
not skip it, and an exclusive lock (``fcntl.flock`` on ``unlock-failures.lock``) is held across
wait, check and update, so parallel attempts run one after the other and each waits its own
due delay. It only slows guessing through the tool; the real defence against someone who
copies the files is Argon2id's cost (docs/security.md).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .keyfile import KeyFileError, read_json, write_private

FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 30.0
# Seconds per step of the schedule; tests lower it to check the real lock quickly.
DELAY_UNIT = 1.0


def delay_after(failures: int) -> float:
    """Seconds to wait after ``failures`` wrong passphrases in a row: 0, 0, 0, 1, 2, 4 … 30."""
    if failures <= FREE_ATTEMPTS:
        return 0.0
    steps = float(2 ** min(failures - FREE_ATTEMPTS - 1, 16))
    return min(MAX_DELAY_SECONDS, steps) * DELAY_UNIT


@dataclass
class FailureState:
    """How many wrong passphrases in a row, and when (epoch seconds) the next try may run."""

    failures: int = 0
    not_before: float = 0.0


class FailureCounter:
    """The persisted counter of wrong passphrases (``keys_dir/unlock-failures.json``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock_path = path.with_suffix(".lock")

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the counter's exclusive lock: other processes' attempts wait until it is free."""
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def load(self) -> FailureState:
        """The current state; a missing or broken file counts as no failures."""
        if not self.path.exists():
            return FailureState()
        try:
            raw = read_json(self.path)
            return FailureState(int(raw.get("failures", 0)), float(raw.get("not_before", 0.0)))
        except (KeyFileError, OSError, TypeError, ValueError):
            return FailureState()

    def wait_needed(self, now: float) -> float:
        """Seconds until the next attempt may run (capped, whatever the clock says)."""
        return max(0.0, min(MAX_DELAY_SECONDS * DELAY_UNIT, self.load().not_before - now))

    def record_failure(self, now: float) -> FailureState:
        """Count one more wrong passphrase and set when the next attempt may run."""
        state = self.load()
        state.failures += 1
        state.not_before = now + delay_after(state.failures)
        write_private(self.path, {"failures": state.failures, "not_before": state.not_before})
        return state

    def reset(self) -> None:
        """Forget past failures (after a right passphrase)."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


__all__ = ["MAX_DELAY_SECONDS", "FailureCounter", "FailureState", "delay_after"]
