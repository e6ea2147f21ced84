"""Ed25519 public keys as the slips see them: key ids, base64 text, and the keys a verifier knows.

A key id is the first 8 bytes of the sha256 of the raw 32-byte public key, in hex: short enough
to travel in every slip, long enough that two devices never share one by chance. The laptop and
the central API verify with the same `KnownKey`, so both ends apply one rule.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ALGORITHM = "Ed25519"
PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64
KEY_ID_BYTES = 8
MAX_OFFICER_ID = 64
MAX_BRANCH = 32
SOURCES = ("self", "central", "manual")


class KeyFormatError(ValueError):
    """A public key or key id that cannot be one; the message names the field and the rule."""


def key_id_for(public_key: bytes) -> str:
    """The key id of a raw public key: sha256, first 8 bytes, lower-case hex."""
    return hashlib.sha256(public_key).digest()[:KEY_ID_BYTES].hex()


def encode_public_key(public_key: bytes) -> str:
    """Standard base64 of a raw public key (what JSON files and the API carry)."""
    return base64.b64encode(public_key).decode("ascii")


def decode_public_key(text: str) -> bytes:
    """The raw 32 bytes of a base64 public key that is a valid Ed25519 point."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise KeyFormatError("public_key: not base64") from exc
    if len(raw) != PUBLIC_KEY_BYTES:
        raise KeyFormatError(f"public_key: {PUBLIC_KEY_BYTES} bytes expected, got {len(raw)}")
    try:
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise KeyFormatError("public_key: not an Ed25519 key") from exc
    return raw


@dataclass(frozen=True, slots=True)
class KnownKey:
    """A public key a verifier trusts, and whose it is (officer and branch when known)."""

    key_id: str
    public_key: str
    officer_id: str | None = None
    branch: str | None = None
    source: str = "central"
    revoked: bool = False
    added_at: str | None = None

    def verify(self, signature: bytes, message: bytes) -> bool:
        """Whether `signature` is this key's signature of `message`."""
        key = Ed25519PublicKey.from_public_bytes(decode_public_key(self.public_key))
        try:
            key.verify(signature, message)
        except InvalidSignature:
            return False
        return True

    def to_json(self) -> dict[str, Any]:
        """The key as stored in known_keys.json and printed by the commands."""
        return {
            "key_id": self.key_id,
            "public_key": self.public_key,
            "officer_id": self.officer_id,
            "branch": self.branch,
            "source": self.source,
            "revoked": self.revoked,
            "added_at": self.added_at,
        }


def _optional_text(info: Mapping[str, Any], name: str, limit: int) -> str | None:
    value = info.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise KeyFormatError(f"{name}: text of at most {limit} characters expected")
    return value.strip()


def known_key_from(info: Mapping[str, Any], *, source: str | None = None) -> KnownKey:
    """A KnownKey from JSON-like `info`, checked: the key id must match the public key."""
    text = info.get("public_key")
    if not isinstance(text, str):
        raise KeyFormatError("public_key: required (base64 text)")
    raw = decode_public_key(text)
    key_id = key_id_for(raw)
    given = info.get("key_id")
    if given is not None and (not isinstance(given, str) or given.strip().lower() != key_id):
        raise KeyFormatError("key_id: does not match the public key (sha256, first 8 bytes)")
    chosen = source if source is not None else info.get("source", "central")
    if chosen not in SOURCES:
        raise KeyFormatError(f"source: one of {', '.join(SOURCES)}")
    added = info.get("added_at")
    return KnownKey(
        key_id=key_id,
        public_key=encode_public_key(raw),
        officer_id=_optional_text(info, "officer_id", MAX_OFFICER_ID),
        branch=_optional_text(info, "branch", MAX_BRANCH),
        source=str(chosen),
        revoked=bool(info.get("revoked", False)),
        added_at=added if isinstance(added, str) else None,
    )
