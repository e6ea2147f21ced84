"""The real `outreach` command in a real terminal (tmux): a day's core flow, end to end.

Add a person at the door (with consent and NIK), find her in the list, enroll her, show
her slip with its QR code on screen, quit; then check what the store holds.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from outreach_tui.cli import main
from outreach_tui.config import load_settings, resolve_paths, save_settings
from tests.conftest import TEST_PASSPHRASE, unlocked_store
from tests.tui.tmux_driver import Tmux

# Developers without tmux may skip; in CI (.ci/run installs it) a missing tmux fails the test.
pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None and not os.environ.get("CI"), reason="needs tmux (.ci/run)"
)

NIK = "3201015204850001"  # a woman born 1985-04-12, registered in Kec. Cibinong


def outreach_command() -> str:
    """The `outreach` script installed next to this interpreter."""
    script = Path(sys.executable).with_name("outreach")
    assert script.exists(), f"the outreach command is not installed: {script}"
    return str(script)


def set_up_and_start(home: Path, tmp_path: Path) -> Tmux:
    """A set-up laptop working in Cibinong RW 003 RT 002, and `outreach` started in tmux."""
    setup = CliRunner().invoke(
        main, ["setup", "--officer-id", "p-001", "--officer-name", "Dewi", "--branch", "KC-BOGOR"]
    )
    assert setup.exit_code == 0, setup.output
    paths = resolve_paths({"OUTREACH_HOME": str(home)})
    area = {"area_code": "32.01.01.1001", "area_rw": "003", "area_rt": "002"}
    save_settings(paths, load_settings(paths).model_copy(update=area))
    env = {
        "OUTREACH_HOME": str(home),
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
    }
    return Tmux(outreach_command(), env)


def test_add_search_enroll_slip_quit(isolated_home: Path, tmp_path: Path) -> None:
    tui = set_up_and_start(isolated_home, tmp_path)
    try:
        tui.wait_for("Frasa sandi")
        tui.type(TEST_PASSPHRASE)
        tui.keys("Enter")
        tui.wait_for("Ditemui hari ini")

        # At the door: a new person, the NIK fills birth date and sex, consent read aloud.
        tui.keys("F4")
        tui.wait_for("Data orang baru")
        tui.type("Siti Rahmawati")
        tui.keys("Enter")
        tui.type(NIK)
        tui.keys("Enter")
        screen = tui.wait_for("12/04/1985")
        assert "perempuan" in screen
        tui.keys("Enter")  # birth date (filled from the NIK)
        tui.keys("Tab")  # sex (filled from the NIK)
        tui.type("081234567890")
        tui.keys("Enter")
        tui.keys("F9")  # consent given
        tui.keys("C-s")
        tui.wait_for("Tersimpan: Siti Rahmawati")

        # Find her again.
        tui.keys("F3")
        tui.wait_for("Cari nama, NIK atau nomor HP")
        tui.type("siti")
        screen = tui.wait_for("cocok dengan")
        assert "Siti Rahmawati" in screen and "3201********0001" in screen
        tui.keys("Down")
        tui.keys("Enter")
        tui.wait_for("Riwayat kunjungan")

        # Enroll.
        tui.keys("F10")
        tui.wait_for("Status baru")
        tui.keys("Down")
        tui.keys("Enter")
        tui.keys("C-s")
        tui.wait_for("Status disimpan: terdaftar")

        # The slip, with its QR drawn in half blocks.
        tui.keys("C-t")
        screen = tui.wait_for("Kode referensi")
        assert "█▀▀▀▀▀█" in screen  # a QR finder pattern
        assert "Siti Rahmawati" in screen and "Rp16.800" in screen

        tui.keys("C-q")  # two changes not sent yet: the tool asks first
        tui.wait_for("Keluar saja")
        tui.keys("Tab")
        tui.keys("Enter")
        tui.wait_for("[exit 0]")
    except AssertionError:
        tui.save(tmp_path / "last-screen.txt")
        raise
    finally:
        tui.close()

    store = unlocked_store(isolated_home)
    try:
        found = store.search("Siti Rahmawati")
        assert len(found) == 1
        record = found[0]
        assert record["status"] == "enrolled"
        assert record["nik"] == NIK and record["consent"] is True
        assert record["birth_date"] == "1985-04-12" and record["sex"] == "F"
        assert record["phone"] == "+6281234567890"
        assert (record["region_code"], record["rw"], record["rt"]) == (
            "32.01.01.1001",
            "003",
            "002",
        )
        versions = store.record_versions(record["id"])
        assert [v["data"]["status"] for v in versions] == ["prospect", "enrolled"]
    finally:
        store.close()
