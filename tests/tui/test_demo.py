"""`outreach demo`: its own folder, an encrypted store of one real desa, a loopback central API."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from outreach_tui.cli import main
from outreach_tui.commands.demo import (
    DEMO_AREA,
    DEMO_PASSPHRASE,
    DEMO_STAFF,
    MARKER,
    DemoHome,
    point_at,
    serve_central,
)
from outreach_tui.config import load_settings
from outreach_tui.domain.reference import get_region
from outreach_tui.session import TOKEN_META
from outreach_tui.store import Error, open_store
from outreach_tui.vault import Vault, open_unlocked_store


@pytest.fixture
def no_passphrase_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OUTREACH_PASSPHRASE", raising=False)


def run(*args: str, env: dict[str, str] | None = None) -> object:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result


def test_demo_prepares_a_store_that_syncs_with_its_server(
    tmp_path: Path, isolated_home: Path, no_passphrase_env: None
) -> None:
    target = tmp_path / "demo"
    result = run("demo", "--no-tui", "--home", str(target), "--count", "60")
    assert result.exit_code == 0, result.output
    assert DEMO_PASSPHRASE in result.output and str(target) in result.output
    # The officer's own folders were never touched (the command's log aside).
    assert not any((isolated_home / name).exists() for name in ("data", "config", "keys"))
    home = DemoHome(target)
    paths = home.paths
    assert (target / MARKER).is_file()
    assert target.stat().st_mode & 0o777 == 0o700  # a home of the tool: private
    assert all(f.stat().st_mode & 0o777 == 0o600 for f in paths.data_dir.iterdir())
    with pytest.raises(Error):  # encrypted: unreadable without the key
        open_store(paths.db_path).count_records()
    settings = load_settings(paths)
    assert settings.area_code == DEMO_AREA and settings.is_set_up
    region = get_region(DEMO_AREA)
    assert region is not None and region.level == 4
    key = Vault(paths).unlock(DEMO_PASSPHRASE)
    with open_unlocked_store(paths, key) as store:
        assert 50 <= store.count_records() <= 60
        assert store.count_records(region_code=DEMO_AREA) == store.count_records()
        statuses = {s: store.count_records(status=s) for s in ("prospect", "enrolled", "declined")}
        assert all(statuses.values()), statuses
        assert store.get_meta(TOKEN_META)
        assert store.visits()
        # A real month, not everyone met today: people spread over the past weeks.
        days = {r["created_at"][:10] for r in store.list_records(limit=100)}
        assert len(days) >= 8, days
        unsent = store.outbox_size()
        # Issue 14's parts: two groups, a past event with attendees, participants in arrears.
        groups = {g["kind"]: g for g in store.groups()}
        assert set(groups) == {"pasar", "pangkalan_ojek"}
        assert groups["pasar"]["members"] > 0 and groups["pasar"]["of_declared"] is not None
        (event,) = store.events()
        assert event["held"] and event["attended"] > 0 and event["enrolled_since"] > 0
        assert 1 <= len(store.arrears()) <= 3
    assert unsent > 0

    # Run again: the demo is kept, not doubled.
    again = run("demo", "--no-tui", "--home", str(target), "--count", "60")
    assert again.exit_code == 0
    with open_unlocked_store(paths, key) as store:
        assert store.outbox_size() == unsent

    # The central API the demo starts takes every change of the demo laptop.
    with serve_central(home.central_db) as url:
        assert url.startswith("http://127.0.0.1:")
        point_at(home, url)
        assert load_settings(paths).server_url == url
        env = {"OUTREACH_HOME": str(target), "OUTREACH_PASSPHRASE": DEMO_PASSPHRASE}
        synced = run("sync", env=env)
        assert synced.exit_code == 0, synced.output
        # The branch console is there too: its admin signs in with the demo passphrase.
        import requests

        web = requests.Session()
        signed = web.post(f"{url}/console/signin", timeout=10,
                          data={"username": DEMO_STAFF, "password": DEMO_PASSPHRASE})  # fmt: skip
        assert signed.status_code == 200 and "Ringkasan cabang KC-BOGOR" in signed.text
        records = web.get(f"{url}/console/records", params={"q": "a"}, timeout=10)
        assert records.status_code == 422  # one letter: the rule is named
        # The demo's groups and event reached the centre with the sync, and the console.
        groups = web.get(f"{url}/console/groups", timeout=10)
        assert "Pasar Cibinong" in groups.text and "Balai Pasar Cibinong" in groups.text
    with open_unlocked_store(paths, key) as store:
        assert store.outbox_size() == 0 and store.group_outbox_size() == 0
        assert store.count_records(sync_state="synced") == store.count_records()


def test_reset_starts_over_and_never_deletes_a_folder_that_is_not_a_demo(
    tmp_path: Path, no_passphrase_env: None
) -> None:
    target = tmp_path / "demo"
    assert run("demo", "--no-tui", "--home", str(target), "--count", "5").exit_code == 0
    first = Vault(DemoHome(target).paths).key_file.read_bytes()
    assert run("demo", "--no-tui", "--reset", "--home", str(target), "--count", "5").exit_code == 0
    assert Vault(DemoHome(target).paths).key_file.read_bytes() != first

    precious = tmp_path / "real"
    precious.mkdir()
    (precious / "outreach.db").write_text("real data", encoding="utf-8")
    for args in (("--reset",), ()):
        result = run("demo", "--no-tui", *args, "--home", str(precious))
        assert result.exit_code == 2
        assert "bukan folder demo" in result.output
    assert (precious / "outreach.db").read_text(encoding="utf-8") == "real data"
