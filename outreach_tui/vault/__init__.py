"""Encryption at rest: the data key, its passphrase wrap, store unlocking and small secrets.

Key hierarchy: passphrase -> Argon2id -> key-encryption key -> (AES-256-GCM) data key ->
SQLCipher store, and (through HKDF) secrets such as the slip signing key. See docs/security.md.
No Textual here: the TUI builds its unlock and idle-lock screens on :class:`Vault`.
"""

from __future__ import annotations

from .blob import BlobError, decrypt_blob, encrypt_blob
from .keyfile import DEFAULT_KDF, OWASP_MINIMUM, KdfParams
from .migrate import MigrationError, encrypt_plain_store, is_plain_sqlite
from .store import StoreMissing, check_store_present, open_unlocked_store
from .throttle import MAX_DELAY_SECONDS, delay_after
from .vault import (
    MIN_PASSPHRASE_LENGTH,
    PassphraseTooShort,
    Vault,
    VaultDamaged,
    VaultError,
    VaultExists,
    VaultMissing,
    WrongPassphrase,
    check_passphrase,
)

__all__ = [
    "DEFAULT_KDF",
    "MAX_DELAY_SECONDS",
    "MIN_PASSPHRASE_LENGTH",
    "OWASP_MINIMUM",
    "BlobError",
    "KdfParams",
    "MigrationError",
    "PassphraseTooShort",
    "StoreMissing",
    "Vault",
    "VaultDamaged",
    "VaultError",
    "VaultExists",
    "VaultMissing",
    "WrongPassphrase",
    "check_passphrase",
    "check_store_present",
    "decrypt_blob",
    "delay_after",
    "encrypt_blob",
    "encrypt_plain_store",
    "is_plain_sqlite",
    "open_unlocked_store",
]
