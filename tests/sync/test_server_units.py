"""The central side's small parts on their own: KPJ numbers, bounded gunzip, rate limits, schema."""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.server import open_central
from sync.server.kpj import KPJ_LENGTH, MAX_SEQ, is_valid_kpj, make_kpj
from sync.server.middleware import _Refuse, gunzip_bounded
from sync.server.ratelimit import RateLimiter, retry_after_header
from sync.server.sqlite_schema import MIGRATIONS


@given(st.integers(min_value=1, max_value=MAX_SEQ))
def test_kpj_numbers_are_eleven_digits_with_a_check_digit(seq: int) -> None:
    number = make_kpj(seq)
    assert len(number) == KPJ_LENGTH and number.isdigit() and number[0] != "0"
    assert is_valid_kpj(number)
    # Any single mistyped digit is caught.
    for position in range(KPJ_LENGTH):
        wrong = str((int(number[position]) + 1) % 10)
        assert not is_valid_kpj(number[:position] + wrong + number[position + 1 :])


def test_kpj_numbers_differ_for_different_sequence_numbers() -> None:
    numbers = {make_kpj(seq) for seq in range(1, 20_001)}
    assert len(numbers) == 20_000
    with pytest.raises(ValueError):
        make_kpj(0)
    assert not is_valid_kpj("1234") and not is_valid_kpj("0" * 11)


def test_gunzip_bounded_stops_one_byte_past_the_limit() -> None:
    data = b"x" * 10_000
    assert gunzip_bounded(gzip.compress(data), 10_000) == data
    assert gunzip_bounded(gzip.compress(b"ab") + gzip.compress(b"cd"), 10) == b"abcd"
    with pytest.raises(_Refuse) as too_big:
        gunzip_bounded(gzip.compress(data), 9_999)
    assert too_big.value.status == 413
    for broken in (b"", b"garbage", gzip.compress(data)[:-6], gzip.compress(b"a") + b"junk"):
        with pytest.raises(_Refuse) as bad:
            gunzip_bounded(broken, 10_000)
        assert bad.value.status == 400, broken


def test_the_rate_limiter_refills_over_time() -> None:
    now = [0.0]
    limiter = RateLimiter(2.0, 2, clock=lambda: now[0])
    assert [limiter.acquire("a") for _ in range(2)] == [0.0, 0.0]
    wait = limiter.acquire("a")
    assert wait == pytest.approx(0.5) and retry_after_header(wait) == "1"
    assert limiter.acquire("b") == 0.0  # per device
    now[0] = 0.5
    assert limiter.acquire("a") == 0.0


def test_opening_twice_keeps_the_schema_and_sets_wal(tmp_path: Path) -> None:
    path = tmp_path / "central.db"
    open_central(path).close()
    storage = open_central(path)
    storage.close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        indexes = {row[1] for row in conn.execute("SELECT * FROM sqlite_master WHERE type='index'")}
        assert "records_nik_unflagged" in indexes
    finally:
        conn.close()


def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "central.db"
    open_central(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(RuntimeError, match="newer"):
        open_central(path)
