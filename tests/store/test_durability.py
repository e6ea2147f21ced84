"""A writer killed with SIGKILL loses no committed record and leaves a sound file."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from outreach_tui.store import open_store
from outreach_tui.store.bulk import REBUILD_MIN_ROWS

# The writer prints each id only after save_record()/save_records() returned: from that
# moment the record must survive anything short of losing the disk.
WRITER = r"""
import sys
from outreach_tui.store import open_store
sys.path.insert(0, sys.argv[2])
from tests.store.synthetic import synthetic_records

store = open_store(sys.argv[1])
rows = synthetic_records(10**9, seed=int(sys.argv[3]))
batch = int(sys.argv[4])
print("ready", flush=True)
n = 0
while True:
    n += 1
    if batch > 1 or n % 10 == 0:  # batches too, so a kill can land in a bigger transaction
        for saved in store.save_records([next(rows) for _ in range(batch)], actor="writer"):
            print(saved.id, flush=False)
        sys.stdout.flush()
    else:
        print(store.save_record(next(rows), actor="writer").id, flush=True)
"""

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
@pytest.mark.parametrize(
    ("seed", "batch"),
    [
        (1, 300),
        (2, 300),
        (3, 300),
        # Big enough for the bulk path, which drops and recreates indexes in its transaction.
        (4, REBUILD_MIN_ROWS),
    ],
)
def test_sigkill_mid_write_loses_no_committed_record(tmp_path: Path, seed: int, batch: int) -> None:
    path = tmp_path / "store.db"
    open_store(path).close()  # schema in place before the race starts
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(ROOT), str(seed), str(batch)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
    # Single saves: kill at any moment. Bulk: let one batch commit, kill inside the next.
    time.sleep(random.Random(seed).uniform(0.3, 1.2) if batch < REBUILD_MIN_ROWS else 0)
    if batch >= REBUILD_MIN_ROWS:
        first = proc.stdout.readline().strip()  # the first batch is committed
        time.sleep(random.Random(seed).uniform(0.2, 1.0))
    os.kill(proc.pid, signal.SIGKILL)
    # Read on through the same buffered stream (communicate() would skip what it buffered).
    out = proc.stdout.read()
    assert proc.wait(timeout=10) == -signal.SIGKILL
    proc.stdout.close()
    if proc.stderr:
        proc.stderr.close()
    # A line cut short by the kill was never completely printed: its record may or may not
    # have been committed; every complete line was.
    lines = out.split("\n")
    committed = [line for line in lines[:-1] if line.strip()]
    if batch >= REBUILD_MIN_ROWS:
        committed.append(first)
    assert committed, "the writer committed nothing before it was killed"

    with open_store(path) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert store.existing_ids(committed) == set(committed)
        total = store.count_records()
        assert total >= len(committed)
        # Everything that was committed came with its version, change and audit rows.
        for table in ("record_versions", "changes", "audit"):
            assert store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == total
        assert store.verify_audit() is None
        assert {"records_name", "records_nik", "records_updated"} <= {
            index.name for index in store.db["records"].indexes
        }
        assert store.db.execute("SELECT count(*) FROM records_fts").fetchone()[0] == total
        assert store.save_record({"full_name": "Setelah Mati"}, actor="t").version == 1
