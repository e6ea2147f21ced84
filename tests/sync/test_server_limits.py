"""`outreach server run` against slow and abusive clients: the real server process, raw sockets.

Timeouts are lowered through the serving environment variables (sync/server/serving.py); the
protocol guards, the header limits and the token gate are the real ones.
"""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from outreach_tui.cli import main

HEADER_TIMEOUT = 1.0
BODY_TIMEOUT = 1.0


@dataclass
class Served:
    """A running `outreach server run` process: its port and a valid device token."""

    port: int
    token: str
    process: subprocess.Popen[str]


def _start(tmp_path: Path, nofile: int | None = None) -> Iterator[Served]:
    db = tmp_path / "central.db"
    assert CliRunner().invoke(main, ["server", "migrate", "--db", str(db)]).exit_code == 0
    added = CliRunner().invoke(
        main,
        ["server", "add-device", "--db", str(db), "--officer-id", "p-1", "--branch", "KC-1",
         "--json"],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    token = json.loads(added.output)["token"]
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "OUTREACH_SERVER_HEADER_TIMEOUT": str(HEADER_TIMEOUT),
        "OUTREACH_SERVER_BODY_TIMEOUT": str(BODY_TIMEOUT),
    }

    def limit_files() -> None:
        if nofile is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "outreach_tui.cli", "server", "run", "--db", str(db), "--port", "0"],
        stdout=subprocess.PIPE, stderr=log, text=True, env=env, preexec_fn=limit_files,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        match = re.search(r"127\.0\.0\.1:(\d+)", first)
        assert match, first
        served = Served(int(match.group(1)), token, process)
        _wait_health(served.port)
        yield served
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # pragma: no cover - only when the test failed
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """The real server process with lowered timeouts."""
    yield from _start(tmp_path)


def _connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def _health(port: int) -> bytes:
    with _connect(port) as sock:
        sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        return _read_all(sock)


def _wait_health(port: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if _health(port).startswith(b"HTTP/1.1 200"):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("server did not answer")  # pragma: no cover


def _read_all(sock: socket.socket) -> bytes:
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return data
        if not chunk:
            return data
        data += chunk


def _closed_within(sock: socket.socket, seconds: float) -> tuple[bool, float, bytes]:
    began = time.monotonic()
    sock.settimeout(seconds)
    try:
        data = _read_all(sock)
    except TimeoutError:
        return False, time.monotonic() - began, b""
    return True, time.monotonic() - began, data


def test_slow_headers_are_closed_after_the_timeout(served: Served) -> None:
    """Headers trickling in a byte at a time are cut off at the header deadline."""
    with _connect(served.port) as sock:
        began = time.monotonic()
        sock.sendall(b"GET /v1/health HTTP/1.1\r\n")
        closed = False
        for _ in range(40):  # keep trickling well past the deadline, as slowloris does
            time.sleep(0.1)
            try:
                sock.sendall(b"X")
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
        if not closed:
            closed, _, _ = _closed_within(sock, 2)
        assert closed
        assert HEADER_TIMEOUT * 0.9 <= time.monotonic() - began < HEADER_TIMEOUT + 3.5


def test_short_body_is_closed(served: Served) -> None:
    """A body that stops half-way is cut off after the body idle timeout."""
    with _connect(served.port) as sock:
        sock.sendall(
            b"POST /v1/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Authorization: Bearer " + served.token.encode() + b"\r\n"
            b'Content-Length: 1000\r\n\r\n{"batch_id": '
        )
        closed, elapsed, data = _closed_within(sock, BODY_TIMEOUT + 5)
        assert closed and elapsed >= BODY_TIMEOUT * 0.9
        assert b"200 OK" not in data


def test_too_many_or_too_large_headers_are_refused(served: Served) -> None:
    """5,000 headers or 200 KB of header are refused and closed; 150 small headers get 431."""
    many = b"".join(b"X-H%d: v\r\n" % i for i in range(5000))
    big = b"X-Big: " + b"a" * 200_000 + b"\r\n"
    for extra in (many, big):
        with _connect(served.port) as sock:
            try:
                sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n" + extra + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                continue  # closed before we finished sending: refused
            closed, _, data = _closed_within(sock, 5)
            assert closed
            assert not data.startswith(b"HTTP/1.1 200")
            assert data == b"" or data.split(b" ")[1] in (b"400", b"431")
    few = b"".join(b"X-H%d: v\r\n" % i for i in range(150))
    with _connect(served.port) as sock:
        sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n" + few + b"\r\n")
        closed, _, data = _closed_within(sock, 5)
        assert data.startswith(b"HTTP/1.1 431"), data[:100]


def test_bad_token_gets_401_before_the_body_is_sent(served: Served) -> None:
    """A 4 MiB push with a bad token: the 401 arrives after the headers, no body byte sent."""
    with _connect(served.port) as sock:
        sock.sendall(
            b"POST /v1/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Authorization: Bearer not-a-real-token\r\n"
            b"Content-Length: 4194304\r\n\r\n"
        )
        sock.settimeout(BODY_TIMEOUT * 0.8)  # well before the body timeout would close it
        answer = sock.recv(65536)
        assert answer.startswith(b"HTTP/1.1 401"), answer[:200]
        assert b"token_unknown" in answer
    with _connect(served.port) as sock:  # no token at all: the same, before any body
        sock.sendall(b"POST /v1/push HTTP/1.1\r\nHost: x\r\nContent-Length: 4194304\r\n\r\n")
        sock.settimeout(BODY_TIMEOUT * 0.8)
        assert sock.recv(65536).startswith(b"HTTP/1.1 401")


def test_half_open_connections_do_not_starve_a_real_client(tmp_path: Path) -> None:
    """1,100 half-open connections to a server limited to 1,024 files: a real client is served."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 2400:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    started = _start(tmp_path, nofile=1024)
    served = next(started)
    sockets: list[socket.socket] = []
    try:
        for _ in range(1100):
            sock = socket.create_connection(("127.0.0.1", served.port), timeout=10)
            sock.sendall(b"GET /v1/health HTTP/1.1\r\n")  # headers never finished
            sockets.append(sock)
        began = time.monotonic()
        answer = _health(served.port)
        assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
        assert time.monotonic() - began < HEADER_TIMEOUT + 5
        assert served.process.poll() is None  # still running
    finally:
        for sock in sockets:
            sock.close()
        for _ in started:
            pass
