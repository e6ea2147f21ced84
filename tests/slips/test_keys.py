"""The device key (made once, sealed with the data key, 0600) and the keyring of public keys."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from outreach_tui.config import Paths
from outreach_tui.slips import keys
from outreach_tui.slips.keyring import KeyringError, add_known_key, keyring_path, load_keyring
from outreach_tui.slips.signing import KeyFormatError, encode_public_key, key_id_for

from .conftest import OFFICER

KEY = bytes(range(100, 132))  # a data key, as the vault would hand it out


@pytest.fixture
def data_key() -> bytes:
    """The laptop's unlocked data key."""
    return KEY


def _raw(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes_raw()


def test_the_device_key_is_made_once(paths: Paths, data_key: bytes) -> None:
    first = keys.ensure_device_key(paths, data_key=data_key, device_id="laptop-1")
    again = keys.ensure_device_key(paths, data_key=data_key, device_id="laptop-2")
    assert first.key_id == again.key_id and first.public_key == again.public_key
    assert again.device_id == "laptop-1"  # kept from creation
    private = keys.private_key_path(paths)
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert b"PRIVATE KEY" not in private.read_bytes()
    assert keys.load_device_key(paths, data_key=data_key) is not None


def test_key_id_is_the_first_eight_bytes_of_the_public_key_hash(
    paths: Paths, data_key: bytes
) -> None:
    key = keys.ensure_device_key(paths, data_key=data_key, device_id="d")
    assert key.key_id == hashlib.sha256(key.public_key).digest()[:8].hex()
    assert len(key.key_id) == 16
    assert base64.b64decode(key.public_key_b64()) == key.public_key
    assert key.public_info() == {
        "key_id": key.key_id,
        "public_key": key.public_key_b64(),
        "algorithm": "Ed25519",
    }
    exported = keys.export_public_key(key, OFFICER)
    assert exported == {
        "key_id": key.key_id,
        "officer_id": "P-0012345",
        "branch": "KC-BDG",
        "public_key": key.public_key_b64(),
    }


def test_signatures_verify_with_the_public_key(paths: Paths, data_key: bytes) -> None:
    key = keys.ensure_device_key(paths, data_key=data_key, device_id="d")
    signature = key.sign(b"hello")
    key.private_key.public_key().verify(signature, b"hello")
    assert key.known_key().verify(signature, b"hello")
    assert not key.known_key().verify(signature, b"hellO")


def test_private_key_is_read_and_written_by_one_function_pair(
    paths: Paths, data_key: bytes
) -> None:
    made = Ed25519PrivateKey.generate()
    keys.save_private_key(paths, made, data_key=data_key)
    assert _raw(keys.load_private_key(paths, data_key=data_key)) == _raw(made)
    with pytest.raises(FileExistsError):
        keys.save_private_key(paths, Ed25519PrivateKey.generate(), data_key=data_key)
    assert _raw(keys.load_private_key(paths, data_key=data_key)) == _raw(made)
    assert not [p for p in paths.keys_dir.iterdir() if p.name.endswith(".tmp")]


def test_public_file_is_rebuilt_when_missing(paths: Paths, data_key: bytes) -> None:
    key = keys.ensure_device_key(paths, data_key=data_key, device_id="d")
    keys.public_key_path(paths).unlink()
    again = keys.ensure_device_key(paths, data_key=data_key, device_id="d2")
    assert again.key_id == key.key_id
    assert json.loads(keys.public_key_path(paths).read_text())["key_id"] == key.key_id


def test_a_damaged_private_key_is_reported(paths: Paths, data_key: bytes) -> None:
    paths.keys_dir.mkdir(parents=True, exist_ok=True)
    keys.private_key_path(paths).write_text("not a key")
    with pytest.raises(keys.KeyFileError):
        keys.ensure_device_key(paths, data_key=data_key, device_id="d")


def test_no_key_no_device_key(paths: Paths, data_key: bytes) -> None:
    assert keys.load_device_key(paths, data_key=data_key) is None
    assert len(load_keyring(paths)) == 0


def test_keyring_holds_own_key_and_learned_keys(paths: Paths, data_key: bytes) -> None:
    own = keys.ensure_device_key(paths, data_key=data_key, device_id="d")
    other = _raw(Ed25519PrivateKey.generate())
    added = add_known_key(
        paths,
        {
            "key_id": key_id_for(other),
            "public_key": encode_public_key(other),
            "officer_id": "P-2",
            "branch": "KC-BDG",
        },
    )
    assert added.source == "central" and added.added_at
    ring = load_keyring(paths)
    assert set(ring) == {own.key_id, added.key_id}
    assert ring[own.key_id].source == "self"
    assert ring[added.key_id].officer_id == "P-2"
    assert stat.S_IMODE(os.stat(keyring_path(paths)).st_mode) == 0o600
    # The own key is never written into known_keys.json (always read fresh).
    stored = json.loads(keyring_path(paths).read_text())
    assert [k["key_id"] for k in stored["keys"]] == [added.key_id]


def test_keyring_refuses_a_key_whose_id_does_not_match(paths: Paths) -> None:
    first, second = (_raw(Ed25519PrivateKey.generate()) for _ in range(2))
    with pytest.raises(KeyFormatError):
        add_known_key(paths, {"key_id": key_id_for(first), "public_key": encode_public_key(second)})
    with pytest.raises(KeyFormatError):
        add_known_key(paths, {"public_key": "bm90IGEga2V5"})
    with pytest.raises(KeyFormatError):
        add_known_key(paths, {"public_key": "!!"})


def test_a_tampered_keyring_file_is_reported(paths: Paths) -> None:
    other = _raw(Ed25519PrivateKey.generate())
    add_known_key(paths, {"public_key": encode_public_key(other)})
    data = json.loads(keyring_path(paths).read_text())
    data["keys"][0]["key_id"] = "0" * 16
    keyring_path(paths).write_text(json.dumps(data))
    with pytest.raises(KeyringError):
        load_keyring(paths)
    keyring_path(paths).write_text("{broken")
    with pytest.raises(KeyringError):
        load_keyring(paths)
