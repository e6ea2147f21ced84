"""A laptop set up with a setup code from the branch console: `outreach setup --code` fetches
the device token (never typed), officer id and branch; a used, expired or mistyped code says
which, and the laptop is left as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from outreach_tui.cli import main
from sync.server.console.store import ConsoleStore, Staff
from tests.sync.conftest import CentralServer


def _code(central: CentralServer, officer: str = "petugas-7") -> str:
    console = ConsoleStore(central.storage)
    return console.new_setup_code(Staff("admin1", "KC-BOGOR", "admin"), officer)


def _setup(home: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> object:
    monkeypatch.setenv("OUTREACH_HOME", str(home))
    return CliRunner().invoke(main, ["setup", "--officer-name", "Rina Wati", *args])


def test_setup_with_a_code_then_sync(
    tmp_path: Path, central_server: CentralServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = _code(central_server)
    done = _setup(tmp_path / "a", monkeypatch, "--server", central_server.url, "--code", code)
    assert done.exit_code == 0, done.output
    assert "petugas-7" in done.output and "KC-BOGOR" in done.output
    config = (tmp_path / "a").rglob("config.toml")
    text = "".join(p.read_text() for p in config)
    assert 'officer_id = "petugas-7"' in text and "KC-BOGOR" in text
    synced = CliRunner().invoke(main, ["sync"])
    assert synced.exit_code == 0, synced.output
    (device,) = central_server.query("SELECT officer_id, branch FROM devices")
    assert device == ("petugas-7", "KC-BOGOR")
    # The code is used up: a second laptop is told so, and keeps no settings from it.
    again = _setup(tmp_path / "b", monkeypatch, "--server", central_server.url, "--code", code)
    assert again.exit_code == 2 and "sudah dipakai" in again.output
    assert not list((tmp_path / "b").rglob("config.toml"))


def test_a_mistyped_code_or_no_server_is_refused(
    tmp_path: Path, central_server: CentralServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = _code(central_server)
    typo = code[:-1] + ("A" if code[-1] != "A" else "B")
    wrong = _setup(tmp_path / "a", monkeypatch, "--server", central_server.url, "--code", typo)
    assert wrong.exit_code == 2 and "salah ketik" in wrong.output
    alone = _setup(tmp_path / "a", monkeypatch, "--code", code)
    assert alone.exit_code == 2 and "--server" in alone.output
    both = _setup(tmp_path / "a", monkeypatch, "--server", central_server.url, "--code", code,
                  "--token", "x")  # fmt: skip
    assert both.exit_code == 2 and "--token" in both.output
    # The code was never used by those attempts.
    ok = _setup(tmp_path / "a", monkeypatch, "--server", central_server.url, "--code", code)
    assert ok.exit_code == 0, ok.output
