"""`outreach server run` and `outreach server migrate`: serve the central API, shape its schema.

`run --workers N` serves from N processes sharing one listening socket (uvicorn's supervisor);
each worker opens the database itself (`sync.server.worker.app_from_env`) after the parent
has applied the migrations once. SQLite allows one writer process, so N > 1 needs PostgreSQL.
"""

from __future__ import annotations

import contextlib
import copy
import os
import socket
import sys
from pathlib import Path
from typing import Any

import click

from outreach_tui.commands.common import Context, fail, pass_context
from outreach_tui.commands.server import _DB_ENV, _DB_HELP, _central, _shown, server
from outreach_tui.domain.server_url import is_loopback_host

MAX_WORKERS = 64


def _log_config() -> dict[str, Any]:
    """uvicorn's logging plus the app logger, which logs counts and ids, never request bodies."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["sync.server"] = {
        "handlers": ["default"],
        "level": "INFO",
        "propagate": False,
    }
    return config


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket, bound before the URL is printed (port 0 picks a free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        fail("server.run.port_busy", code=2, host=host, port=port, reason=exc.strerror or exc)
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _tls_options(cert: Path | None, key: Path | None) -> dict[str, Any]:
    """uvicorn's TLS options, after checking that the pair loads (a clear stop otherwise)."""
    if cert is None and key is None:
        return {}
    if cert is None or key is None:
        fail("server.tls.pair", code=2)
    import ssl

    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(cert, key)
    except (OSError, ssl.SSLError) as exc:
        reason = getattr(exc, "strerror", None) or getattr(exc, "reason", None) or "invalid"
        fail("server.tls.bad", code=2, reason=reason)
    return {"ssl_certfile": str(cert), "ssl_keyfile": str(key)}


@server.command()
@click.option("--db", envvar=_DB_ENV, required=True, help=_DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
    help="Port to listen on (0: any free port, printed at start).",
)  # fmt: skip
@click.option(
    "--tls-cert",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Serve HTTPS with this certificate (PEM, the full chain); needs --tls-key.",
)
@click.option(
    "--tls-key",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The private key (PEM) of --tls-cert; keep it mode 0600.",
)
@click.option(
    "--workers", type=click.IntRange(1, MAX_WORKERS), default=1, show_default=True,
    help="Worker processes (PostgreSQL only for more than 1).",
)  # fmt: skip
@pass_context
def run(
    ctx: Context,
    db: str,
    host: str,
    port: int,
    tls_cert: Path | None,
    tls_key: Path | None,
    workers: int,
) -> None:
    """Serve the central API (push, pull, health, /openapi.json) until Ctrl+C.

    Laptops send nothing over plain HTTP beyond loopback: serve HTTPS with --tls-cert and
    --tls-key, or put a TLS proxy in front (docs/deploy.md).
    """
    import uvicorn

    from sync.server import ServerSettings, create_app, is_postgres
    from sync.server.arrears import Sweeper, sweep_interval
    from sync.server.serving import ServingLimits, server_config

    if workers > 1 and not is_postgres(db):
        fail("server.run.workers_sqlite", code=2, workers=workers)
    tls = _tls_options(tls_cert, tls_key)
    if not tls and not is_loopback_host(host):
        click.echo(ctx.t("server.tls.plain_warning", host=host), err=True)
    sock = _bind(host, port)
    bound_port = sock.getsockname()[1]
    shown_host = f"[{host}]" if ":" in host else host
    scheme = "https" if tls else "http"
    listening = ctx.t(
        "server.run.listening", url=f"{scheme}://{shown_host}:{bound_port}", path=_shown(db)
    )
    if workers > 1:
        _run_workers(db, workers, sock, tls, listening)
        return
    with _central(db, create=True) as storage:
        settings = ServerSettings()
        app = create_app(storage, settings=settings)
        config = server_config(
            app, log_config=_log_config(), limits=ServingLimits.from_env(), **tls
        )
        click.echo(listening)
        sys.stdout.flush()
        sweeper = Sweeper(storage, settings.today, sweep_interval()).start()
        # uvicorn stops gracefully on Ctrl+C, then re-raises the signal: that is our clean exit.
        try:
            with contextlib.suppress(KeyboardInterrupt):
                uvicorn.Server(config).run(sockets=[sock])
        finally:
            sweeper.stop()
    sock.close()
    click.echo(ctx.t("server.run.stopped"))


def _run_workers(
    db: str, workers: int, sock: socket.socket, tls: dict[str, Any], listening: str
) -> None:
    """Serve from `workers` processes: the schema is migrated here once, then each worker opens
    the database itself (`sync.server.worker`); a worker that dies is started again."""
    from uvicorn.supervisors import Multiprocess

    from sync.server.serving import ServingLimits, server_config
    from sync.server.worker import DB_ENV

    with _central(db, create=True):
        pass  # migrations applied once, under their advisory lock, before any worker starts
    os.environ[DB_ENV] = db
    config = server_config(
        "sync.server.worker:app_from_env",
        log_config=_log_config(),
        limits=ServingLimits.from_env(),
        factory=True,
        workers=workers,
        **tls,
    )
    click.echo(listening)
    sys.stdout.flush()
    with contextlib.suppress(KeyboardInterrupt):
        Multiprocess(config, sockets=[sock]).run()
    sock.close()


@server.command("migrate")
@click.option("--db", envvar=_DB_ENV, required=True, help=_DB_HELP)
@click.option(
    "--dry-run", is_flag=True, help="Only list the migrations that would be applied (PostgreSQL)."
)
@pass_context
def migrate(ctx: Context, db: str, dry_run: bool) -> None:
    """Create the central database, or bring its schema up to date (as `run` does at start)."""
    if dry_run:
        _dry_run(ctx, db)
        return
    with _central(db, create=True) as storage:
        version = storage.schema_version()
    click.echo(ctx.t("server.migrate.done", path=_shown(db), version=version))


def _dry_run(ctx: Context, db: str) -> None:
    """The pending migrations of a database, applied to nothing."""
    from sync.server import is_postgres

    if not is_postgres(db):
        fail("server.migrate.dry_run_sqlite", code=2)
    import psycopg

    from sync.server.pg_schema import current_version, pending

    try:
        with psycopg.connect(db, connect_timeout=10, autocommit=True) as conn:
            version, todo = current_version(conn), pending(conn)
    except psycopg.Error:
        fail("server.db_unreachable", code=2, db=_shown(db), reason="-")
    click.echo(ctx.t("server.migrate.pending", path=_shown(db), version=version, count=len(todo)))
    for migration in todo:
        click.echo(f"  {migration.version:04d} {migration.name}")
