"""A whole form typed in one burst into the real `outreach` in tmux, while both CPU cores are
kept busy by other processes: every key lands in the field it was meant for (issue 11)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import TEST_PASSPHRASE, unlocked_store
from tests.tui.test_tmux import NIK, pytestmark, set_up_and_start

__all__ = ["pytestmark"]


@pytest.fixture
def busy_cpus() -> Iterator[None]:
    """Two processes spinning for the length of the test (a slow, busy laptop)."""
    hogs = [
        subprocess.Popen([sys.executable, "-c", "import time\nend = time.time() + 120\n"
                          "while time.time() < end: pass"])
        for _ in range(2)
    ]  # fmt: skip
    try:
        yield
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()


def test_a_whole_form_in_one_send_keys_call_under_load(
    isolated_home: Path, tmp_path: Path, busy_cpus: None
) -> None:
    tui = set_up_and_start(isolated_home, tmp_path)
    try:
        tui.wait_for("Frasa sandi")
        tui.type(TEST_PASSPHRASE)
        tui.keys("Enter")
        tui.wait_for("Ditemui hari ini", timeout=40)
        # One send-keys call: F4, then the whole form without looking at the screen.
        subprocess.run(
            [*tui.tmux, "send-keys", "-t", tui.name, "F4", "Siti Nurhaliza", "Tab", NIK, "Tab",
             "Tab", "Tab", "081234567890", "Tab", "Tab", "2500000", "F9", "C-s"],
            check=True,
        )  # fmt: skip
        tui.wait_for("Tersimpan: Siti Nurhaliza", timeout=60)
    except AssertionError:
        tui.save(tmp_path / "last-screen.txt")
        raise
    finally:
        tui.close()
    store = unlocked_store(isolated_home)
    try:
        (record,) = store.search("Siti Nurhaliza")
        assert record["full_name"] == "Siti Nurhaliza"
        assert record["nik"] == NIK and record["consent"] is True
        assert (record["birth_date"], record["sex"]) == ("1985-04-12", "F")
        assert record["phone"] == "+6281234567890"
        assert record["monthly_income"] == 2_500_000
    finally:
        store.close()
