"""Every input file is read with a size bound; devices and FIFOs are refused (issue 10, class 6)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from outreach_tui.cli import main
from outreach_tui.config import SettingsError, load_settings, resolve_paths
from outreach_tui.domain import bounded
from outreach_tui.transfer import csvfile

HEADER = "full_name,phone,region_code,rw,rt,status\n"
ROW = "Budi Santoso,081311112222,32.01.01.1001,001,002,prospect\n"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "outreach_tui.cli", *args],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_import_dev_zero_exits_2_quickly() -> None:
    """`outreach import /dev/zero` is refused at once instead of reading until MemoryError."""
    began = time.monotonic()
    result = _run("import", "/dev/zero")
    assert result.returncode == 2, result.stderr
    assert time.monotonic() - began < 30
    assert "berkas biasa" in result.stderr


def test_import_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    """A FIFO with no writer neither hangs the command nor gets read."""
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    result = _run("import", str(fifo))
    assert result.returncode == 2
    assert "FIFO" in result.stderr


def test_oversized_csv_is_refused_with_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the (test-lowered) bound the import stops with exit 2 and states the limit."""
    monkeypatch.setattr(csvfile, "MAX_FILE_BYTES", 1024 * 1024)
    path = tmp_path / "big.csv"
    path.write_text(HEADER + ROW * (1024 * 1024 // len(ROW) + 10), encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(path)])
    assert result.exit_code == 2
    assert "batas 1 MB" in result.output
    small = tmp_path / "small.csv"
    small.write_text(HEADER + ROW, encoding="utf-8")
    assert CliRunner().invoke(main, ["import", str(small)]).exit_code == 0


def test_read_bounded_stops_at_the_limit(tmp_path: Path) -> None:
    """The reader itself: regular files up to the bound, nothing bigger, no devices."""
    path = tmp_path / "f.bin"
    path.write_bytes(b"x" * 100)
    assert bounded.read_bounded(path, 100) == b"x" * 100
    with pytest.raises(bounded.InputTooLarge):
        bounded.read_bounded(path, 99)
    with pytest.raises(bounded.NotRegularFile):
        bounded.read_bounded("/dev/zero", 10)
    with pytest.raises(IsADirectoryError):
        bounded.read_bounded(tmp_path, 10)


def test_oversized_config_file_is_a_settings_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A config file past the bound is reported as broken, not read."""
    paths = resolve_paths()
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text("# " + "x" * 2000 + "\n", encoding="utf-8")
    monkeypatch.setattr(bounded, "SMALL_FILE_BYTES", 1000)
    with pytest.raises(SettingsError):
        load_settings(paths)


def test_slip_key_add_refuses_devices_and_big_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`slip-key --add` names the option and the limit; /dev/zero is refused, not read."""
    result = CliRunner().invoke(main, ["slip-key", "--add", "/dev/zero"])
    assert result.exit_code == 2 and "--add" in result.output and "biasa" in result.output
    big = tmp_path / "key.json"
    big.write_text(json.dumps({"pad": "x" * 2_000_000}), encoding="utf-8")
    result = CliRunner().invoke(main, ["slip-key", "--add", str(big)])
    assert result.exit_code == 2 and "1024 KB" in result.output


def test_slip_verify_image_refuses_devices() -> None:
    """`slip-verify --image /dev/zero` stops with exit 2 instead of reading forever."""
    result = CliRunner().invoke(main, ["slip-verify", "--image", "/dev/zero"])
    assert result.exit_code == 2 and "--image" in result.output
