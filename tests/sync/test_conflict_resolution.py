"""A conflict resolved on the laptop ("keep mine") against the real central API on loopback.

The server names its current version in a conflict answer only for a client that asks
(`CURRENT_VERSION_HEADER`, which `make_session` sends); `client(..., ask=False)` is an older
laptop that does not.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from outreach_tui.store import Store, open_store
from outreach_tui.store.conflicts import ConflictError
from sync.client import SyncClient, SyncConfig, make_session
from sync.protocol import CURRENT_VERSION_HEADER, ItemResult, PushItem
from sync.server import answers
from sync.server.answers import PushContext, wants_current_version
from sync.server.storage import Device
from tests.sync.conftest import CentralServer
from tests.sync.test_client import add_people, central_records, edit

__all__: list[str] = []


def client(store: Store, server: CentralServer, token: str, *, ask: bool = True) -> SyncClient:
    config = SyncConfig(server.url, token, retries=1, backoff=0.05, read_timeout=5.0)
    session = make_session(config)
    assert session.headers[CURRENT_VERSION_HEADER] == "1"
    if not ask:
        del session.headers[CURRENT_VERSION_HEADER]
    server.sessions.append(session)
    return SyncClient(store, config, session=session)


def two_laptops(tmp_path: Path, server: CentralServer, token: str) -> tuple[Store, Store, str]:
    """Laptop a synced one record; b is a copy of a (restored from a backup)."""
    a = open_store(tmp_path / "a.db")
    (record_id,) = add_people(a, 1)
    assert client(a, server, token).run().complete
    a.close()
    shutil.copy(tmp_path / "a.db", tmp_path / "b.db")
    return open_store(tmp_path / "a.db"), open_store(tmp_path / "b.db"), record_id


def stale_conflict(
    tmp_path: Path, server: CentralServer, *, ask: bool = True
) -> tuple[Store, Store, str]:
    """b's change is based on version 1 while the server holds a's version 2."""
    token = server.add_device()
    a, b, record_id = two_laptops(tmp_path, server, token)
    edit(a, record_id, notes="versi A")
    assert client(a, server, token).run().complete
    edit(b, record_id, notes="versi B")
    edit(b, record_id, notes="versi B, diperbaiki")  # b's version 3, based on 1
    summary = client(b, server, token, ask=ask).run()
    assert summary.conflicts == 1 and not summary.complete
    return a, b, record_id


def test_keep_mine_is_accepted_by_the_server(tmp_path: Path, central_server: CentralServer) -> None:
    a, b, record_id = stale_conflict(tmp_path, central_server)
    (aside,) = b.set_aside()
    assert aside["reasons"][0]["code"] == "version.stale_base"
    assert b.conflict_server_version(record_id) == 2

    version = b.resolve_conflict(record_id, actor="p1")

    assert version == 4  # after both the laptop's 3 and the server's 2
    record = b.get_record(record_id)
    assert record is not None and record["version"] == 4 and record["sync_state"] == "pending"
    assert record["notes"] == "versi B, diperbaiki"
    newest = b.record_versions(record_id)[-1]
    assert newest["version"] == 4 and newest["base_version"] == 2
    assert b.set_aside() == []
    summary = client(b, central_server, central_server.add_device()).run()
    assert summary.accepted == 1 and summary.conflicts == 0 and summary.complete
    assert summary.sent == 1  # the one resolved version, nothing twice
    central = central_records(central_server)[record_id]
    assert central["notes"] == "versi B, diperbaiki" and central["version"] == 4
    synced = b.get_record(record_id)
    assert synced is not None and synced["sync_state"] == "synced"
    assert b.conflict_server_version(record_id) is None
    assert b.verify_audit() is None
    a.close()
    b.close()


def test_resolution_is_audited_with_field_names_only(
    tmp_path: Path, central_server: CentralServer
) -> None:
    a, b, record_id = stale_conflict(tmp_path, central_server)
    b.resolve_conflict(record_id, actor="petugas-uji")
    rows = b._rows("SELECT * FROM audit WHERE action = 'resolve_conflict'")
    assert len(rows) == 1
    text = str(rows[0])
    assert record_id in text and "petugas-uji" in text and "versi B" not in text
    a.close()
    b.close()


def test_an_edit_after_resolving_goes_out_after_it(
    tmp_path: Path, central_server: CentralServer
) -> None:
    a, b, record_id = stale_conflict(tmp_path, central_server)
    b.resolve_conflict(record_id, actor="p1")
    edit(b, record_id, notes="versi B lagi")
    summary = client(b, central_server, central_server.add_device()).run()
    assert summary.accepted == 2 and summary.complete
    assert central_records(central_server)[record_id]["notes"] == "versi B lagi"
    a.close()
    b.close()


def test_only_a_conflict_can_be_resolved(tmp_path: Path, central_server: CentralServer) -> None:
    token = central_server.add_device()
    store = open_store(tmp_path / "laptop.db")
    (record_id,) = add_people(store, 1)
    with pytest.raises(ConflictError) as refused:
        store.resolve_conflict(record_id, actor="p1")
    assert refused.value.code == "conflict.not_in_conflict"
    assert client(store, central_server, token).run().complete
    with pytest.raises(ConflictError):
        store.resolve_conflict(record_id, actor="p1")
    with pytest.raises(ValueError):
        store.resolve_conflict(record_id, keep="theirs", actor="p1")  # type: ignore[arg-type]
    store.close()


def test_without_the_servers_version_nothing_is_written(
    tmp_path: Path, central_server: CentralServer
) -> None:
    """A laptop that did not ask for the server's version (older): the conflict stays."""
    a, b, record_id = stale_conflict(tmp_path, central_server, ask=False)
    with pytest.raises(ConflictError) as refused:
        b.resolve_conflict(record_id, actor="p1")
    assert refused.value.code == "conflict.server_version_unknown"
    record = b.get_record(record_id)
    assert record is not None and record["version"] == 3 and record["sync_state"] == "conflict"
    a.close()
    b.close()


