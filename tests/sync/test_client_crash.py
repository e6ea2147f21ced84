"""A sync killed with SIGKILL at random moments, then run again: each record arrives once."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from outreach_tui.cli import main
from tests.conftest import cli_setup, unlocked_store
from tests.sync.conftest import CentralServer


def _people_csv(path: Path, count: int) -> Path:
    rows = ["full_name,phone,status,region_code,rw,rt"]
    rows += [
        f"Warga Nomor {chr(65 + n % 26)}{chr(65 + n // 26 % 26)},0813{n:08d},prospect,"
        f"3201011001,1,{n % 9 + 1}"
        for n in range(count)
    ]
    path.write_text("\n".join(rows) + "\n")
    return path


def test_sigkill_during_sync_then_rerun(
    tmp_path: Path, central_server: CentralServer, isolated_home: Path
) -> None:
    runner = CliRunner()
    token = central_server.add_device("p1", "KC-BOGOR")
    cli_setup(central_server.url, token)
    assert runner.invoke(main, ["import", str(_people_csv(tmp_path / "p.csv", 400))]).exit_code == 0
    env = {**os.environ, "OUTREACH_HOME": str(isolated_home)}
    command = [sys.executable, "-m", "outreach_tui.cli", "sync", "--batch-size", "5"]
    rng = random.Random(11)
    kills = 0
    for _ in range(6):
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.2, 0.8))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait(10)
    assert kills >= 1
    final = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert final.returncode == 0, final.stderr
    exported = runner.invoke(
        main, ["server", "export", "--db", str(central_server.db_path), "--format", "json"]
    )
    central = json.loads(exported.stdout)
    with unlocked_store(isolated_home) as store:
        local = {r["id"] for r in store.iter_records()}
        assert {r["sync_state"] for r in store.iter_records()} == {"synced"}
        assert store.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert len(central) == len({r["id"] for r in central}) == 400
    assert {r["id"] for r in central} == local
