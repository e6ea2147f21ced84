"""Every command has help, --version works, locate and setup honour OUTREACH_HOME."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from outreach_tui import __version__
from outreach_tui.cli import main


def _all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(_all_commands(command, (*prefix, name)))
    return found


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize("path", _all_commands(main))
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    command = main
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    assert command.help and len(command.help.strip()) > 20, path
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden and param.name != "help":
            assert param.help, f"{' '.join(path)} {param.opts} has no help"


def test_locate_uses_outreach_home(isolated_home: Path) -> None:
    result = CliRunner().invoke(main, ["locate", "--json"])
    places = json.loads(result.output)
    assert all(p.startswith(str(isolated_home)) for p in places.values())


def test_setup_saves_settings(isolated_home: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "setup",
            "--officer-id",
            "P-001",
            "--officer-name",
            "Dewi  Lestari",
            "--branch",
            "KC-BGR",
            "--server",
            "http://127.0.0.1:8000/",
            "--token",
            "tok",
        ],
    )
    assert result.exit_code == 0, result.output
    saved = tomllib.loads((isolated_home / "config" / "config.toml").read_text())
    assert saved["officer_id"] == "P-001" and saved["officer_name"] == "Dewi Lestari"
    assert saved["server_url"] == "http://127.0.0.1:8000"
    assert (isolated_home / "config" / "config.toml").stat().st_mode & 0o077 == 0


def test_setup_rejects_bad_server_url() -> None:
    result = CliRunner().invoke(
        main,
        [
            "setup",
            "--officer-id",
            "P",
            "--officer-name",
            "N",
            "--branch",
            "B",
            "--server",
            "ftp://x",
        ],
    )
    assert result.exit_code == 2 and "--server" in result.stderr and "https://" in result.stderr


def test_broken_settings_file_is_named(isolated_home: Path, tmp_path: Path) -> None:
    config = isolated_home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('language = "fr"\n')
    csv_file = tmp_path / "a.csv"
    csv_file.write_text("full_name\nAni\n")
    result = CliRunner().invoke(main, ["import", str(csv_file)])
    assert (
        result.exit_code == 2 and "language" in result.stderr and "Traceback" not in result.output
    )


def test_real_command_runs_without_a_terminal(isolated_home: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "outreach_tui.cli", "locate"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert done.returncode == 0 and str(isolated_home) in done.stdout
