"""The central API names storage failures truthfully: a busy database is 503 + Retry-After."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.datagen import write_csv
from outreach_tui.cli import main
from sync.server import create_app, open_central
from sync.server.errors import storage_problem
from tests.conftest import cli_setup
from tests.sync.conftest import (
    TEST_SETTINGS,
    StartServer,
    enrolled_record,
    record_item,
    running_server,
)


def test_a_database_held_by_another_writer_answers_503_with_retry_after(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Another process's write lock beyond the busy timeout is 503 storage_busy, never 500."""
    db_path = tmp_path / "central.db"
    storage = open_central(db_path, busy_timeout_ms=200)
    app = create_app(storage, settings=TEST_SETTINGS)
    record = enrolled_record(7)
    holder = sqlite3.connect(db_path, isolation_level=None)
    try:
        with running_server(app, storage, db_path) as server:
            token = server.add_device()
            holder.execute("BEGIN IMMEDIATE")
            with caplog.at_level(logging.WARNING, logger="sync.server"):
                busy = server.push(token, [record_item(record)], **{"Accept-Language": "en"})
            assert busy.status_code == 503
            assert int(busy.headers["Retry-After"]) >= 1
            assert busy.headers["content-type"].startswith("application/problem+json")
            body = busy.json()
            assert body["code"] == "storage_busy"
            assert "busy" in body["detail"]
            # Nothing of the submitted record in the body or the log.
            for value in (record["nik"], record["full_name"], record["phone"]):
                assert value not in busy.text
                assert value not in caplog.text
            assert "storage_busy" in caplog.text
            holder.execute("ROLLBACK")
            again = server.push(token, [record_item(record)])
            assert again.status_code == 200
            assert again.json()["results"][0]["status"] == "accepted"
    finally:
        holder.close()
        storage.close()


@pytest.mark.parametrize(
    ("errorcode", "status", "code"),
    [
        (sqlite3.SQLITE_BUSY, 503, "storage_busy"),
        (sqlite3.SQLITE_FULL, 507, "storage_full"),
        (sqlite3.SQLITE_READONLY, 503, "storage_read_only"),
        (sqlite3.SQLITE_CORRUPT, 500, "storage_damaged"),
        (sqlite3.SQLITE_IOERR_WRITE, 503, "storage_io_error"),
    ],
)
def test_each_storage_failure_has_its_own_status_by_sqlite_code(
    errorcode: int, status: int, code: str
) -> None:
    """Mapping goes by SQLite's result code (extended codes too), not by message text."""
    exc = sqlite3.OperationalError("text that says nothing useful")
    exc.sqlite_errorcode = errorcode  # type: ignore[attr-defined]
    assert storage_problem(exc) == (status, code)
    assert storage_problem(sqlite3.OperationalError("database is locked")) is None


def test_the_laptop_sync_retries_a_busy_central_and_converges(
    central_server_factory: StartServer,
    tmp_path: Path,
    isolated_home: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """`outreach sync` meets 503 while another writer holds the lock, retries, then all arrive."""
    db_path = tmp_path / "busy-central.db"
    storage = open_central(db_path, busy_timeout_ms=200)
    try:
        server = central_server_factory(storage=storage)
        cli_setup(server.url, server.add_device())
        people = tmp_path / "people.csv"
        write_csv(people, 30, seed=5)
        assert CliRunner().invoke(main, ["import", str(people)]).exit_code == 0
        holder = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")
        release = threading.Timer(1.5, holder.execute, args=("ROLLBACK",))
        release.start()
        try:
            with caplog.at_level(logging.WARNING, logger="sync.server"):
                done = subprocess.run(
                    [sys.executable, "-m", "outreach_tui.cli", "sync"],
                    env=dict(os.environ),
                    capture_output=True,
                    text=True,
                    timeout=120,
                    check=False,
                )
        finally:
            release.join()
            holder.close()
        assert "storage_busy" in caplog.text  # the lock really was met
        assert done.returncode == 0, done.stderr
        check = sqlite3.connect(db_path)
        try:
            held = check.execute("SELECT count(*) FROM records").fetchone()[0]
        finally:
            check.close()
        assert held == 30
    finally:
        storage.close()
