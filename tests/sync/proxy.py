"""A small asyncio TCP proxy for sync tests: latency, resets after N bytes, and hangs.

It sits between the sync client and the real central API on loopback. Its behaviour can
be changed while it runs (`proxy.latency = 0.05`, `proxy.reset_after = 3000`,
`proxy.hang = True`), so one test can walk the client through a bad day in the field.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from dataclasses import dataclass


@dataclass
class Faults:
    """What the proxy does to each new connection."""

    latency: float = 0.0  # seconds added before each chunk forwarded, both ways
    reset_after: int | None = None  # reset the connection after this many response bytes
    reset_request_after: int | None = None  # reset after this many request bytes
    hang: bool = False  # accept, read, never answer
    budget: int | None = None  # how many connections get the faults (None: all)


class FaultyProxy:
    """Forwards 127.0.0.1:<port> to the upstream port, with faults; runs in its own thread."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.faults = Faults()
        self.connections = 0
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="faulty-proxy", daemon=True)
        self._server: asyncio.AbstractServer | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        """The URL the client should use instead of the server's."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultyProxy:
        """Start listening; returns self."""
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        """Close every connection and the listener."""

        async def shutdown() -> None:
            if self._server is not None:
                self._server.close()
            tasks = list(self._tasks)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    def _faults_for_new_connection(self) -> Faults:
        self.connections += 1
        faults = self.faults
        if faults.budget is not None:
            if faults.budget <= 0:
                return Faults(latency=faults.latency)
            faults.budget -= 1
        return Faults(faults.latency, faults.reset_after, faults.reset_request_after, faults.hang)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        faults = self._faults_for_new_connection()
        upstream: asyncio.StreamWriter | None = None
        try:
            if faults.hang:
                while await reader.read(65536):
                    pass
                await asyncio.sleep(3600)
                return
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
            upstream = up_writer
            await asyncio.gather(
                self._pipe(reader, up_writer, faults.latency, faults.reset_request_after, writer),
                self._pipe(up_reader, writer, faults.latency, faults.reset_after, writer),
            )
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self._tasks.discard(task)
            with contextlib.suppress(RuntimeError):
                writer.close()
                # Never leave the server a half-open connection: its shutdown would wait on it.
                if upstream is not None:
                    upstream.close()

    @staticmethod
    async def _pipe(
        source: asyncio.StreamReader,
        sink: asyncio.StreamWriter,
        latency: float,
        reset_after: int | None,
        client: asyncio.StreamWriter,
    ) -> None:
        sent = 0
        while data := await source.read(4096):
            if latency:
                await asyncio.sleep(latency)
            if reset_after is not None and sent + len(data) > reset_after:
                sink.write(data[: max(0, reset_after - sent)])
                # An abrupt reset (RST), as a dropped mobile link looks to the client.
                transport = client.transport
                sock = transport.get_extra_info("socket")
                if sock is not None:
                    import socket
                    import struct

                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                transport.abort()
                raise ConnectionResetError("proxy reset")
            sink.write(data)
            await sink.drain()
            sent += len(data)
        if sink.can_write_eof():
            sink.write_eof()
