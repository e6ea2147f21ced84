"""A throwaway PostgreSQL cluster for tests and benchmarks: initdb and pg_ctl in a temp folder.

PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` system user
(Debian's package makes it) and its folder is handed over to it; otherwise it runs as the
current user. It listens on 127.0.0.1 on a free port, trusts local connections (the folder is
private and the port is loopback-only), and is stopped and removed when closed.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

RUN_AS = "postgres"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries here, or the cluster did not start (the reason says)."""


def pg_bin() -> Path | None:
    """The folder of initdb/pg_ctl (Debian keeps them out of PATH), or None."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PgCluster:
    """A running cluster; `url(dbname)` connects to one of its databases."""

    def __init__(self, root: Path | None = None) -> None:
        binaries = pg_bin()
        if binaries is None:
            raise PostgresUnavailable(
                "PostgreSQL is not installed (Debian: apt-get install postgresql)"
            )
        self.bin = binaries
        self.root = Path(root or tempfile.mkdtemp(prefix="outreach-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.user = "outreach"
        self._as: list[str] = []
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam(RUN_AS)
            except KeyError:
                raise PostgresUnavailable(f"running as root needs the {RUN_AS!r} user") from None
            os.chown(self.root, account.pw_uid, account.pw_gid)
            self._as = ["runuser", "-u", RUN_AS, "--"]
        self._run("initdb", "-D", str(self.data), "-U", self.user, "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8", "-N")  # fmt: skip
        settings = (
            f"listen_addresses = '127.0.0.1'\nport = {self.port}\n"
            f"unix_socket_directories = '{self.root}'\nfsync = on\n"
            "max_connections = 300\nshared_buffers = 128MB\nlog_min_messages = warning\n"
        )
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(settings)
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"),
                  "-w", "-t", "60", "start")  # fmt: skip
        self._deadline_ready()

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run(
            [*self._as, str(self.bin / tool), *args], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise PostgresUnavailable(
                f"{tool} failed: {done.stderr.strip() or done.stdout.strip()}"
            )

    def _deadline_ready(self) -> None:
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(self.url("postgres"), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise PostgresUnavailable(
                        "the test cluster did not accept connections"
                    ) from None
                time.sleep(0.1)

    def url(self, dbname: str) -> str:
        """The URL of one database of this cluster (over TCP on loopback)."""
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{dbname}"

    def new_database(self, prefix: str = "central") -> str:
        """Create an empty database and return its URL."""
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        with contextlib.suppress(PostgresUnavailable):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
