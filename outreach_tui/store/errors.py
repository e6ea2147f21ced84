"""One classification of SQLite failures for the CLI and the TUI: say what really went wrong.

A full disk, a read-only folder, a damaged page and a wrong key all surface as the driver's
``DatabaseError``; the officer needs a different action for each. The kind is decided by
SQLite's result code (``sqlite_errorcode``), never by the message text.
"""

from __future__ import annotations

import errno
from typing import Literal

Kind = Literal["disk_full", "read_only", "damaged", "io_error", "busy", "wrong_key", "other"]

# Primary SQLite result codes (the low byte of an extended code).
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26

_BY_CODE: dict[int, Kind] = {
    SQLITE_BUSY: "busy",
    SQLITE_LOCKED: "busy",
    SQLITE_READONLY: "read_only",
    SQLITE_IOERR: "io_error",
    SQLITE_CORRUPT: "damaged",
    SQLITE_FULL: "disk_full",
    SQLITE_CANTOPEN: "io_error",
    SQLITE_NOTADB: "wrong_key",
}

_BY_ERRNO: dict[int, Kind] = {
    errno.ENOSPC: "disk_full",
    errno.EDQUOT: "disk_full",
    errno.EFBIG: "disk_full",
    errno.EROFS: "read_only",
    errno.EACCES: "read_only",
    errno.EPERM: "read_only",
    errno.EIO: "io_error",
}

# Kind -> (translation key, exit code). 5/6/7 stay the vault's, 11 "store missing" (files).
EXIT_DISK_FULL = 8
EXIT_READ_ONLY = 9
EXIT_DAMAGED = 10
EXIT_IO_ERROR = 12
EXIT_BUSY = 13
MESSAGES: dict[Kind, tuple[str, int]] = {
    "disk_full": ("store.disk_full", EXIT_DISK_FULL),
    "read_only": ("store.read_only", EXIT_READ_ONLY),
    "damaged": ("store.damaged", EXIT_DAMAGED),
    "io_error": ("store.io_error", EXIT_IO_ERROR),
    "busy": ("store.busy", EXIT_BUSY),
    "wrong_key": ("vault.key_mismatch", 7),
}


def sqlite_code(exc: BaseException) -> int | None:
    """The primary SQLite result code of ``exc`` (or of what caused it), if it has one."""
    seen: BaseException | None = exc
    while seen is not None:
        code = getattr(seen, "sqlite_errorcode", None)
        if isinstance(code, int):
            return code & 0xFF
        seen = seen.__cause__
    return None


def classify_sqlite_error(exc: BaseException) -> Kind:
    """What kind of storage failure ``exc`` is: the one mapping shared by the CLI and the TUI."""
    code = sqlite_code(exc)
    if code is not None:
        return _BY_CODE.get(code, "other")
    if isinstance(exc, OSError) and exc.errno is not None:
        return _BY_ERRNO.get(exc.errno, "other")
    return "other"
