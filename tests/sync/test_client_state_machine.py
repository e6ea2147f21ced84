"""A hypothesis state machine of edits, syncs, dropped requests, dropped answers and crashes.

Whatever the order, a final clean sync converges: the server holds every local record at
its newest version with the same content and every visit once, and nothing is lost.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, rule
from requests.adapters import HTTPAdapter

from outreach_tui.cli import main
from outreach_tui.domain.record import validate_record
from outreach_tui.store import Store, open_store
from sync.client import SyncClient, SyncConfig, SyncError, make_session
from sync.server import create_app, open_central
from tests.sync.conftest import TEST_SETTINGS, CentralServer, make_record, running_server

TODAY = date.today()


class FaultyAdapter(HTTPAdapter):
    """Drops the next request before it leaves, or its answer after the server applied it."""

    def __init__(self) -> None:
        super().__init__(max_retries=0)
        self.mode: str | None = None

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        mode, self.mode = self.mode, None
        if mode == "drop_request":
            raise requests.ConnectionError("dropped before sending")
        response = super().send(request, **kwargs)
        if mode == "drop_ack":
            response.close()
            raise requests.ConnectionError("answer lost")
        return response


class CrashBeforeAck(Exception):
    """The laptop died after sending, before it stored the answer."""


@pytest.fixture(scope="module")
def shared_server() -> Iterator[CentralServer]:
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "central.db"
        storage = open_central(db_path)
        app = create_app(storage, settings=TEST_SETTINGS)
        with running_server(app, storage, db_path) as server:
            yield server
        storage.close()


class SyncMachine(RuleBasedStateMachine):
    """One laptop against the shared central API."""

    server: CentralServer
    records = Bundle("records")

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp())
        self.store: Store = open_store(self.folder / "laptop.db")
        self.token = self.server.add_device(f"p-{uuid.uuid4().hex[:8]}", "KC-HYP")
        self.visits: set[str] = set()
        self.counter = 0

    def _client(self, adapter: HTTPAdapter | None = None) -> SyncClient:
        config = SyncConfig(self.server.url, self.token, batch_size=3, retries=0, read_timeout=5)
        session = make_session(config)
        if adapter is not None:
            session.mount("http://", adapter)
        return SyncClient(self.store, config, session=session)

    @initialize()
    def start(self) -> None:
        self.counter = 0

    @rule(target=records)
    def create(self) -> str:
        self.counter += 1
        raw = make_record(self.counter)
        raw.pop("id")
        result = validate_record(raw, today=TODAY)
        return self.store.save_record(result.record, actor="p").id

    @rule(record_id=records, note=st.text(alphabet="abcdefgh ", min_size=1, max_size=12))
    def edit(self, record_id: str, note: str) -> None:
        current = self.store.get_record(record_id)
        assert current is not None
        result = validate_record({**current, "notes": note}, today=TODAY, previous=current)
        assert result.ok, result.errors
        self.store.save_record(result.record, actor="p")

    @rule(record_id=records)
    def visit(self, record_id: str) -> None:
        self.visits.add(self.store.add_visit({"record_id": record_id, "outcome": "met"}, actor="p"))

    @rule()
    def sync(self) -> None:
        self._client().run()

    @rule(mode=st.sampled_from(["drop_request", "drop_ack"]))
    def sync_with_fault(self, mode: str) -> None:
        adapter = FaultyAdapter()
        adapter.mode = mode
        with contextlib.suppress(SyncError):
            self._client(adapter).run()

    @rule()
    def crash_after_send(self) -> None:
        original = self.store.apply_push_results

        def die(*_args: Any, **_kwargs: Any) -> None:
            raise CrashBeforeAck

        self.store.apply_push_results = die  # type: ignore[method-assign]
        try:
            self._client().run()
        except CrashBeforeAck:
            pass
        finally:
            self.store.apply_push_results = original  # type: ignore[method-assign]
        # The process is gone: reopen the file as the next start of the tool would.
        self.store.close()
        self.store = open_store(self.folder / "laptop.db")

    def teardown(self) -> None:
        try:
            summary = self._client().run()
            assert summary.complete, summary
            exported = CliRunner().invoke(
                main, ["server", "export", "--db", str(self.server.db_path), "--format", "json"]
            )
            central = {r["id"]: r for r in json.loads(exported.stdout)}
            for record in self.store.iter_records():
                assert record["sync_state"] == "synced"
                mine = central[record["id"]]
                assert mine["version"] == record["version"]
                assert mine["notes"] == record["notes"]
            assert {v["id"] for v in self.store.visits()} == self.visits
            with sqlite3.connect(self.server.db_path) as central_db:
                held = {row[0] for row in central_db.execute("SELECT visit_id FROM visits")}
            assert self.visits <= held
        finally:
            self.store.close()


def test_sync_state_machine(shared_server: CentralServer) -> None:
    SyncMachine.server = shared_server
    SyncMachine.TestCase.settings = settings(
        max_examples=12,
        stateful_step_count=14,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    SyncMachine.TestCase().runTest()