def test_same_version_other_content_can_be_resolved(
    tmp_path: Path, central_server: CentralServer
) -> None:
    token = central_server.add_device()
    a, b, record_id = two_laptops(tmp_path, central_server, token)
    edit(a, record_id, notes="versi A")
    edit(b, record_id, notes="versi B")
    assert client(a, central_server, token).run().complete
    assert client(b, central_server, token).run().conflicts == 1
    assert b.resolve_conflict(record_id, actor="p1") == 3
    assert client(b, central_server, token).run().complete
    a.close()
    b.close()


# -- the answer: additive, only for a client that asks ---------------------------------------


def _ctx(current_version: bool) -> PushContext:
    device = Device("d1", "p1", "KC-BOGOR", "2026-11-23T00:00:00Z")
    return PushContext(device, dt.date(2026, 11, 23), "2026-11-23T00:00:00Z", "id", current_version)


def _stale(ctx: PushContext) -> dict[str, Any]:
    item = PushItem(
        kind="record", id="x", version=3, base_version=1, content_hash="0" * 64, data={}
    )
    problem = answers.Problem(
        "base_version", "version.stale_base", {"base_version": 1, "current_version": 2}
    )
    return answers._answer(item, "conflict", ctx, problem)


def test_the_field_is_sent_only_when_asked() -> None:
    assert "current_version" not in _stale(_ctx(False))  # an older client forbids unknown keys
    ItemResult.model_validate(_stale(_ctx(False)))
    asked = _stale(_ctx(True))
    assert asked["current_version"] == 2
    assert ItemResult.model_validate(asked).current_version == 2
    assert wants_current_version({CURRENT_VERSION_HEADER: "1"})
    assert not wants_current_version({})
