"""Encryption at rest: the cost of unlocking (Argon2id) and of SQLCipher, side by side.

Unlock budget: < 1 s (docs/security.md). The store budgets of DESIGN.md (save p99 < 10 ms,
search p95 < 20 ms, import 100k rows < 10 s) are measured on the encrypted store, next to
the same work on a plain store in the same run, so the ratio is what encryption costs.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from bench.bench_store import dataset, fresh
from bench.common import Report, median, ms, percentile, stopwatch, time_each, work_dir
from bench.datagen import generate
from outreach_tui.config import Paths
from outreach_tui.domain.record import validate_record
from outreach_tui.store import open_store
from outreach_tui.transfer.importer import import_csv
from outreach_tui.vault import DEFAULT_KDF, Vault

TODAY = date(2026, 11, 23)
PASSPHRASE = "bench-frasa-sandi-panjang"


def bench_unlock(report: Report, out: Path, repeat: int = 5) -> bytes:
    """Create the vault once, then time unlocks with the real Argon2id cost."""
    root = out / "security-home"
    paths = Paths(root / "data", root / "config", root / "keys", root / "logs")
    (paths.keys_dir / "datakey.json").unlink(missing_ok=True)
    vault = Vault(paths, kdf=DEFAULT_KDF)
    with stopwatch() as created:
        key = vault.create(PASSPHRASE)
    samples = time_each(lambda: vault.unlock(PASSPHRASE), repeat)
    worst = max(samples)
    report.add(
        "unlock (Argon2id + AES-GCM unwrap)",
        f"p50 {ms(median(samples))} / max {ms(worst)}",
        "< 1 s",
        worst < 1.0,
        f"m={DEFAULT_KDF.memory_kib // 1024} MiB t={DEFAULT_KDF.time_cost} "
        f"p={DEFAULT_KDF.parallelism}; create {ms(created[0])}",
    )
    return key


def _import(csv_path: Path, db_path: Path, key: bytes | None) -> float:
    store = open_store(fresh(db_path), key=key)
    with stopwatch() as took:
        result = import_csv(csv_path, store, today=TODAY, actor="bench", officer_id="bench")
    store.close()
    assert not result.rejected, result.rejected[:3]
    return took[0]


def _search(db_path: Path, key: bytes | None, repeat: int = 300) -> list[float]:
    store = open_store(db_path, key=key)
    rng = random.Random(3)
    sample = store.list_records(limit=5000, order_by="updated")
    names = [r["full_name"] for r in sample]
    niks = [r["nik"] for r in sample if r.get("nik")]
    makers = [
        lambda: rng.choice(names).split()[0][: rng.randint(2, 6)],
        lambda: rng.choice(niks)[: rng.randint(4, 12)],
    ]
    queries = iter([rng.choice(makers)() for _ in range(repeat)])
    samples = time_each(lambda: store.search(next(queries), limit=50), repeat)
    store.close()
    return samples


def _save(db_path: Path, key: bytes | None, repeat: int = 1000) -> list[float]:
    # 1000 saves, not 300: every ~64th save runs a WAL checkpoint (tens of ms, about twice
    # as long encrypted), and with 300 samples p99 is decided by three of those spikes.
    store = open_store(db_path, key=key)
    people = list(generate(repeat, seed=7, today=TODAY))
    for person in people:
        person.update(nik="", consent="false", status="prospect", decline_reason="")
    queue = iter(people)

    def save_one() -> None:
        result = validate_record(next(queue), today=TODAY)
        assert result.ok, result.errors
        store.save_record(result.record, actor="bench", officer_id="bench")

    samples = time_each(save_one, repeat)
    store.close()
    return samples


def run(report: Report, count: int) -> None:
    """Unlock time, then import, search and save on an encrypted and a plain store."""
    out = work_dir()
    key = bench_unlock(report, out)
    csv_path = dataset(count, out)
    plain_db, secret_db = out / "bench-plain.db", out / "bench-encrypted.db"
    # Encrypted first: any warm-up advantage goes to the plain run, so the ratio is not flattered.
    secret_import = _import(csv_path, secret_db, key)
    plain_import = _import(csv_path, plain_db, None)
    big = count >= 100_000
    report.add(
        f"import {count:,} CSV rows, encrypted store",
        f"{secret_import:.2f} s",
        "< 10 s" if big else "",
        secret_import < 10 if big else None,
        f"plain {plain_import:.2f} s; ratio {secret_import / plain_import:.2f}x",
    )
    plain_search, secret_search = _search(plain_db, None), _search(secret_db, key)
    p95 = percentile(secret_search, 95)
    report.add(
        "search top 50 (name/NIK prefix), encrypted",
        f"p50 {ms(median(secret_search))} / p95 {ms(p95)}",
        "p95 < 20 ms",
        p95 < 0.020,
        f"plain p50 {ms(median(plain_search))} / p95 {ms(percentile(plain_search, 95))}; "
        f"p95 ratio {p95 / percentile(plain_search, 95):.2f}x",
    )
    plain_save, secret_save = _save(plain_db, None), _save(secret_db, key)
    p99 = percentile(secret_save, 99)
    report.add(
        "save one record (validate + durable commit), encrypted",
        f"p50 {ms(median(secret_save))} / p99 {ms(p99)}",
        "p99 < 10 ms",
        p99 < 0.010,
        f"plain p50 {ms(median(plain_save))} / p99 {ms(percentile(plain_save, 99))}; "
        f"p99 ratio {p99 / percentile(plain_save, 99):.2f}x",
    )
