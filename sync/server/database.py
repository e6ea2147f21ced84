"""Which central database a `--db` value names, and opening it: a file path is SQLite, a
`postgresql://` URL is PostgreSQL; anything else with a scheme is refused before anything is
created. Messages name the database by `describe`, which never shows a password.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sync.server.sqlite_checkpoint import BUSY_TIMEOUT_MS
from sync.server.sqlite_storage import CentralDbError, open_sqlite

POSTGRES_SCHEMES = ("postgresql", "postgres")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def scheme_of(db: str | Path) -> str | None:
    """The URL scheme of `db` (lower case), or None for a file path."""
    match = _SCHEME.match(str(db))
    return match.group(1).lower() if match else None


def is_postgres(db: str | Path) -> bool:
    """Whether `db` is a PostgreSQL URL."""
    return scheme_of(db) in POSTGRES_SCHEMES


def describe(db: str | Path) -> str:
    """`db` as messages show it: a path as given; a URL without its password."""
    text = str(db)
    if scheme_of(text) is None:
        return text
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://[^:/@]*):[^@/]*@", r"\1:***@", text)


def _pg_params(db: str) -> dict[str, Any]:
    """The connection parameters of a PostgreSQL URL; CentralDbError when it is malformed."""
    from psycopg import conninfo

    try:
        params = conninfo.conninfo_to_dict(db)
    except Exception:
        raise CentralDbError("server.db_url_invalid", db=describe(db)) from None
    if not params.get("dbname"):
        raise CentralDbError("server.db_url_no_name", db=describe(db))
    return params


def open_central(
    db: str | Path, *, create: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS, **pool: Any
) -> Any:
    """Open the central database `db` names, migrating its schema when `create` allows.

    SQLite (a path): see `sqlite_storage.open_sqlite`. PostgreSQL (a URL): the database must
    exist (PostgreSQL databases are made by their administrator); `create=True` applies the
    pending migrations, `create=False` refuses a database without the central schema.
    """
    scheme = scheme_of(db)
    if scheme is None:
        return open_sqlite(db, create=create, busy_timeout_ms=busy_timeout_ms)
    if scheme not in POSTGRES_SCHEMES:
        raise CentralDbError("server.db_scheme", db=describe(db), scheme=scheme)
    text = str(db)
    _pg_params(text)
    import psycopg

    from sync.server.pg_schema import SchemaTooNew, current_version
    from sync.server.pg_storage import PostgresCentralStorage

    try:
        with psycopg.connect(text, connect_timeout=10, autocommit=True) as conn:
            version = current_version(conn)
    except psycopg.OperationalError as exc:
        raise CentralDbError(
            "server.db_unreachable", db=describe(db), reason=_reason(exc)
        ) from None
    if version == 0 and not create:
        raise CentralDbError("server.db_not_central", path=describe(db))
    try:
        return PostgresCentralStorage(text, migrate_schema=create, **pool)
    except SchemaTooNew as exc:
        raise CentralDbError("server.db_too_new", db=describe(db), reason=str(exc)) from None
    except (psycopg.Error, ConnectionError) as exc:
        raise CentralDbError(
            "server.db_unreachable", db=describe(db), reason=_reason(exc)
        ) from None


def _reason(exc: BaseException) -> str:
    """A connection failure in a few words (`Connection refused`), without URL or password."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    text = lines[0].rsplit("failed: ", 1)[-1]
    for marker in ("FATAL:", "error:"):
        if marker in text:
            text = text.split(marker, 1)[1].strip()
    return re.sub(r"password=\S+", "password=***", text)[:200]
