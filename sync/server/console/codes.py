"""Secrets of the console: staff passwords (argon2id), session tokens, one-time codes.

A one-time code (a laptop's setup code, a staff member's first sign-in) is eight characters
from an alphabet without look-alikes (no 0/O, 1/I/L), the last a check character, shown as
`ABCD-EFGH`: a mistyped code is told apart from an unknown one without asking the database.
Only the sha256 of a code or session token is stored.
"""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # 31 characters, none mistaken for another
CODE_BODY = 7
MIN_PASSWORD = 12
MAX_PASSWORD = 256

_hasher = PasswordHasher()  # argon2id with the library's current parameters


def _check_char(body: str) -> str:
    total = sum((i + 1) * ALPHABET.index(c) for i, c in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def new_code() -> str:
    """A fresh one-time code, formatted for reading out: `ABCD-EFGH`."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(CODE_BODY))
    code = body + _check_char(body)
    return f"{code[:4]}-{code[4:]}"


def normalize_code(text: str) -> str | None:
    """The code as stored (upper case, no dash or spaces), or None when it cannot be one:
    wrong length, a character outside the alphabet, or a failed check character."""
    cleaned = "".join(text.split()).replace("-", "").upper()
    if len(cleaned) != CODE_BODY + 1 or any(c not in ALPHABET for c in cleaned):
        return None
    if _check_char(cleaned[:-1]) != cleaned[-1]:
        return None
    return cleaned


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
