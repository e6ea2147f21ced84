"""The stolen-laptop test: after real work, no canary is readable anywhere under OUTREACH_HOME."""

from __future__ import annotations

import json
from pathlib import Path

from outreach_tui.config import resolve_paths
from outreach_tui.store import WrongKeyError, open_store
from outreach_tui.vault import Vault
from tests.conftest import TEST_PASSPHRASE, cli_setup
from tests.sync.conftest import CentralServer

from .helpers import CANARY_NAME, CANARY_TOKEN, NEEDLES, leaks, run, write_csv


def test_nothing_readable_after_setup_import_search_export_sync(
    tmp_path: Path, isolated_home: Path, central_server: CentralServer
) -> None:
    token = central_server.add_device("p1", "KC-BOGOR")
    setup = cli_setup(central_server.url, token)
    assert setup.exit_code == 0, setup.output
    outside = tmp_path / "outside"
    outside.mkdir()
    imported = run("import", str(write_csv(outside)))
    assert imported.exit_code == 0, imported.output
    for query in ("Kanari", "zzyzx qwer", "3201015508", "0812987"):
        found = run("search", query, "--json")
        assert found.exit_code == 0, found.output
        assert [r["full_name"] for r in json.loads(found.stdout)] == [CANARY_NAME], query
    exported = run("export", "--format", "json", "--out", str(outside / "all.json"))
    assert exported.exit_code == 0, exported.output
    assert CANARY_NAME in (outside / "all.json").read_text(encoding="utf-8")
    synced = run("sync")
    assert synced.exit_code == 0, synced.output

    assert leaks(isolated_home, (*NEEDLES, token, TEST_PASSPHRASE)) == []
    config = (isolated_home / "config" / "config.toml").read_text(encoding="utf-8")
    assert token not in config
    db = resolve_paths().db_path
    assert not db.read_bytes().startswith(b"SQLite format 3")
    try:
        open_store(db)
    except WrongKeyError:
        pass
    else:  # pragma: no cover
        raise AssertionError("the store opened without a key")


def test_nothing_readable_while_the_store_is_open(isolated_home: Path, tmp_path: Path) -> None:
    """A laptop taken while the tool runs: the WAL and -shm hold fresh writes."""
    assert run("import", str(write_csv(tmp_path))).exit_code == 0
    paths = resolve_paths()
    with open_store(paths.db_path, key=Vault(paths).unlock(TEST_PASSPHRASE)) as store:
        store.save_record({"full_name": "Zzyzx Kedua", "phone": "+6281298765432"}, actor="t")
        assert Path(f"{paths.db_path}-wal").stat().st_size > 0
        assert leaks(isolated_home) == []


def test_the_token_lives_in_the_encrypted_store(isolated_home: Path) -> None:
    result = run(
        "setup", "--officer-id", "p1", "--officer-name", "Dewi", "--branch", "B", "--token",
        CANARY_TOKEN,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert leaks(isolated_home, (CANARY_TOKEN,)) == []
    paths = resolve_paths()
    with open_store(paths.db_path, key=Vault(paths).unlock(TEST_PASSPHRASE)) as store:
        assert store.get_meta("secret.device_token") == CANARY_TOKEN


def test_a_plaintext_token_from_an_old_config_is_moved_into_the_store(
    isolated_home: Path,
) -> None:
    config = isolated_home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        f'officer_id = "p1"\nserver_url = "http://127.0.0.1:9"\ndevice_token = "{CANARY_TOKEN}"\n'
    )
    result = run("sync", "--retries", "0")
    assert result.exit_code == 3, result.output  # it got as far as the (absent) server
    assert CANARY_TOKEN not in config.read_text()
    assert leaks(isolated_home, (CANARY_TOKEN,)) == []
    paths = resolve_paths()
    with open_store(paths.db_path, key=Vault(paths).unlock(TEST_PASSPHRASE)) as store:
        assert store.get_meta("secret.device_token") == CANARY_TOKEN
