"""The central PostgreSQL schema as numbered SQL files, applied under an advisory lock.

`migrations/postgres/NNNN_name.sql` moves the schema from version NNNN-1 to NNNN; append only,
never edit a shipped file. `migrate` takes a transaction-scoped advisory lock first, so when
several workers start at once one applies the files and the others wait, then find nothing
left to do: every file is applied exactly once, recorded in `schema_migrations`.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

MIGRATION_LOCK = 0x6F75_7472  # "outr": the advisory lock key of schema changes


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: its number, name and SQL."""

    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The shipped migration files, in order (numbered 1, 2, ... without gaps)."""
    folder = resources.files("sync.server") / "migrations" / "postgres"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            found.append(Migration(int(number), rest.removesuffix(".sql"), entry.read_text()))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError("the PostgreSQL migration files are not numbered 1, 2, ... in order")
    return found


def current_version(conn: Any) -> int:
    """The schema version of the database `conn` is on (0: empty)."""
    row = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
    if not row[0]:
        return 0
    return int(
        conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]
    )


def pending(conn: Any) -> list[Migration]:
    """The migrations the database has not had yet (what `--dry-run` lists)."""
    version = current_version(conn)
    every = migrations()
    if version > len(every):
        raise SchemaTooNew(version, len(every))
    return every[version:]


class SchemaTooNew(RuntimeError):
    """The database was migrated by a newer program."""

    def __init__(self, found: int, known: int) -> None:
        super().__init__(
            f"the central database has schema version {found}, newer than this program "
            f"({known}): upgrade outreach"
        )


def migrate(conn: Any, *, upto: int | None = None, at: str = "") -> list[Migration]:
    """Apply the pending migrations (up to `upto`) in one transaction; returns those applied.

    `conn` is a psycopg connection in autocommit mode; the advisory lock is held until the
    transaction ends, so concurrent callers apply nothing twice.
    """
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        todo = pending(conn)
        if upto is not None:
            todo = [m for m in todo if m.version <= upto]
        for migration in todo:
            conn.execute(migration.sql)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (%s, %s, %s)",
                (migration.version, migration.name, at),
            )
    return todo
