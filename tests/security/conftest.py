"""The real central API fixtures of tests/sync, so the stolen-laptop test can sync for real."""

from __future__ import annotations

from tests.sync.conftest import central_db, central_server, central_server_factory

__all__ = ["central_db", "central_server", "central_server_factory"]
