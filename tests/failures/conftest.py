"""The sync suite's fixtures (the real central API on loopback) for these tests too."""

from tests.sync.conftest import central_db, central_server, central_server_factory

__all__ = ["central_db", "central_server", "central_server_factory"]
from tests.tui.conftest import anyio_backend, make_tui, ready_home

__all__ += ["anyio_backend", "make_tui", "ready_home"]
