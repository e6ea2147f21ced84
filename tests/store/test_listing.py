"""Lists for the virtual list, follow-ups and export: filters, orders, offset and keyset pages."""

from __future__ import annotations

from datetime import date

import pytest

from outreach_tui.store import Store

from .conftest import person


@pytest.fixture
def filled(store: Store) -> Store:
    """120 people over two areas and four statuses; many share a name (ties in name order)."""
    rows = []
    for i in range(120):
        status = ("prospect", "interested", "enrolled", "declined")[i % 4]
        rows.append(
            person(
                full_name=f"{('Ani', 'Budi', 'Citra')[i % 3]} {i % 7}",
                nik=None,
                consent=False,
                status=status,
                decline_reason="biaya" if status == "declined" else None,
                region_code="32.01.01.1001" if i < 60 else "32.01.02.2002",
                rw=f"{1 + i % 2:03d}",
                rt=f"{1 + i % 5:03d}",
                follow_up_on=f"2026-03-{1 + i % 28:02d}" if i % 2 == 0 else None,
            )
        )
    store.save_records(rows, actor="t")
    return store


def test_count_and_filters(filled: Store) -> None:
    assert filled.count_records() == 120
    assert filled.count_records(status="enrolled") == 30
    assert filled.count_records(region_code="32.01.02.2002") == 60
    assert filled.count_records(region_code="32.01.01.1001", rw="001", rt="001") == len(
        [i for i in range(60) if i % 2 == 0 and i % 5 == 0]
    )
    assert filled.count_records(sync_state="pending") == 120
    assert filled.count_records(sync_state="synced") == 0
    rows = filled.list_records(status="declined", region_code="32.01.01.1001")
    assert len(rows) == 15 and all(r["status"] == "declined" for r in rows)


def test_name_order_and_offset_pages(filled: Store) -> None:
    everyone = filled.list_records()
    keys = [(r["full_name"].lower(), r["id"]) for r in everyone]
    assert [k[0] for k in keys] == sorted(k[0] for k in keys)
    pages = [filled.list_records(offset=o, limit=50) for o in (0, 50, 100)]
    assert [len(p) for p in pages] == [50, 50, 20]
    assert [r["id"] for p in pages for r in p] == [r["id"] for r in everyone]


@pytest.mark.parametrize("order_by", ["name", "updated", "follow_up"])
def test_keyset_pages_cover_every_row_once(filled: Store, order_by: str) -> None:
    expected = [r["id"] for r in filled.list_records(order_by=order_by, status="prospect")]
    seen, key = [], None
    while True:
        page = filled.page_after(key, 7, order_by=order_by, status="prospect")  # type: ignore[arg-type]
        seen += [r["id"] for r in page.rows]
        if page.next_key is None:
            break
        key = page.next_key
    assert seen == expected and len(set(seen)) == len(seen)
    assert all("_rid" not in r and "name_key" not in r for r in page.rows)


def test_follow_up_list_and_due_filter(filled: Store) -> None:
    rows = filled.list_records(order_by="follow_up")
    assert len(rows) == 60  # only people with a follow-up date
    dates = [r["follow_up_on"] for r in rows]
    assert dates == sorted(dates)
    due = filled.list_records(follow_up_due=date(2026, 3, 5), order_by="follow_up")
    assert due and all(r["follow_up_on"] <= "2026-03-05" for r in due)
    assert filled.count_records(follow_up_due="2026-03-05") == len(due)


def test_updated_order_and_since(store: Store) -> None:
    first = store.save_record(person(full_name="Pertama"), actor="t")
    second = store.save_record(person(full_name="Kedua"), actor="t")
    store.save_record(person(id=first.id, full_name="Pertama", notes="diubah"), actor="t")
    ordered = [r["full_name"] for r in store.list_records(order_by="updated")]
    assert ordered == ["Pertama", "Kedua"]
    since = store.get_record(first.id)["updated_at"]  # type: ignore[index]
    assert [r["id"] for r in store.list_records(since=since)] == [first.id]
    assert second.id in {r["id"] for r in store.list_records(since="2000-01-01T00:00:00.000Z")}


def test_iter_records_streams_everything(filled: Store) -> None:
    streamed = filled.iter_records(status="interested")
    assert iter(streamed) is streamed  # a generator, not a list
    rows = list(streamed)
    assert len(rows) == 30 and all(r["status"] == "interested" for r in rows)
    assert len(list(filled.iter_records())) == 120


def test_unknown_order_is_a_clear_error(store: Store) -> None:
    with pytest.raises(ValueError, match="order_by"):
        store.list_records(order_by="age")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="key"):
        store.page_after(("only one part",), 10)
