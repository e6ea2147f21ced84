"""A Store belongs to the thread that opened it; closing is explicit or by context manager."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from outreach_tui.store import Store, open_store

from .conftest import person


def _in_thread(fn: Callable[[], object]) -> BaseException | None:
    """Run fn in a fresh thread named worker-1; the exception it raised, if any."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            fn()
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=run, name="worker-1")
    thread.start()
    thread.join()
    return errors[0] if errors else None


def test_another_thread_gets_a_clear_error(store: Store) -> None:
    for call in (
        lambda: store.save_record(person(), actor="t"),
        lambda: store.search("siti"),
        lambda: store.list_records(),
        lambda: store.close(),
    ):
        error = _in_thread(call)
        assert isinstance(error, RuntimeError)
        assert "worker-1" in str(error) and "MainThread" in str(error)
    assert store.save_record(person(), actor="t").version == 1  # still fine in its own thread


def test_each_thread_opens_its_own_store(store_path: Path) -> None:
    with open_store(store_path) as main:
        main.save_record(person(full_name="Dari Utama"), actor="t")

        def worker() -> None:
            with open_store(store_path) as own:
                own.save_record(person(full_name="Dari Pekerja"), actor="t")

        assert _in_thread(worker) is None
        assert {r["full_name"] for r in main.list_records()} == {"Dari Utama", "Dari Pekerja"}


def test_a_closed_store_says_so(store_path: Path) -> None:
    with open_store(store_path) as store:
        pass
    with pytest.raises(RuntimeError, match="closed"):
        store.get_record("x")
    store.__exit__(None, None, None)  # closing twice is harmless
