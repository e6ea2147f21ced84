"""How a push builds its batches and stores its answers: wire text, byte bound, the settle queue."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from outreach_tui.store import open_store
from sync.outbox import ENVELOPE_BYTES, Batch, OutboxItem
from sync.protocol import canonical_json, content_hash
from tests.sync.conftest import CentralServer
from tests.sync.test_client import add_people, client, edit

_values = st.one_of(st.none(), st.booleans(), st.integers(-(2**53), 2**53), st.text(max_size=20))


@given(st.dictionaries(st.text(max_size=12), _values, max_size=8))
def test_item_text_is_the_canonical_json_the_server_hashes(data: dict[str, Any]) -> None:
    item = OutboxItem.of(3, "record", 'id-\u00e9"x', 2, None, data)
    assert item.data_json is not None
    assert item.data_json.encode() == canonical_json(data)
    assert item.content_hash == content_hash(data)
    assert json.loads(item.wire_json()) == item.wire()
    presorted = OutboxItem.of(3, "record", "x", 2, None, dict(sorted(data.items())), presorted=True)
    assert presorted.data_json == item.data_json and presorted.content_hash == item.content_hash


def _item(seq: int, n: int, size: int = 100) -> OutboxItem:
    return OutboxItem.of(seq, "record", f"r{n}", 1, None, {"notes": "x" * size})


def test_pack_keeps_whole_positions_under_the_byte_bound() -> None:
    items = [_item(1, 0), _item(1, 1), _item(2, 2), _item(3, 3), _item(3, 4)]
    one = len(items[0].wire_json().encode()) + 1
    # Room for three items: the fourth (position 3) does not fit, so position 3 waits.
    batch = Batch.pack(items, 3, ENVELOPE_BYTES + 3 * one + 5, 1, 6)
    assert [i.id for i in batch.items] == ["r0", "r1", "r2"] and batch.upto == 2
    body = gzip.decompress(batch.payload)
    assert len(body) == batch.raw_bytes <= ENVELOPE_BYTES + 3 * one + 5
    assert [i["id"] for i in json.loads(body)["items"]] == ["r0", "r1", "r2"]
    # One position larger than the bound still goes, alone: a batch is never empty.
    alone = Batch.pack(items[:2], 1, ENVELOPE_BYTES + one, 1, 6)
    assert len(alone.items) == 2 and alone.upto == 1


def test_answers_reach_the_records_when_the_push_ends(
    tmp_path: Path, central_server: CentralServer
) -> None:
    token = central_server.add_device("p1", "KC-BOGOR")
    store = open_store(tmp_path / "laptop.db")
    add_people(store, 7)
    states: list[set[str]] = []
    sync = client(store, central_server.url, token, batch_size=3)
    real_apply = store.apply_push_results

    def apply_and_look(*args: Any, **kwargs: Any) -> None:
        real_apply(*args, **kwargs)
        states.append({r["sync_state"] for r in store.iter_records()})

    store.apply_push_results = apply_and_look  # type: ignore[method-assign]
    summary = sync.run()
    assert summary.complete and summary.batches == 3
    assert states[0] == {"pending"}  # queued, not yet copied into the wide rows
    assert {r["sync_state"] for r in store.iter_records()} == {"synced"}
    assert store.db.execute("SELECT count(*) FROM sync_settle").fetchone() == (0,)
    store.close()


def test_a_queued_answer_left_by_a_dead_run_never_overrides_a_newer_edit(
    tmp_path: Path, central_server: CentralServer
) -> None:
    token = central_server.add_device("p1", "KC-BOGOR")
    store = open_store(tmp_path / "laptop.db")
    ids = add_people(store, 4)
    sync = client(store, central_server.url, token, batch_size=2)
    store.settle_sync_states = lambda: 0  # type: ignore[method-assign]  # the run dies first
    sync.run()
    del store.settle_sync_states
    queued = store.db.execute("SELECT count(*) FROM sync_settle").fetchone()[0]
    assert queued == 4
    edit(store, ids[0], notes="after the crash")
    summary = client(store, central_server.url, token).run()
    assert summary.complete and summary.sent == 1
    assert {r["sync_state"] for r in store.iter_records()} == {"synced"}
    assert store.db.execute("SELECT count(*) FROM sync_settle").fetchone() == (0,)
    store.close()


def test_a_record_of_the_batch_in_flight_is_read_again_for_the_next(
    tmp_path: Path, central_server: CentralServer
) -> None:
    token = central_server.add_device("p1", "KC-BOGOR")
    store = open_store(tmp_path / "laptop.db")
    first, _ = add_people(store, 2)  # positions 1, 2
    edit(store, first, notes="edited")  # position 3: the same record again
    add_people(store, 1, start=5)  # position 4
    # Batch 1 sends the first record's newest version; batch 2 is read while batch 1 is in
    # flight. Read again after the answer, it has nothing left of that record to send.
    summary = client(store, central_server.url, token, batch_size=2).run()
    assert summary.complete and summary.batches == 2
    assert summary.sent == summary.accepted == 3 and summary.duplicates == 0
    assert {r["sync_state"] for r in store.iter_records()} == {"synced"}
    store.close()
