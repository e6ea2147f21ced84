"""Unlocking from the commands: env or hidden prompt, exit codes, delays, passphrase change."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from outreach_tui.commands import common
from outreach_tui.config import Paths, resolve_paths
from outreach_tui.vault import Vault
from tests.conftest import TEST_PASSPHRASE

from .helpers import CANARY_NAME, run, write_csv
from .test_vault import FakeTime

WRONG = "bukan-frasa-sandinya"


@pytest.fixture
def fake_time(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    """Commands use a vault whose waits only move a fake clock."""
    fake = FakeTime()
    monkeypatch.setattr(
        common, "make_vault", lambda paths: Vault(paths, clock=fake.clock, sleeper=fake.sleep)
    )
    return fake


def _imported(tmp_path: Path) -> None:
    result = run("import", str(write_csv(tmp_path)))
    assert result.exit_code == 0, result.output


def test_first_data_command_with_the_env_creates_the_key(tmp_path: Path) -> None:
    assert not Vault(resolve_paths()).exists()
    _imported(tmp_path)
    assert Vault(resolve_paths()).exists()


def test_without_setup_and_without_env_run_setup_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OUTREACH_PASSPHRASE")
    result = run("search", "x")
    assert result.exit_code == 6 and "outreach setup" in result.stderr
    assert "Traceback" not in result.output


def test_no_terminal_and_no_env_is_a_clear_stop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    _imported(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "OUTREACH_PASSPHRASE"}
    done = subprocess.run(
        [sys.executable, "-m", "outreach_tui.cli", "search", "Kanari"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 6
    assert "OUTREACH_PASSPHRASE" in done.stderr and "terminal" in done.stderr
    assert "Traceback" not in done.stderr


def test_wrong_passphrase_exit_5_delay_grows_and_success_resets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_time: FakeTime
) -> None:
    _imported(tmp_path)
    monkeypatch.setenv("OUTREACH_PASSPHRASE", WRONG)
    for attempt in range(1, 7):
        result = run("search", "Kanari")
        assert result.exit_code == 5, result.output
        assert "Frasa sandi salah" in result.stderr and f"({attempt} kali" in result.stderr
        assert WRONG not in result.output and CANARY_NAME not in result.output
    assert fake_time.slept == [1, 2]
    assert Vault(resolve_paths()).failures.load().failures == 6
    monkeypatch.setenv("OUTREACH_PASSPHRASE", TEST_PASSPHRASE)
    result = run("search", "Kanari", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)[0]["full_name"] == CANARY_NAME
    assert fake_time.slept[-1] == 4 and "menunggu 4 detik" in result.stderr
    assert Vault(resolve_paths()).failures.load().failures == 0


def test_english_message_for_a_wrong_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _imported(tmp_path)
    monkeypatch.setenv("OUTREACH_PASSPHRASE", WRONG)
    monkeypatch.setenv("OUTREACH_LANG", "en")
    result = run("export")
    assert result.exit_code == 5 and "Wrong passphrase" in result.stderr


def test_the_prompt_asks_again_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_time: FakeTime
) -> None:
    _imported(tmp_path)
    monkeypatch.delenv("OUTREACH_PASSPHRASE")
    monkeypatch.setattr(common, "can_prompt", lambda: True)
    result = run("search", "Kanari", "--json", input=f"{WRONG}\n{TEST_PASSPHRASE}\n")
    assert result.exit_code == 0, result.output
    assert "Coba lagi" in result.stderr and WRONG not in result.output
    result = run("search", "Kanari", input=f"{WRONG}\n{WRONG}\n{WRONG}\n")
    assert result.exit_code == 5


def test_interactive_setup_asks_twice_and_enforces_the_rule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OUTREACH_PASSPHRASE")
    monkeypatch.setattr(common, "can_prompt", lambda: True)
    args = ("setup", "--officer-id", "p1", "--officer-name", "Dewi", "--branch", "B")
    good = "frasa-sandi-petugas"
    result = run(*args, input=f"pendek\n{good}\n{good}x\n{good}\n{good}\n")
    assert result.exit_code == 0, result.output
    assert "minimal 10 karakter" in result.output
    assert Vault(resolve_paths()).unlock(good)
    assert resolve_paths().db_path.exists()


def test_setup_without_terminal_or_env_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OUTREACH_PASSPHRASE")
    result = run("setup", "--officer-id", "p1", "--officer-name", "Dewi", "--branch", "B")
    assert result.exit_code == 6 and "OUTREACH_PASSPHRASE" in result.stderr


def test_setup_refuses_a_short_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTREACH_PASSPHRASE", "pendek")
    result = run("setup", "--officer-id", "p1", "--officer-name", "Dewi", "--branch", "B")
    assert result.exit_code == 2 and "10" in result.stderr
    assert not Vault(resolve_paths()).exists()


def _data_files(paths: Paths) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes()
        for p in paths.data_dir.iterdir()
        if p.is_file() and not p.name.endswith("-shm")
    }


def test_passphrase_change_rewraps_without_touching_the_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_time: FakeTime
) -> None:
    _imported(tmp_path)
    paths = resolve_paths()
    before = _data_files(paths)
    new = "frasa-sandi-baru-sekali"
    monkeypatch.setenv("OUTREACH_NEW_PASSPHRASE", "pendek")
    assert run("passphrase").exit_code == 2
    monkeypatch.setenv("OUTREACH_NEW_PASSPHRASE", new)
    monkeypatch.setenv("OUTREACH_PASSPHRASE", WRONG)
    assert run("passphrase").exit_code == 5
    monkeypatch.setenv("OUTREACH_PASSPHRASE", TEST_PASSPHRASE)
    result = run("passphrase")
    assert result.exit_code == 0, result.output
    assert _data_files(paths) == before
    monkeypatch.delenv("OUTREACH_NEW_PASSPHRASE")
    assert run("search", "Kanari").exit_code == 5  # the old passphrase no longer works
    monkeypatch.setenv("OUTREACH_PASSPHRASE", new)
    found = run("search", "Kanari", "--json")
    assert found.exit_code == 0 and json.loads(found.stdout)[0]["full_name"] == CANARY_NAME


def test_passphrase_change_interactive(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _imported(tmp_path)
    monkeypatch.delenv("OUTREACH_PASSPHRASE")
    monkeypatch.setattr(common, "can_prompt", lambda: True)
    new = "frasa-sandi-baru-sekali"
    result = run("passphrase", input=f"{TEST_PASSPHRASE}\n{new}\n{new}\n")
    assert result.exit_code == 0, result.output
    assert Vault(resolve_paths()).unlock(new)


def test_a_missing_key_file_is_never_replaced_by_a_new_key(tmp_path: Path) -> None:
    _imported(tmp_path)
    paths = resolve_paths()
    (paths.keys_dir / "datakey.json").unlink()
    result = run("search", "Kanari")
    assert result.exit_code == 7 and "datakey.json" in result.stderr
    assert not (paths.keys_dir / "datakey.json").exists()


def test_a_damaged_key_file_exits_7(tmp_path: Path) -> None:
    _imported(tmp_path)
    (resolve_paths().keys_dir / "datakey.json").write_text("{}")
    assert run("search", "Kanari").exit_code == 7
