"""A full disk and a read-only folder are named for what they are; nothing already saved is lost.

The data folder sits on a real tmpfs mounted for the test (we run as root; `chmod` would not stop
root from writing, a read-only remount does). Commands run as subprocesses: SQLite's shared
memory file on a full tmpfs must not take the test process down.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.datagen import write_csv
from outreach_tui.store.errors import EXIT_DISK_FULL, EXIT_READ_ONLY
from tests.conftest import unlocked_store

WRONG_KEY = "cannot be opened with this laptop's key"


def _outreach(*args: str) -> subprocess.CompletedProcess[str]:
    """The real `outreach` command in a child process, with this test's environment."""
    env = dict(os.environ, OUTREACH_LANG="en")
    return subprocess.run(
        [sys.executable, "-m", "outreach_tui.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def small_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """OUTREACH_HOME on a 6 MiB tmpfs (mount must work: this test never skips)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=6m,mode=0700", "tmpfs", str(mount_point)],
        check=True,
    )
    try:
        home = mount_point / "home"
        monkeypatch.setenv("OUTREACH_HOME", str(home))
        yield home
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=True)


def _count(home: Path) -> int:
    """How many records the store holds (opened as a command would)."""
    store = unlocked_store(home)
    try:
        return int(store.db.conn.execute("SELECT count(*) FROM records").fetchone()[0])
    finally:
        store.close()


def test_a_full_disk_is_named_and_keeps_what_was_saved(small_disk: Path, tmp_path: Path) -> None:
    """An import on a full disk exits 8 'disk full' (not 'wrong key'); saved records survive."""
    first = tmp_path / "first.csv"
    write_csv(first, 100, seed=1)
    done = _outreach("import", str(first))
    assert done.returncode == 0, done.stderr
    assert _count(small_disk) == 100
    big = tmp_path / "big.csv"
    write_csv(big, 20000, seed=2)
    filler = small_disk.parent / "filler"
    with filler.open("wb") as out:  # leave a few pages free only
        free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
        out.write(b"\0" * max(0, free - 64 * 1024))
    full = _outreach("import", str(big))
    assert full.returncode == EXIT_DISK_FULL, (full.returncode, full.stderr)
    assert "Disk full" in full.stderr
    assert WRONG_KEY not in full.stderr
    # Every other command still opens the store and names the same truth, never "wrong key".
    search = _outreach("search", "a")
    assert search.returncode in (0, 1, EXIT_DISK_FULL), search.stderr
    assert WRONG_KEY not in search.stderr
    filler.unlink()
    assert _count(small_disk) == 100  # the failed import rolled back; nothing saved was lost


def test_a_read_only_folder_is_named_read_only(small_disk: Path, tmp_path: Path) -> None:
    """On a read-only remount an import exits 9 'read-only', never 'wrong key'; data intact."""
    first = tmp_path / "first.csv"
    write_csv(first, 50, seed=3)
    assert _outreach("import", str(first)).returncode == 0
    more = tmp_path / "more.csv"
    write_csv(more, 50, seed=4)
    mount_point = small_disk.parent
    subprocess.run(["mount", "-o", "remount,ro", str(mount_point)], check=True)
    try:
        blocked = _outreach("import", str(more))
        assert blocked.returncode == EXIT_READ_ONLY, (blocked.returncode, blocked.stderr)
        assert "read-only" in blocked.stderr
        assert WRONG_KEY not in blocked.stderr
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(mount_point)], check=True)
    assert _count(small_disk) == 50
