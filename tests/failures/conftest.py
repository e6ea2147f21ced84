"""The sync suite's fixtures (the real central API on loopback) for these tests too."""

from tests.sync.conftest import central_server, central_server_factory

__all__ = ["central_server", "central_server_factory"]
