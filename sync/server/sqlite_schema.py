"""The central SQLite schema as numbered migrations, applied on open (PRAGMA user_version)."""

from __future__ import annotations

import sqlite3

# Each entry moves the schema from version i to i + 1. Append only; never edit a shipped step.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE devices (
        device_id   TEXT PRIMARY KEY,
        officer_id  TEXT NOT NULL,
        branch      TEXT NOT NULL,
        token_hash  TEXT NOT NULL UNIQUE,  -- sha256 hex of the token; the token is never kept
        created_at  TEXT NOT NULL,
        revoked_at  TEXT
    );

    -- Every accepted record version, as sent (the history). The primary key is the
    -- idempotency key: a replay finds its row, another content for the same version conflicts.
    CREATE TABLE record_versions (
        record_id    TEXT NOT NULL,
        version      INTEGER NOT NULL,
        base_version INTEGER,
        content_hash TEXT NOT NULL,
        data         TEXT NOT NULL,
        branch       TEXT NOT NULL,
        officer_id   TEXT NOT NULL,
        device_id    TEXT NOT NULL,
        received_at  TEXT NOT NULL,
        PRIMARY KEY (record_id, version)
    );

    -- The current state per record: the latest accepted version, normalized, plus what only
    -- the central side decides (paid status, duplicate flag).
    CREATE TABLE records (
        record_id      TEXT PRIMARY KEY,
        branch         TEXT NOT NULL,
        officer_id     TEXT NOT NULL,
        version        INTEGER NOT NULL,
        content_hash   TEXT NOT NULL,
        record         TEXT NOT NULL,
        nik            TEXT,
        central_status TEXT,
        duplicate_of   TEXT,
        created_at     TEXT NOT NULL,
        updated_at     TEXT NOT NULL
    );
    -- One current (unflagged) record per NIK across all branches; the others are flagged.
    CREATE UNIQUE INDEX records_nik_unflagged ON records (nik)
        WHERE nik IS NOT NULL AND duplicate_of IS NULL;

    -- KPJ numbers: seq is the sequence the number is made from (kpj.make_kpj).
    CREATE TABLE kpj_numbers (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        record_id   TEXT NOT NULL UNIQUE,
        kpj_number  TEXT UNIQUE,
        assigned_at TEXT NOT NULL
    );

    CREATE TABLE visits (
        visit_id     TEXT PRIMARY KEY,
        record_id    TEXT,
        content_hash TEXT NOT NULL,
        data         TEXT NOT NULL,
        branch       TEXT NOT NULL,
        officer_id   TEXT NOT NULL,
        device_id    TEXT NOT NULL,
        received_at  TEXT NOT NULL
    );
    CREATE INDEX visits_record ON visits (record_id);

    -- What the branch's laptops pull: KPJ numbers, paid status, duplicate flags, deletions.
    CREATE TABLE server_changes (
        seq       INTEGER PRIMARY KEY AUTOINCREMENT,
        branch    TEXT NOT NULL,
        record_id TEXT NOT NULL,
        kind      TEXT NOT NULL
                  CHECK (kind IN ('kpj_number', 'status', 'duplicate_nik', 'forgotten')),
        fields    TEXT NOT NULL,
        at        TEXT NOT NULL
    );
    CREATE INDEX server_changes_branch ON server_changes (branch, seq);
    """,
)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema up to date inside one transaction; returns the schema version."""
    current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if current > len(MIGRATIONS):
        raise RuntimeError(
            f"the central database has schema version {current}, newer than this program "
            f"({len(MIGRATIONS)}): upgrade outreach"
        )
    if current == len(MIGRATIONS):
        return current
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Read again under the write lock: another process may have migrated meanwhile.
        current = int(conn.execute("PRAGMA user_version").fetchone()[0])
        for index in range(current, len(MIGRATIONS)):
            for statement in _statements(MIGRATIONS[index]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {index + 1}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(MIGRATIONS)


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (executescript would commit on its own)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not buffer.strip().startswith("--"):
        statements.append(buffer.strip())
    return [s for s in statements if s]
