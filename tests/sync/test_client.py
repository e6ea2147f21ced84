"""The laptop's sync against the real central API on loopback: round trips and bad networks."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from outreach_tui.cli import main
from outreach_tui.domain.record import validate_record
from outreach_tui.store import Store, open_store
from sync.client import SyncClient, SyncConfig, SyncError
from tests.conftest import cli_setup
from tests.sync.conftest import (
    CentralServer,
    enrolled_record,
    make_record,
    record_item,
    statuses,
)
from tests.sync.proxy import FaultyProxy

TODAY = date.today()


def save(store: Store, raw: dict[str, Any], previous: dict[str, Any] | None = None) -> str:
    result = validate_record(raw, today=TODAY, previous=previous)
    assert result.ok, result.errors
    return store.save_record(result.record, actor="p1", officer_id="p1").id


def add_people(store: Store, count: int, start: int = 0) -> list[str]:
    ids = []
    for n in range(start, start + count):
        raw = enrolled_record(n) if n % 2 else make_record(n)
        raw.pop("id")
        ids.append(save(store, raw))
    return ids


def edit(store: Store, record_id: str, **changes: Any) -> None:
    current = store.get_record(record_id)
    assert current is not None
    save(store, {**current, **changes}, previous=current)


def client(store: Store, url: str, token: str, **config: Any) -> SyncClient:
    settings = {"retries": 2, "backoff": 0.05, "backoff_max": 0.2, "read_timeout": 5.0}
    settings.update(config)
    return SyncClient(store, SyncConfig(url, token, **settings))


def central_records(server: CentralServer) -> dict[str, dict[str, Any]]:
    result = CliRunner().invoke(
        main, ["server", "export", "--db", str(server.db_path), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    return {r["id"]: r for r in json.loads(result.stdout)}


def test_round_trip_brings_kpj_numbers_and_active_back(
    tmp_path: Path, central_server: CentralServer
) -> None:
    token = central_server.add_device("p1", "KC-BOGOR")
    store = open_store(tmp_path / "laptop.db")
    ids = add_people(store, 6)
    store.add_visit({"record_id": ids[0], "outcome": "met", "rw": "001", "rt": "002"}, actor="p1")
    summary = client(store, central_server.url, token).run()
    assert summary.complete and summary.accepted == 7 and summary.remaining == 0
    central = central_records(central_server)
    assert set(central) == set(ids)
    for record_id in ids:
        local = store.get_record(record_id)
        assert local is not None and local["sync_state"] == "synced"
        if local["status"] == "enrolled":
            assert local["kpj_number"] and len(local["kpj_number"]) == 11
            assert local["kpj_number"] == central[record_id]["kpj_number"]
    enrolled = next(i for i in ids if central[i]["status"] == "enrolled")
    paid = CliRunner().invoke(
        main, ["server", "mark-paid", "--db", str(central_server.db_path), enrolled]
    )
    assert paid.exit_code == 0, paid.output
    again = client(store, central_server.url, token).run()
    assert again.sent == 0 and again.pulled >= 1
    assert store.get_record(enrolled)["status"] == "active"  # type: ignore[index]
    runs = store.sync_runs()
    assert len(runs) == 2 and runs[1]["accepted"] == 7 and runs[0]["ended_at"]


def test_lost_acknowledgment_resend_is_harmless(
    tmp_path: Path, central_server: CentralServer
) -> None:
    token = central_server.add_device()
    proxy = FaultyProxy(int(central_server.url.rsplit(":", 1)[1])).start()
    try:
        store = open_store(tmp_path / "laptop.db")
        ids = add_people(store, 10)
        # The server applies the batch; the answer is cut before the client reads it all.
        proxy.faults.reset_after = 200
        proxy.faults.budget = 1
        with pytest.raises(SyncError):
            client(store, proxy.url, token, retries=0).run()
        assert store.push_checkpoint() == 0  # nothing acknowledged, nothing lost
        assert len(central_records(central_server)) == 10  # but the server has it all
        edit(store, ids[0], notes="diubah setelah kiriman terputus")
        summary = client(store, proxy.url, token).run()
        assert summary.complete, summary
        assert summary.duplicates == 10 and summary.accepted == 1
        assert central_records(central_server)[ids[0]]["notes"] == "diubah setelah kiriman terputus"
    finally:
        proxy.stop()


@pytest.mark.parametrize(
    "faults",
    [
        {"latency": 0.02},
        {"reset_after": 300, "budget": 3},
        {"reset_request_after": 500, "budget": 3},
        {"hang": True, "budget": 2},
    ],
    ids=["latency", "reset-response", "reset-request", "hang"],
)
def test_sync_converges_through_a_bad_network(
    tmp_path: Path, central_server: CentralServer, faults: dict[str, Any]
) -> None:
    token = central_server.add_device()
    proxy = FaultyProxy(int(central_server.url.rsplit(":", 1)[1])).start()
    try:
        for name, value in faults.items():
            setattr(proxy.faults, name, value)
        store = open_store(tmp_path / "laptop.db")
        ids = add_people(store, 30)
        outcome = None
        for _ in range(6):
            try:
                outcome = client(store, proxy.url, token, batch_size=7, read_timeout=1.0).run()
            except SyncError:
                continue
            if outcome.complete:
                break
        assert outcome is not None and outcome.complete
        assert set(central_records(central_server)) == set(ids)
        assert {r["sync_state"] for r in store.list_records()} == {"synced"}
    finally:
        proxy.stop()


def test_same_nik_from_two_devices_is_flagged_not_merged(
    tmp_path: Path, central_server: CentralServer
) -> None:
    a = open_store(tmp_path / "a.db")
    b = open_store(tmp_path / "b.db")
    first = save(a, {k: v for k, v in enrolled_record(1).items() if k != "id"})
    second = save(
        b, {k: v for k, v in enrolled_record(1, full_name="Orang Lain").items() if k != "id"}
    )
    assert client(a, central_server.url, central_server.add_device("p1")).run().complete
    summary = client(b, central_server.url, central_server.add_device("p2")).run()
    assert summary.flagged == 1 and not summary.complete
    flagged = b.get_record(second)
    assert flagged is not None and flagged["sync_state"] == "duplicate"
    # p2 is told a colleague holds the NIK, never which record (least privilege).
    assert b.set_aside()[0]["duplicate_of"] == "held-by-colleague"
    central = central_records(central_server)
    assert {first, second} <= set(central)


def test_conflicting_version_is_set_aside_with_reason(
    tmp_path: Path, central_server: CentralServer
) -> None:
    token = central_server.add_device()
    a = open_store(tmp_path / "a.db")
    (record_id,) = add_people(a, 1)
    assert client(a, central_server.url, token).run().complete
    a.close()
    shutil.copy(tmp_path / "a.db", tmp_path / "restored.db")  # a laptop restored from a backup
    a, b = open_store(tmp_path / "a.db"), open_store(tmp_path / "restored.db")
    edit(a, record_id, notes="versi A")
    edit(b, record_id, notes="versi B")
    assert client(a, central_server.url, token).run().complete
    summary = client(b, central_server.url, token).run()
    assert summary.conflicts == 1 and not summary.complete
    (aside,) = b.set_aside()
    assert (
        aside["sync_state"] == "conflict"
        and aside["reasons"][0]["code"] == "version.content_differs"
    )


def test_rejected_item_never_blocks_the_rest(tmp_path: Path, central_server: CentralServer) -> None:
    token = central_server.add_device()
    store = open_store(tmp_path / "laptop.db")
    ids = add_people(store, 3)
    # A record id the centre already holds for another branch: refused for this device.
    foreign = enrolled_record(77)
    other = central_server.add_device("p9", "KC-LAIN")
    assert statuses(central_server.push(other, [record_item(dict(foreign))])) == ["accepted"]
    save(store, foreign)
    ids += add_people(store, 3, start=3)
    summary = client(store, central_server.url, token).run()
    assert summary.accepted == 6 and summary.rejected == 1 and not summary.complete
    (aside,) = summary.set_aside
    assert aside["id"] == foreign["id"] and aside["reasons"][0]["code"] == "branch.forbidden"
    assert store.get_record(foreign["id"])["sync_state"] == "rejected"  # type: ignore[index]
    assert set(ids) <= set(central_records(central_server))
    # Nothing is retried by itself: the next run sends nothing and still reports it.
    later = client(store, central_server.url, token).run()
    assert later.sent == 0 and later.set_aside_total == 1 and not later.complete


def test_revoked_token_keeps_the_outbox(
    tmp_path: Path, central_server: CentralServer, isolated_home: Path
) -> None:
    runner = CliRunner()
    added = runner.invoke(
        main,
        [
            "server",
            "add-device",
            "--db",
            str(central_server.db_path),
            "--officer-id",
            "p1",
            "--branch",
            "KC-BOGOR",
            "--json",
        ],
    )
    device = json.loads(added.stdout)
    cli_setup(central_server.url, device["token"])
    csv_file = tmp_path / "a.csv"
    csv_file.write_text("full_name,status\nAni,prospect\nBudi,prospect\n")
    assert runner.invoke(main, ["import", str(csv_file)]).exit_code == 0
    ok = runner.invoke(main, ["sync"])
    assert ok.exit_code == 0, ok.output
    assert runner.invoke(main, ["import", str(csv_file.with_name("b.csv"))]).exit_code == 2
    csv_file.with_name("b.csv").write_text("full_name,status\nCici,prospect\n")
    runner.invoke(main, ["import", str(csv_file.with_name("b.csv"))])
    revoke = runner.invoke(
        main,
        [
            "server",
            "revoke-device",
            "--db",
            str(central_server.db_path),
            "--device",
            device["device_id"],
        ],
    )
    assert revoke.exit_code == 0, revoke.output
    refused = runner.invoke(main, ["sync"])
    assert refused.exit_code == 4
    assert "dicabut" in refused.stderr and "1 perubahan" in refused.stderr
    exported = json.loads(runner.invoke(main, ["export", "--format", "json"]).stdout)
    assert {r["sync_state"] for r in exported} == {"synced", "pending"}


def test_unreachable_server_exits_3_and_keeps_everything(tmp_path: Path) -> None:
    runner = CliRunner()
    csv_file = tmp_path / "a.csv"
    csv_file.write_text("full_name\nAni\n")
    runner.invoke(main, ["import", str(csv_file)])
    result = runner.invoke(
        main, ["sync", "--server", "http://127.0.0.1:9", "--token", "t", "--retries", "0"]
    )
    assert result.exit_code == 3 and "tidak dapat dihubungi" in result.stderr
    assert "1 perubahan" in result.stderr


def test_sync_without_configuration_says_what_to_do() -> None:
    result = CliRunner().invoke(main, ["sync"])
    assert result.exit_code == 2 and "outreach setup" in result.stderr
