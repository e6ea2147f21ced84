"""Secrets of the console: staff passwords (argon2id), session tokens, one-time codes
(`sync.codes`). Only the sha256 of a code or session token is stored."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from sync.codes import new_code, normalize_code

__all__ = ["new_code", "normalize_code"]

MIN_PASSWORD = 12
MAX_PASSWORD = 256

_hasher = PasswordHasher()  # argon2id with the library's current parameters


def digest(secret: str) -> str:
    """What the database keeps of a code or a session token."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def new_token() -> str:
    """A session token or CSRF token (256 bits)."""
    return secrets.token_urlsafe(32)


def hash_password(password: str) -> str:
    """The argon2id hash of a password."""
    return _hasher.hash(password)


def password_ok(stored: str | None, password: str) -> bool:
    """Whether `password` matches the stored hash (False for none or a damaged one)."""
    if not stored or len(password) > MAX_PASSWORD:
        return False
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str, username: str) -> str | None:
    """The rule a new password breaks (a `console.password.*` key), or None."""
    if len(password) < MIN_PASSWORD:
        return "console.password.too_short"
    if len(password) > MAX_PASSWORD:
        return "console.password.too_long"
    if username and username.lower() in password.lower():
        return "console.password.has_username"
    return None
