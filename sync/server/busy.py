"""The storage's "busy, try again" signal, apart from any database driver."""

from __future__ import annotations


class StorageBusy(Exception):
    """The database is busy or briefly unreachable: answer 503 and let the client retry."""
