"""The wrong-passphrase delay holds across parallel attempts (issue 10, class 6).

Eight threads, each with its own Vault (its own file descriptors, as separate processes would
have), guess at once after the free attempts: the real flock serializes them, so the total time
is at least the sum of the delays each one was due, and the counter counts every one.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from outreach_tui.config import resolve_paths
from outreach_tui.vault import Vault, WrongPassphrase, throttle

from ..conftest import TEST_PASSPHRASE

UNIT = 0.05  # seconds per step of the schedule, so 8 attempts take ~2.4 s, not ~150 s


def _fresh_vault() -> Vault:
    return Vault(resolve_paths())


def _failures() -> int:
    return _fresh_vault().failures.load().failures


def test_parallel_wrong_guesses_each_wait_their_due_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    """Eight parallel guesses after the free ones cannot share one wait: they queue on the lock."""
    monkeypatch.setattr(throttle, "DELAY_UNIT", UNIT)
    _fresh_vault().create(TEST_PASSPHRASE)
    for _ in range(throttle.FREE_ATTEMPTS):
        with pytest.raises(WrongPassphrase):
            _fresh_vault().unlock("salah-salah-salah")
    assert _failures() == throttle.FREE_ATTEMPTS

    heard: list[float] = []
    outcomes: list[object] = []
    start = threading.Barrier(8)

    def guess() -> None:
        vault = _fresh_vault()
        start.wait()
        try:
            vault.unlock("tebakan-yang-salah", on_wait=heard.append)
        except WrongPassphrase as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=guess) for _ in range(8)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    elapsed = time.monotonic() - began

    failures_before = range(throttle.FREE_ATTEMPTS, throttle.FREE_ATTEMPTS + 8)
    due = sum(throttle.delay_after(n) for n in failures_before)
    assert len(outcomes) == 8
    assert _failures() == throttle.FREE_ATTEMPTS + 8
    assert elapsed >= due * 0.95, (elapsed, due)
    # Every guess after the fourth failure was told a real, non-zero wait before it started.
    assert len(heard) >= 7 and all(seconds > 0 for seconds in heard)

    time.sleep(_fresh_vault().pending_delay())
    assert len(_fresh_vault().unlock(TEST_PASSPHRASE)) == 32
    assert _failures() == 0


def test_cli_says_the_real_remaining_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """After four failures the next run announces a wait of at least one second, never zero."""
    _fresh_vault().create(TEST_PASSPHRASE)
    for _ in range(throttle.FREE_ATTEMPTS + 1):
        with pytest.raises(WrongPassphrase):
            _fresh_vault().unlock("salah-salah-salah")
    env = {**__import__("os").environ, "OUTREACH_PASSPHRASE": "masih-salah-juga"}
    result = subprocess.run(
        [sys.executable, "-m", "outreach_tui.cli", "search", "Budi"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "menunggu 1 detik" in result.stderr, result.stderr
    assert "menunggu 0 detik" not in result.stderr
    assert _failures() == throttle.FREE_ATTEMPTS + 2
