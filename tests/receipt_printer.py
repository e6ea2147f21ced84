"""A network ESC/POS receipt printer on loopback: it accepts one job and keeps its bytes."""

from __future__ import annotations

import socket
import threading


class ReceiptPrinter:
    """Listens on 127.0.0.1 (``port``); after ``close()``, ``received`` holds the job's bytes."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._server.getsockname()[1]
        self.received = bytearray()
        self._worker = threading.Thread(target=self._serve, daemon=True)
        self._worker.start()

    @property
    def address(self) -> str:
        """The printer address as officers type it."""
        return f"tcp://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        connection, _ = self._server.accept()
        with connection:
            while chunk := connection.recv(65536):
                self.received.extend(chunk)

    def close(self) -> None:
        """Wait for the job to end, then stop listening."""
        self._worker.join(10)
        self._server.close()
