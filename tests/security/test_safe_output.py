"""No command destroys data, and every file with personal data is private (issue 10, files).

Real commands on a real encrypted store and a real central database: output paths that are (or
lead to) the store, its keys or a central database are refused before anything is touched;
outputs are written atomically and 0600 whatever the umask; server commands never create a
database by accident; a missing or emptied store is never silently replaced.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from outreach_tui.cli import main
from outreach_tui.safefile import OutputRefused, check_output
from sync.server import open_central
from tests.conftest import cli_setup

from .helpers import write_csv


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual desktop umask, under which plain open() makes 0644 files."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def laptop(isolated_home: Path, tmp_path: Path) -> Path:
    """A set-up laptop with two people imported."""
    assert cli_setup("http://127.0.0.1:9", "tok").exit_code == 0
    assert _run("import", str(write_csv(tmp_path))).exit_code == 0
    return isolated_home


def _store(home: Path) -> Path:
    return home / "data" / "outreach.db"


def _targets(home: Path, tmp_path: Path) -> list[Path]:
    """Ways of naming the store, its WAL, its keys and settings as an output file."""
    store = _store(home)
    link = tmp_path / "looks-harmless.csv"
    link.symlink_to(store)
    hard = tmp_path / "hard-link.csv"
    os.link(store, hard)
    return [
        store,
        store.with_name("outreach.db-wal"),
        home / "data" / ".." / "data" / "outreach.db",
        home / "keys" / "datakey.json",
        home / "keys" / "new-file.csv",
        home / "config" / "config.toml",
        link,
        hard,
    ]


@pytest.mark.parametrize(
    "command",
    [
        ["export", "--format", "csv"],
        ["export", "--format", "json"],
        ["export", "--format", "xlsx"],
        ["slips", "--status", "enrolled"],
    ],
)
def test_laptop_outputs_never_overwrite_the_store_keys_or_settings(
    command: list[str], laptop: Path, tmp_path: Path
) -> None:
    """Every spelling of a protected file is refused (exit 2) and nothing changes."""
    store = _store(laptop)
    before = store.read_bytes()
    keys_before = {p.name: p.read_bytes() for p in (laptop / "keys").iterdir()}
    for target in _targets(laptop, tmp_path):
        out = target if command[0] != "slips" else target.with_suffix(".pdf")
        if command[0] == "slips" and out.suffix != target.suffix and not out.exists():
            out = target  # a protected name must be refused whatever its suffix
            if out.suffix != ".pdf":
                continue
        result = _run(*command, "--out", str(out))
        assert result.exit_code == 2, (out, result.output)
        assert "tidak boleh menulis ke basis data" in result.output
    assert store.read_bytes() == before
    assert {p.name: p.read_bytes() for p in (laptop / "keys").iterdir()} == keys_before
    assert _run("search", "Budi").exit_code == 0  # the store still opens


def test_check_output_refuses_folders_and_links(tmp_path: Path) -> None:
    """The rule itself: inside a protected folder, the same inode, a folder as a file."""
    keys = tmp_path / "keys"
    keys.mkdir()
    db = tmp_path / "central.db"
    db.write_bytes(b"x")
    hard = tmp_path / "copy.csv"
    os.link(db, hard)
    for target in (keys / "a.csv", keys, hard, tmp_path / "x" / ".." / "central.db"):
        with pytest.raises(OutputRefused):
            check_output(target, files=[db], folders=[keys])
    with pytest.raises(OutputRefused) as caught:
        check_output(tmp_path, files=[db])
    assert caught.value.code == "output.is_folder"
    assert check_output(tmp_path / "export.csv", files=[db], folders=[keys]).name == "export.csv"


# --- the central database ------------------------------------------------------------------


@pytest.fixture
def central(tmp_path: Path) -> Path:
    """A central database with one device, made on purpose (`server migrate`)."""
    db = tmp_path / "central.db"
    assert _run("server", "migrate", "--db", str(db)).exit_code == 0
    added = _run("server", "add-device", "--db", str(db), "--officer-id", "p1",
                 "--branch", "KC-BOGOR", "--json")  # fmt: skip
    assert added.exit_code == 0
    return db


def test_server_export_never_writes_over_a_database(central: Path, tmp_path: Path) -> None:
    """`server export --db C --out C` (and its WAL, a link to it) is refused; C still works."""
    before = central.read_bytes()
    hard = tmp_path / "export.json"
    os.link(central, hard)
    for out in (central, central.with_name("central.db-wal"), hard):
        for command in (["export"], ["device-report", "--device", "x"]):
            result = _run("server", *command, "--db", str(central), "--out", str(out))
            assert result.exit_code == 2, result.output
            assert "tidak boleh menulis ke basis data" in result.output
    assert central.read_bytes() == before
    again = _run("server", "add-device", "--db", str(central), "--officer-id", "p2",
                 "--branch", "KC-BOGOR", "--json")  # fmt: skip
    assert again.exit_code == 0 and json.loads(again.stdout)["token"]


@pytest.mark.parametrize("kind", ["missing", "empty", "text", "foreign"])
@pytest.mark.parametrize(
    "command",
    [
        ["add-device", "--officer-id", "p", "--branch", "B"],
        ["revoke-device", "--device", "d"],
        ["export"],
        ["device-report", "--device", "d"],
        ["mark-paid", "r"],
    ],
)
def test_server_commands_never_create_or_touch_a_wrong_database(
    kind: str, command: list[str], tmp_path: Path
) -> None:
    """A typo in --db, an empty or foreign file: a clear stop, no file made, nothing changed."""
    db = tmp_path / "typo" / "central.db"
    if kind != "missing":
        db.parent.mkdir()
        if kind == "text":
            db.write_text("nama,nik\n")
        elif kind == "foreign":
            with sqlite3.connect(db) as conn:
                conn.execute("CREATE TABLE other (x)")
        else:
            db.touch()
    before = db.read_bytes() if db.exists() else None
    result = _run("server", *command, "--db", str(db))
    assert result.exit_code == 2, result.output
    assert "Basis data pusat" in result.output or "basis data pusat" in result.output
    if kind == "missing":
        assert not db.parent.exists()
    else:
        assert db.read_bytes() == before
        assert sorted(p.name for p in db.parent.iterdir()) == ["central.db"]


def test_central_database_and_wal_are_private(tmp_path: Path, umask_022: None) -> None:
    """The central DB (every branch's personal data) and its -wal/-shm are 0600, folder 0700."""
    db = tmp_path / "srv" / "central.db"
    storage = open_central(db)
    try:
        storage.add_device.__self__  # noqa: B018 - the storage is open and has written
        with storage.write():
            pass
        wal = db.with_name("central.db-wal")
        assert wal.exists()
        assert _mode(db) == 0o600 and _mode(wal) == 0o600
        assert _mode(db.with_name("central.db-shm")) == 0o600
        assert _mode(db.parent) == 0o700
    finally:
        storage.close()


def test_every_output_is_private(
    laptop: Path, central: Path, tmp_path: Path, umask_022: None
) -> None:
    """Exports (csv/json/xlsx), slips and central reports are 0600 under umask 022."""
    out = tmp_path / "out"
    for fmt in ("csv", "json", "xlsx"):
        assert _run("export", "--format", fmt, "--out", str(out / f"e.{fmt}")).exit_code == 0
        assert _mode(out / f"e.{fmt}") == 0o600
    assert _run("slips", "--status", "enrolled", "--out", str(out / "s.pdf")).exit_code == 0
    assert _mode(out / "s.pdf") == 0o600
    assert _run("server", "export", "--db", str(central), "--out", str(out / "c.csv"),
                "--format", "csv").exit_code == 0  # fmt: skip
    assert _mode(out / "c.csv") == 0o600
    assert not list(out.glob(".*part"))


def test_a_failed_write_keeps_the_old_file(laptop: Path, tmp_path: Path) -> None:
    """A file-size limit hit half-way: the previous export is intact, no temporary file left."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    rows = "".join(
        f"Warga {letters[i % 26].upper()}{letters[i // 26 % 26]}{letters[i // 676]} Santoso,,,ojol,"
        ",,,32.01.01.1001,001,002,prospect,false\n"
        for i in range(600)
    )
    assert _run("import", str(write_csv(tmp_path, "many.csv", rows))).exit_code == 0
    out = tmp_path / "export.json"
    out.write_text("OLD EXPORT")
    code = (
        "import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
        "resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000)); "
        "from outreach_tui.cli import main; sys.argv[0] = 'outreach'; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "export", "--format", "json", "--out", str(out)],
        capture_output=True, text=True, env={**os.environ}, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "tidak dapat ditulis" in result.stderr
    assert out.read_text() == "OLD EXPORT"
    assert sorted(p.name for p in tmp_path.iterdir() if "export" in p.name) == ["export.json"]
    assert _run("export", "--format", "json").stdout.count('"id"') == 602  # bigger than the limit


# --- the laptop's store is never silently replaced -----------------------------------------


@pytest.mark.parametrize("damage", ["deleted", "emptied"])
@pytest.mark.parametrize("command", [["export"], ["search", "Budi"], ["sync"], ["purge"]])
def test_a_missing_or_empty_store_is_never_replaced(
    damage: str, command: list[str], laptop: Path
) -> None:
    """The key exists, the store is gone: a clear stop (exit 11), no new empty store."""
    store = _store(laptop)
    for sibling in (store.with_name("outreach.db-wal"), store.with_name("outreach.db-shm")):
        sibling.unlink(missing_ok=True)
    if damage == "deleted":
        store.unlink()
    else:
        store.write_bytes(b"")
    result = _run(*command)
    assert result.exit_code == 11, result.output
    assert "outreach setup --reset" in result.output
    if damage == "deleted":
        assert not store.exists()
    else:
        assert store.read_bytes() == b""


def test_setup_reset_keeps_the_old_files_aside(laptop: Path, tmp_path: Path) -> None:
    """`setup --reset --yes` moves store and keys into a dated 0700 folder; a new start works."""
    store = _store(laptop)
    old = store.read_bytes()
    store.unlink()
    refused = _run("setup", "--officer-id", "p1", "--officer-name", "Dewi", "--branch", "KC",
                   "--reset")  # fmt: skip
    assert refused.exit_code == 2  # no terminal and no --yes: nothing moved
    result = _run("setup", "--officer-id", "p1", "--officer-name", "Dewi", "--branch", "KC",
                  "--reset", "--yes")  # fmt: skip
    assert result.exit_code == 0, result.output
    aside = next((laptop / "data" / "aside").iterdir())
    assert _mode(aside) == 0o700
    assert (aside / "keys" / "datakey.json").exists()
    assert old  # the deleted store had content; what was there is kept as it was found
    assert _run("import", str(write_csv(tmp_path))).exit_code == 0
    assert _run("search", "Budi").exit_code == 0


def test_the_home_and_its_folders_are_private(tmp_path: Path, umask_022: None) -> None:
    """OUTREACH_HOME and every folder the tool makes under it are 0700 under umask 022."""
    from outreach_tui.config import resolve_paths

    home = tmp_path / "fresh-home"
    paths = resolve_paths({"OUTREACH_HOME": str(home)})
    paths.ensure()
    for folder in (home, paths.data_dir, paths.config_dir, paths.keys_dir, paths.log_dir):
        assert _mode(folder) == 0o700, folder


def test_the_laptop_store_and_its_wal_are_private(tmp_path: Path, umask_022: None) -> None:
    """The store (every person's data, encrypted) and its -wal/-shm are 0600 under umask 022,
    and a store made 0644 by an older version is made 0600 when opened."""
    from outreach_tui.store import open_store
    from tests.store.conftest import person

    db = tmp_path / "data" / "outreach.db"
    db.parent.mkdir()
    with open_store(db) as store:
        store.save_record(person(), actor="t")
        for name in ("outreach.db", "outreach.db-wal", "outreach.db-shm"):
            assert _mode(db.with_name(name)) == 0o600, name
    os.chmod(db, 0o644)
    with open_store(db) as store:
        assert store.get_meta("nothing") is None
        assert _mode(db) == 0o600


def test_a_set_up_laptop_keeps_its_store_private(umask_022: None, laptop: Path) -> None:
    """`setup` then `import` under umask 022 (the laptop fixture runs after the umask)."""
    for path in (laptop / "data").iterdir():
        assert _mode(path) == 0o600, path.name
