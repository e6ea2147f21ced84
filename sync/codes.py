"""One-time codes read out and typed by people: a laptop's setup code, a staff member's first
sign-in code. Eight characters from an alphabet without look-alikes (no 0/O, 1/I/L), the last a
check character, shown as `ABCD-EFGH`: a mistyped code is told apart from an unknown one
without asking the server, on the laptop as on the server."""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # 31 characters, none mistaken for another
CODE_BODY = 7


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


def looks_like_code(text: str) -> bool:
    """Whether what was typed is shaped as a setup code (eight characters, a dash allowed),
    rather than a 43-character device token."""
    cleaned = "".join(text.split()).replace("-", "")
    return len(cleaned) == CODE_BODY + 1
