"""The consent proof travels with the record version to the central API and into its export."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from outreach_tui.cli import main
from outreach_tui.domain.consent import CONSENT_PROOF_FIELDS, CONSENT_TEXT_VERSION
from outreach_tui.store import open_store
from sync.outbox import OutboxItem
from sync.protocol import PushItem, content_hash
from sync.server.sqlite_schema import MIGRATIONS
from tests.conftest import cli_setup, unlocked_store
from tests.sync.conftest import CentralServer, enrolled_record, make_record, record_item, statuses


def _server_export(server: CentralServer, fmt: str = "json") -> str:
    args = ["server", "export", "--db", str(server.db_path), "--format", fmt]
    result = CliRunner().invoke(main, [*args, "--plain"] if fmt == "csv" else args)
    assert result.exit_code == 0, result.output
    return result.stdout


def _central(server: CentralServer) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in json.loads(_server_export(server))}


def _proof(row: dict[str, Any]) -> list[Any]:
    return [row[name] for name in CONSENT_PROOF_FIELDS]


def test_laptop_proof_reaches_the_central_copy_and_export(
    isolated_home: Path, central_server: CentralServer
) -> None:
    token = central_server.add_device("p1", "KC-BOGOR")
    assert cli_setup(central_server.url, token).exit_code == 0
    with unlocked_store(isolated_home) as store:
        with_consent = enrolled_record(1)
        with_consent.pop("id")
        without = make_record(2)
        without.pop("id")
        maybe = make_record(3, consent=True)  # a prospect who consents, then withdraws
        maybe.pop("id")
        yes = store.save_record(with_consent, actor="p1", officer_id="p1").id
        no = store.save_record(without, actor="p1", officer_id="p1").id
        later = store.save_record(maybe, actor="p1", officer_id="p1").id
        laptop = {rid: store.get_record(rid) for rid in (yes, no, later)}
    assert laptop[yes]["consent_by"] == "p1"
    assert laptop[yes]["consent_version"] == CONSENT_TEXT_VERSION

    synced = CliRunner().invoke(main, ["sync"])
    assert synced.exit_code == 0, synced.output

    central = _central(central_server)
    assert _proof(central[yes]) == _proof(laptop[yes])
    assert central[yes]["consent_at"]
    assert _proof(central[no]) == [None, None, None]
    assert _proof(central[later]) == _proof(laptop[later])
    state = central_server.storage.record(yes)
    assert state is not None and state.consent_by == "p1"
    table = list(csv.DictReader(io.StringIO(_server_export(central_server, "csv"))))
    by_id = {row["id"]: row for row in table}
    assert [by_id[yes][f] for f in CONSENT_PROOF_FIELDS] == _proof(laptop[yes])
    assert [by_id[no][f] for f in CONSENT_PROOF_FIELDS] == ["", "", ""]

    # Withdrawn on the laptop: the next version carries no proof, the central copy drops it.
    with unlocked_store(isolated_home) as store:
        current = store.get_record(later)
        store.save_record({**current, "consent": False}, actor="p1", officer_id="p1")
    again = CliRunner().invoke(main, ["sync"])
    assert again.exit_code == 0, again.output
    central = _central(central_server)
    assert _proof(central[later]) == [None, None, None] and central[later]["consent"] is False
    assert _proof(central[yes]) == _proof(laptop[yes])


def test_proof_is_outside_the_hashed_content(tmp_path: Path) -> None:
    with open_store(tmp_path / "laptop.db") as store:
        raw = enrolled_record(3)
        raw.pop("id")
        saved = store.save_record(raw, actor="p1", officer_id="p1")
        items, _ = store.outbox(0, 10)
        record = store.get_record(saved.id)
    (item,) = items
    assert item.consent == tuple(_proof(record))  # type: ignore[arg-type]
    wire = json.loads(item.wire_json())
    assert wire == item.wire()
    assert _proof(wire) == _proof(record)  # type: ignore[arg-type]
    assert not set(CONSENT_PROOF_FIELDS) & set(wire["data"])
    assert wire["content_hash"] == content_hash(wire["data"])
    PushItem.model_validate(wire)  # the wire model takes it
    # No proof: the item is exactly what older laptops sent.
    plain = OutboxItem.of(1, "record", "x", 1, None, {"a": 1}, consent=(None, None, None))
    assert plain.consent is None and set(json.loads(plain.wire_json())) == {
        "kind", "id", "version", "base_version", "content_hash", "data",
    }  # fmt: skip


def test_old_style_push_is_accepted_without_proof(central_server: CentralServer) -> None:
    token = central_server.add_device()
    data = enrolled_record(4)
    answer = central_server.push(token, [record_item(data)])
    assert statuses(answer) == ["accepted"]
    assert _proof(_central(central_server)[data["id"]]) == [None, None, None]


def test_direct_push_with_proof_and_a_replay(central_server: CentralServer) -> None:
    token = central_server.add_device()
    data = enrolled_record(5)
    proof = {"consent_at": "2026-11-01T02:03:04Z", "consent_by": "p7", "consent_version": "2026-11"}
    assert statuses(central_server.push(token, [{**record_item(data), **proof}])) == ["accepted"]
    assert _proof(_central(central_server)[data["id"]]) == list(proof.values())
    # The proof is not hashed: the same version again is a replay, whatever proof it carries.
    assert statuses(central_server.push(token, [record_item(data)])) == ["duplicate"]
    # A record without consent keeps no proof, even when one is sent.
    other = make_record(6)
    assert statuses(central_server.push(token, [{**record_item(other), **proof}])) == ["accepted"]
    assert _proof(_central(central_server)[other["id"]]) == [None, None, None]
    # Bounded like every wire field.
    too_long = {**record_item(make_record(7)), "consent_by": "x" * 65}
    assert central_server.push(token, [too_long]).status_code == 422


@pytest.mark.sqlite_only
def test_schema_migration_adds_the_columns(central_server: CentralServer) -> None:
    conn = central_server.storage._conn()  # type: ignore[attr-defined]
    columns = {row[1] for row in conn.execute("PRAGMA table_info(records)")}
    assert set(CONSENT_PROOF_FIELDS) <= columns
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
