"""Fixtures for store tests: a real SQLite file in tmp_path, and a plausible person."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from outreach_tui.store import Store, open_store


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """Where the test's store lives (a folder that does not exist yet)."""
    return tmp_path / "data" / "store.db"


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    """An empty, migrated store, closed after the test."""
    with open_store(store_path) as opened:
        yield opened


def person(**fields: Any) -> dict[str, Any]:
    """A valid, normalized record dict; keyword arguments override its fields."""
    record: dict[str, Any] = {
        "full_name": "Siti Nurhaliza",
        "nik": "3201014501900001",
        "consent": True,
        "phone": "+6281234567890",
        "occupation": "pedagang_pasar",
        "monthly_income": 1_500_000,
        "programs": "JKK,JKM",
        "payment_period": 1,
        "region_code": "32.01.01.1001",
        "rw": "002",
        "rt": "003",
        "street": "Jl. Melati No. 4",
        "status": "interested",
        "follow_up_on": "2026-03-01",
    }
    record.update(fields)
    return record
