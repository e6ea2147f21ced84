"""The slip signing key is sealed with the vault's data key; an old plaintext PEM is migrated."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from outreach_tui.cli import main
from outreach_tui.commands.common import make_context
from outreach_tui.config import Paths
from outreach_tui.slips import keys

from .conftest import RECORD_ID, SEED, person
from .test_commands import PAYLOAD

KEY = bytes(range(32, 64))


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _secret_forms(seed: bytes) -> list[bytes]:
    """What would give the private key away if found in a file."""
    key = Ed25519PrivateKey.from_private_bytes(seed)
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return [seed, seed.hex().encode(), der]


def _files_holding(home: Path, needles: list[bytes]) -> list[str]:
    found = []
    for path in home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path}: {n[:8]!r}" for n in needles if n in data]
            if b"PRIVATE KEY" in data:
                found.append(f"{path}: PEM")
    return found


def _legacy_pem(paths: Paths, seed: bytes) -> Path:
    pem = Ed25519PrivateKey.from_private_bytes(seed).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    paths.keys_dir.mkdir(parents=True, exist_ok=True)
    path = keys.legacy_private_key_path(paths)
    path.write_bytes(pem)
    return path


def test_the_private_file_is_sealed(paths: Paths) -> None:
    key = keys.ensure_device_key(paths, data_key=KEY, device_id="d")
    seed = key.private_key.private_bytes_raw()
    assert _files_holding(paths.keys_dir, _secret_forms(seed)) == []
    sealed = keys.private_key_path(paths).read_bytes()
    assert sealed.startswith(b"OB1") and len(sealed) == 3 + 12 + 32 + 16
    again = keys.load_device_key(paths, data_key=KEY)
    assert again is not None and again.key_id == key.key_id
    assert again.known_key().verify(again.sign(b"slip"), b"slip")


def test_another_data_key_does_not_open_it(paths: Paths) -> None:
    keys.ensure_device_key(paths, data_key=KEY, device_id="d")
    with pytest.raises(keys.KeyFileError) as raised:
        keys.load_private_key(paths, data_key=bytes(32))
    assert "data key" in raised.value.reason
    # The public half stays readable while the laptop is locked.
    assert keys.load_public_info(paths) is not None


def test_an_old_plaintext_key_is_sealed_and_erased_on_first_load(paths: Paths) -> None:
    legacy = _legacy_pem(paths, SEED)
    expected = Ed25519PrivateKey.from_private_bytes(SEED).public_key().public_bytes_raw()
    key = keys.ensure_device_key(paths, data_key=KEY, device_id="old-laptop")
    assert key.public_key == expected  # the same key: old slips still verify
    assert not legacy.exists()
    assert keys.private_key_path(paths).exists()
    assert _files_holding(paths.keys_dir, _secret_forms(SEED)) == []
    assert keys.load_device_key(paths, data_key=KEY) is not None


def test_a_migration_cut_short_after_sealing_is_finished(paths: Paths) -> None:
    keys.save_private_key(paths, Ed25519PrivateKey.from_private_bytes(SEED), data_key=KEY)
    legacy = _legacy_pem(paths, SEED)
    assert keys.load_device_key(paths, data_key=KEY) is not None
    assert not legacy.exists()


def test_a_damaged_old_key_is_reported(paths: Paths) -> None:
    paths.keys_dir.mkdir(parents=True, exist_ok=True)
    keys.legacy_private_key_path(paths).write_text("not a key")
    with pytest.raises(keys.KeyFileError):
        keys.load_device_key(paths, data_key=KEY)


def test_setup_and_a_slip_leave_no_readable_private_key(
    isolated_home: Path, store_records: Any
) -> None:
    setup = run("setup", "--officer-id", "P-1", "--officer-name", "Budi", "--branch", "KC-BDG")
    assert setup.exit_code == 0, setup.output
    store_records(person(today=dt.date.today()))
    made = run("slip", RECORD_ID, "--format", "escpos")
    assert made.exit_code == 0, made.output
    payload = PAYLOAD.search(made.stdout_bytes)
    assert payload is not None
    verified = run("slip-verify", payload.group().decode(), "--json")
    assert verified.exit_code == 0, verified.output
    assert json.loads(verified.stdout)["valid"] is True
    paths = make_context().paths
    key = keys.load_device_key(paths, data_key=make_context().data_key)
    assert key is not None
    assert _files_holding(isolated_home, _secret_forms(key.private_key.private_bytes_raw())) == []


def test_an_old_laptop_migrates_at_its_first_slip(
    isolated_home: Path, officer: Any, store_records: Any
) -> None:
    paths = make_context().paths
    store_records(person(today=dt.date.today()))
    legacy = _legacy_pem(paths, SEED)
    made = run("slip", RECORD_ID, "--format", "text")
    assert made.exit_code == 0, made.output
    assert not legacy.exists()
    assert _files_holding(isolated_home, _secret_forms(SEED)) == []
