"""Small secrets sealed with the data key (e.g. the slip signing private key), AES-256-GCM.

The data key is never used directly: HKDF-SHA256 derives a separate key for blobs, so the
key that opens SQLCipher pages and the key that seals blobs are never the same bytes.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_MAGIC = b"OB1"
_NONCE = 12


class BlobError(Exception):
    """The blob is not one of ours, was altered, or belongs to another key or purpose."""


def _blob_key(data_key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"outreach blob v1").derive(
        data_key
    )


def encrypt_blob(data_key: bytes, plaintext: bytes, *, purpose: bytes = b"") -> bytes:
    """Seal ``plaintext`` so only this laptop's data key opens it; ``purpose`` must match later."""
    nonce = os.urandom(_NONCE)
    return _MAGIC + nonce + AESGCM(_blob_key(data_key)).encrypt(nonce, plaintext, purpose)


def decrypt_blob(data_key: bytes, blob: bytes, *, purpose: bytes = b"") -> bytes:
    """Open a blob made by :func:`encrypt_blob`; BlobError when it does not verify."""
    if not blob.startswith(_MAGIC) or len(blob) < len(_MAGIC) + _NONCE + 16:
        raise BlobError("not an outreach blob")
    nonce = blob[len(_MAGIC) : len(_MAGIC) + _NONCE]
    try:
        return AESGCM(_blob_key(data_key)).decrypt(nonce, blob[len(_MAGIC) + _NONCE :], purpose)
    except InvalidTag:
        raise BlobError("the blob does not open with this key") from None
