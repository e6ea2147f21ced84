"""The Vault: key file format, passphrase rules, throttling, re-wrap, blobs."""

from __future__ import annotations

import base64
import json
import stat
from collections.abc import Callable

import pytest

from outreach_tui.config import resolve_paths
from outreach_tui.vault import (
    DEFAULT_KDF,
    OWASP_MINIMUM,
    BlobError,
    PassphraseTooShort,
    Vault,
    VaultDamaged,
    VaultExists,
    VaultMissing,
    WrongPassphrase,
    decrypt_blob,
    delay_after,
    encrypt_blob,
    keyfile,
)

PASS = "kata-sandi-yang-panjang"


class FakeTime:
    """A clock and a sleeper that only move numbers."""

    def __init__(self) -> None:
        self.now = 1_000_000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def vault(fake: FakeTime | None = None) -> Vault:
    fake = fake or FakeTime()
    return Vault(resolve_paths(), clock=fake.clock, sleeper=fake.sleep)


def test_create_then_unlock_gives_the_same_random_key() -> None:
    v = vault()
    assert not v.exists()
    key = v.create(PASS)
    assert len(key) == 32 and v.exists()
    assert v.unlock(PASS) == key
    assert vault().unlock(PASS) == key  # a second Vault object reads the same file
    with pytest.raises(VaultExists):
        v.create(PASS)


def test_two_creators_at_once_never_overwrite_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = vault(), vault()
    key = first.create(PASS)
    monkeypatch.setattr(second, "exists", lambda: False)  # it looked before the first wrote
    with pytest.raises(VaultExists):
        second.create(PASS)
    assert first.unlock(PASS) == key
    names = sorted(p.name for p in first.key_file.parent.iterdir())
    assert names == ["datakey.json", "unlock-failures.lock"]


def test_key_file_format_and_mode() -> None:
    v = vault()
    key = v.create(PASS)
    assert stat.S_IMODE(v.key_file.stat().st_mode) == 0o600
    content = json.loads(v.key_file.read_text())
    assert content["format"] == 1 and content["cipher"] == "aes-256-gcm"
    assert content["kdf"]["name"] == "argon2id"
    assert len(base64.b64decode(content["kdf"]["salt"])) == 16
    assert len(base64.b64decode(content["nonce"])) == 12
    assert key not in v.key_file.read_bytes() and key.hex().encode() not in v.key_file.read_bytes()
    assert PASS.encode() not in v.key_file.read_bytes()
    assert {"created", "updated", "wrapped_key"} <= set(content)


def test_real_cost_is_at_least_owasp(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyfile, "DEFAULT_KDF", DEFAULT_KDF)  # undo the cheap test cost
    assert DEFAULT_KDF.memory_kib >= max(OWASP_MINIMUM.memory_kib, 64 * 1024)
    assert DEFAULT_KDF.time_cost >= 3 and DEFAULT_KDF.parallelism == 1
    v = vault()
    v.create(PASS)
    kdf = json.loads(v.key_file.read_text())["kdf"]
    assert (kdf["memory_kib"], kdf["time_cost"], kdf["parallelism"]) == (65536, 3, 1)


def test_short_passphrases_are_refused() -> None:
    with pytest.raises(PassphraseTooShort):
        vault().create("123456789")
    vault().create("1234567890")


def test_unlock_without_a_key_file_says_so() -> None:
    with pytest.raises(VaultMissing):
        vault().unlock(PASS)


def test_delay_schedule() -> None:
    assert [delay_after(n) for n in range(1, 11)] == [0, 0, 0, 1, 2, 4, 8, 16, 30, 30]


def test_wrong_passphrases_wait_longer_and_success_resets() -> None:
    fake = FakeTime()
    v = vault(fake)
    key = v.create(PASS)
    delays = []
    for _ in range(6):
        with pytest.raises(WrongPassphrase) as caught:
            v.unlock("bukan-kata-sandinya")
        delays.append(caught.value.delay_seconds)
        assert PASS not in str(caught.value)
    assert delays == [0, 0, 0, 1, 2, 4]
    assert fake.slept == [1, 2]  # the 5th and 6th attempts waited for the earlier failures
    assert v.pending_delay() == 4
    # A fresh Vault object (a new process) keeps the count and the wait.
    again = vault(fake)
    assert again.unlock(PASS) == key
    assert fake.slept[-1] == 4
    assert again.failures.load().failures == 0 and again.pending_delay() == 0
    with pytest.raises(WrongPassphrase) as caught:
        again.unlock("bukan-kata-sandinya")
    assert caught.value.failures == 1 and caught.value.delay_seconds == 0


def test_a_clock_moved_backwards_never_waits_more_than_the_cap() -> None:
    fake = FakeTime()
    v = vault(fake)
    v.create(PASS)
    for _ in range(9):
        with pytest.raises(WrongPassphrase):
            v.unlock("bukan-kata-sandinya")
    fake.now -= 10_000
    assert v.pending_delay() == 30


def test_change_passphrase_rewraps_the_same_key() -> None:
    v = vault()
    key = v.create(PASS)
    created = json.loads(v.key_file.read_text())["created"]
    with pytest.raises(WrongPassphrase):
        v.change_passphrase("salah-sekali-ya", "frasa-sandi-baru-123")
    with pytest.raises(PassphraseTooShort):
        v.change_passphrase(PASS, "pendek")
    v.change_passphrase(PASS, "frasa-sandi-baru-123")
    with pytest.raises(WrongPassphrase):
        v.unlock(PASS)
    assert v.unlock("frasa-sandi-baru-123") == key
    assert json.loads(v.key_file.read_text())["created"] == created


def test_unicode_passphrases_are_normalised() -> None:
    v = vault()
    key = v.create("kata sandi caf\u00e9 123")
    assert v.unlock("kata sandi cafe\u0301 123") == key


@pytest.mark.parametrize(
    "damage",
    [
        lambda c: "not json",
        lambda c: json.dumps({**c, "format": 99}),
        lambda c: json.dumps({**c, "kdf": {**c["kdf"], "memory_kib": 10**9}}),
        lambda c: json.dumps({k: v for k, v in c.items() if k != "nonce"}),
    ],
)
def test_a_damaged_key_file_is_not_a_wrong_passphrase(damage: Callable[[dict], str]) -> None:
    v = vault()
    v.create(PASS)
    v.key_file.write_text(damage(json.loads(v.key_file.read_text())))
    with pytest.raises(VaultDamaged):
        v.unlock(PASS)
    assert v.failures.load().failures == 0


def test_blobs_open_only_with_the_same_key_and_purpose() -> None:
    key = bytes(range(32))
    sealed = encrypt_blob(key, b"private key bytes", purpose=b"slip-signing")
    assert b"private key bytes" not in sealed
    assert decrypt_blob(key, sealed, purpose=b"slip-signing") == b"private key bytes"
    assert encrypt_blob(key, b"x") != encrypt_blob(key, b"x")  # fresh nonce each time
    for bad_key, purpose, blob in [
        (bytes(32), b"slip-signing", sealed),
        (key, b"other", sealed),
        (key, b"slip-signing", sealed[:-1] + bytes([sealed[-1] ^ 1])),
        (key, b"slip-signing", b"junk"),
    ]:
        with pytest.raises(BlobError):
            decrypt_blob(bad_key, blob, purpose=purpose)
