"""Shared fixtures: every test runs with its own OUTREACH_HOME and never sees the developer's.

Every test also gets OUTREACH_PASSPHRASE, as a script would: the first command that touches
data creates the data key with it (docs/security.md), so CLI tests work on an encrypted store.
Argon2id runs with a cheap cost in tests (the real cost is checked in tests/security).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from outreach_tui.vault import keyfile

TEST_PASSPHRASE = "uji-frasa-sandi-panjang"
TEST_KDF = keyfile.KdfParams(memory_kib=1024, time_cost=1, parallelism=1)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point OUTREACH_HOME at a fresh folder; English/Indonesian left at the default."""
    home = tmp_path / "outreach-home"
    monkeypatch.setenv("OUTREACH_HOME", str(home))
    monkeypatch.delenv("OUTREACH_LANG", raising=False)
    monkeypatch.setenv("OUTREACH_PASSPHRASE", TEST_PASSPHRASE)
    monkeypatch.delenv("OUTREACH_NEW_PASSPHRASE", raising=False)
    monkeypatch.setattr(keyfile, "DEFAULT_KDF", TEST_KDF)
    return home


def unlocked_store(home: Path) -> Any:
    """The CLI's own store in ``home``, opened with the test passphrase (as a command would)."""
    from outreach_tui.config import resolve_paths
    from outreach_tui.vault import Vault, open_unlocked_store

    paths = resolve_paths({"OUTREACH_HOME": str(home)})
    return open_unlocked_store(paths, Vault(paths).unlock(TEST_PASSPHRASE))


def cli_setup(server_url: str, token: str, officer: str = "p1", branch: str = "KC-BOGOR") -> Any:
    """Run `outreach setup` for an officer syncing to `server_url` (the first run of a laptop)."""
    from click.testing import CliRunner

    from outreach_tui.cli import main

    return CliRunner().invoke(
        main,
        ["setup", "--officer-id", officer, "--officer-name", "Dewi", "--branch", branch,
         "--server", server_url, "--token", token],
    )  # fmt: skip


@pytest.fixture(scope="session")
def pg_cluster() -> Any:
    """A throwaway PostgreSQL cluster for the whole run (tests/pg_cluster.py).

    Under CI (CI set) a cluster that cannot start fails the tests: .ci/run installs
    PostgreSQL. A developer without PostgreSQL gets the PostgreSQL variants skipped, with the
    reason printed.
    """
    import os

    from tests.pg_cluster import PgCluster, PostgresUnavailable

    try:
        cluster = PgCluster()
    except PostgresUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is needed in CI: {exc}")
        pytest.skip(f"PostgreSQL not available here: {exc}")
    yield cluster
    cluster.stop()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked `sqlite_only` looks inside the SQLite file itself (PRAGMAs, WAL, file
    modes): its PostgreSQL variant is not collected (it is not skipped: it does not exist);
    likewise the SQLite variant of a `postgres_only` test."""
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("central_db") if callspec is not None else None
        other = {"postgres": "sqlite_only", "sqlite": "postgres_only"}.get(str(backend))
        (dropped if other and item.get_closest_marker(other) else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
