"""The central SQLite schema as numbered migrations, applied on open (PRAGMA user_version)."""

from __future__ import annotations

import sqlite3
from importlib import resources


def _shared(name: str) -> str:
    """A PostgreSQL migration whose DDL SQLite runs as written (no identity columns, no
    PostgreSQL-only types)."""
    return (resources.files("sync.server") / "migrations" / "postgres" / name).read_text("utf-8")


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
    # 2: integer record keys. Record ids are random UUIDs, so every index keyed by one takes
    # its inserts on random pages, and a batch of 1000 new records rewrote (and fsynced) most
    # of those pages at every commit. Now only `records.record_id` (and the NIK index) are
    # keyed by random values; versions and KPJ numbers hang off the record's `rid`, which
    # rises, so their inserts append.
    """
    CREATE TABLE records_v2 (
        rid            INTEGER PRIMARY KEY,  -- the record's number on this server
        record_id      TEXT NOT NULL UNIQUE,
        branch         TEXT NOT NULL,
        officer_id     TEXT NOT NULL,
        version        INTEGER NOT NULL,
        content_hash   TEXT NOT NULL,
        -- The normalized record; NULL when it is the current version's data as sent (plus the
        -- id), as it mostly is: a laptop sends records it normalized with the same rules.
        record         TEXT,
        nik            TEXT,
        central_status TEXT,
        duplicate_of   TEXT,
        created_at     TEXT NOT NULL,
        updated_at     TEXT NOT NULL
    );
    INSERT INTO records_v2 (record_id, branch, officer_id, version, content_hash, record, nik,
                            central_status, duplicate_of, created_at, updated_at)
        SELECT record_id, branch, officer_id, version, content_hash, record, nik,
               central_status, duplicate_of, created_at, updated_at
        FROM records ORDER BY created_at, rowid;

    -- The primary key is the idempotency key: a replay finds its row, another content for the
    -- same version conflicts. A version is only ever stored for a record that has its row.
    CREATE TABLE record_versions_v2 (
        rid          INTEGER NOT NULL REFERENCES records_v2 (rid),
        version      INTEGER NOT NULL,
        base_version INTEGER,
        content_hash TEXT NOT NULL,
        data         TEXT NOT NULL,
        branch       TEXT NOT NULL,
        officer_id   TEXT NOT NULL,
        device_id    TEXT NOT NULL,
        received_at  TEXT NOT NULL,
        PRIMARY KEY (rid, version)
    ) WITHOUT ROWID;
    INSERT INTO record_versions_v2 (rid, version, base_version, content_hash, data, branch,
                                    officer_id, device_id, received_at)
        SELECT r.rid, v.version, v.base_version, v.content_hash, v.data, v.branch,
               v.officer_id, v.device_id, v.received_at
        FROM record_versions v JOIN records_v2 r ON r.record_id = v.record_id
        ORDER BY r.rid, v.version;

    CREATE TABLE kpj_numbers_v2 (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        rid         INTEGER NOT NULL UNIQUE REFERENCES records_v2 (rid),
        kpj_number  TEXT NOT NULL UNIQUE,
        assigned_at TEXT NOT NULL
    );
    INSERT INTO kpj_numbers_v2 (seq, rid, kpj_number, assigned_at)
        SELECT k.seq, r.rid, k.kpj_number, k.assigned_at
        FROM kpj_numbers k JOIN records_v2 r ON r.record_id = k.record_id
        WHERE k.kpj_number IS NOT NULL ORDER BY k.seq;
    -- Numbers are never handed out twice: the sequence goes on where the old table stopped.
    DELETE FROM sqlite_sequence WHERE name = 'kpj_numbers_v2';
    INSERT INTO sqlite_sequence (name, seq)
        SELECT 'kpj_numbers_v2', max(seq) FROM (
            SELECT seq FROM sqlite_sequence WHERE name = 'kpj_numbers'
            UNION ALL SELECT seq FROM kpj_numbers_v2
            UNION ALL SELECT 0
        );

    DROP TABLE kpj_numbers;
    DROP TABLE record_versions;
    DROP TABLE records;
    ALTER TABLE records_v2 RENAME TO records;
    ALTER TABLE record_versions_v2 RENAME TO record_versions;
    ALTER TABLE kpj_numbers_v2 RENAME TO kpj_numbers;
    -- One current (unflagged) record per NIK across all branches; the others are flagged.
    CREATE UNIQUE INDEX records_nik_unflagged ON records (nik)
        WHERE nik IS NOT NULL AND duplicate_of IS NULL;
    """,
    # 3: slip signing keys of the devices (public halves only), for offline slip checks.
    """
    CREATE TABLE device_keys (
        key_id        TEXT PRIMARY KEY,
        device_id     TEXT NOT NULL REFERENCES devices (device_id),
        public_key    TEXT NOT NULL,
        registered_at TEXT NOT NULL
    );
    CREATE INDEX device_keys_device ON device_keys (device_id);
    """,
    # 4: the consent proof of a record's current version, as the laptop sent it next to the
    # version (who recorded consent, when, to which consent text); NULL when none came.
    """
    ALTER TABLE records ADD COLUMN consent_at TEXT;
    ALTER TABLE records ADD COLUMN consent_by TEXT;
    ALTER TABLE records ADD COLUMN consent_version TEXT;
    """,
    # 5: least privilege. A server change names the officer who owns its record, so a device
    # pulls only its own officer's changes; a device has one active slip key (a replaced one
    # keeps verifying slips issued before it was replaced); what the branch does by hand
    # (forget another officer's record) and key replacements are audited.
    """
    ALTER TABLE server_changes ADD COLUMN officer_id TEXT;
    UPDATE server_changes SET officer_id =
        (SELECT r.officer_id FROM records r WHERE r.record_id = server_changes.record_id);
    CREATE INDEX server_changes_officer ON server_changes (branch, officer_id, seq);
    ALTER TABLE device_keys ADD COLUMN replaced_at TEXT;
    CREATE TABLE central_audit (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        at        TEXT NOT NULL,
        actor     TEXT NOT NULL,  -- 'device:<id>' or 'staff:<name>'
        action    TEXT NOT NULL,  -- forget, key_registered, key_replaced
        record_id TEXT,
        key_id    TEXT,
        reason    TEXT
    );
    """,
    # 6: the branch console (sync/server/console): staff accounts, their sessions, setup codes
    # for new laptops, supervisors' decisions on the review queue; the audit log names the
    # branch.
    """
    CREATE TABLE staff (
        username         TEXT PRIMARY KEY,
        branch           TEXT NOT NULL,
        role             TEXT NOT NULL CHECK (role IN ('supervisor', 'admin')),
        password_hash    TEXT,             -- argon2id; NULL until the person sets it with the code
        setup_code_hash  TEXT,             -- sha256 of the one-time first sign-in code
        setup_expires_at TEXT,
        failed_count     INTEGER NOT NULL DEFAULT 0,
        locked_until     TEXT,
        created_at       TEXT NOT NULL,
        disabled_at      TEXT
    );
    CREATE TABLE staff_sessions (
        token_hash TEXT PRIMARY KEY,  -- sha256 of the cookie's token
        username   TEXT NOT NULL REFERENCES staff (username),
        csrf       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_seen  TEXT NOT NULL
    );
    CREATE TABLE setup_codes (
        code_hash  TEXT PRIMARY KEY,  -- sha256 of the normalized code
        branch     TEXT NOT NULL,
        officer_id TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at    TEXT,
        device_id  TEXT
    );
    CREATE INDEX setup_codes_branch ON setup_codes (branch, created_at);
    CREATE TABLE reviews (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        branch          TEXT NOT NULL,
        record_id       TEXT NOT NULL,
        version         INTEGER NOT NULL,
        kind            TEXT NOT NULL CHECK (kind IN ('duplicate', 'issue')),
        decision        TEXT NOT NULL
                        CHECK (decision IN
                               ('same_person', 'wrong_nik', 'flag_moves', 'has_issues')),
        other_record_id TEXT,
        comment         TEXT NOT NULL DEFAULT '',
        decided_by      TEXT NOT NULL,
        decided_at      TEXT NOT NULL,
        UNIQUE (record_id, version, kind)
    );
    CREATE INDEX reviews_branch ON reviews (branch, decided_at);
    CREATE INDEX records_flagged ON records (branch, updated_at) WHERE duplicate_of IS NOT NULL;
    ALTER TABLE central_audit ADD COLUMN branch TEXT;
    ALTER TABLE central_audit ADD COLUMN detail TEXT;
    CREATE INDEX central_audit_branch ON central_audit (branch, id);
    -- What the overview counts by, in columns (central_sql.facts): no JSON read per request.
    ALTER TABLE records ADD COLUMN status TEXT;
    ALTER TABLE records ADD COLUMN region_code TEXT;
    ALTER TABLE records ADD COLUMN rw TEXT;
    ALTER TABLE records ADD COLUMN decline_reason TEXT;
    UPDATE records SET
        status = json_extract(d.data, '$.status'),
        region_code = nullif(json_extract(d.data, '$.region_code'), ''),
        rw = nullif(json_extract(d.data, '$.rw'), ''),
        decline_reason = nullif(json_extract(d.data, '$.decline_reason'), '')
    FROM (SELECT r.rid, coalesce(r.record, v.data) AS data FROM records r
          LEFT JOIN record_versions v ON v.rid = r.rid AND v.version = r.version) AS d
    WHERE d.rid = records.rid;
    -- Covering indexes: each overview figure reads an index, never the records' JSON.
    CREATE INDEX records_console_officer
        ON records (branch, officer_id, status, central_status, created_at);
    CREATE INDEX records_console_place
        ON records (branch, region_code, rw, status, central_status);
    CREATE INDEX records_console_day
        ON records (branch, created_at, status, central_status);
    CREATE INDEX records_console_reason ON records (branch, status, decline_reason);
    -- A record sent back to its officer travels as a server change of kind 'review'.
    CREATE TABLE server_changes_v2 (
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,
        branch     TEXT NOT NULL,
        record_id  TEXT NOT NULL,
        kind       TEXT NOT NULL CHECK (kind IN ('kpj_number', 'status', 'duplicate_nik',
                                              'forgotten', 'review')),
        fields     TEXT NOT NULL,
        at         TEXT NOT NULL,
        officer_id TEXT
    );
    INSERT INTO server_changes_v2 (seq, branch, record_id, kind, fields, at, officer_id)
        SELECT seq, branch, record_id, kind, fields, at, officer_id FROM server_changes
        ORDER BY seq;
    -- Laptops hold cursors: the sequence goes on where the old table stopped.
    DELETE FROM sqlite_sequence WHERE name = 'server_changes_v2';
    INSERT INTO sqlite_sequence (name, seq)
        SELECT 'server_changes_v2', max(seq) FROM (
            SELECT seq FROM sqlite_sequence WHERE name = 'server_changes'
            UNION ALL SELECT seq FROM server_changes_v2
            UNION ALL SELECT 0
        );
    DROP TABLE server_changes;
    ALTER TABLE server_changes_v2 RENAME TO server_changes;
    CREATE INDEX server_changes_branch ON server_changes (branch, seq);
    CREATE INDEX server_changes_officer ON server_changes (branch, officer_id, seq);
    -- What each push (and each pull that brought something) was answered: the console's
    -- sync receipts.
    CREATE TABLE sync_receipts (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        branch      TEXT NOT NULL,
        device_id   TEXT NOT NULL,
        officer_id  TEXT NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('push', 'pull')),
        batch_id    TEXT,
        at          TEXT NOT NULL,
        items       INTEGER NOT NULL,
        accepted    INTEGER NOT NULL DEFAULT 0,
        duplicate   INTEGER NOT NULL DEFAULT 0,
        conflict    INTEGER NOT NULL DEFAULT 0,
        rejected    INTEGER NOT NULL DEFAULT 0,
        flagged     INTEGER NOT NULL DEFAULT 0,
        app_version TEXT,
        answers     TEXT  -- JSON [[kind, id, version, status, flagged], ...]: ids, no personal data
    );
    CREATE INDEX sync_receipts_branch ON sync_receipts (branch, id);
    CREATE INDEX sync_receipts_device ON sync_receipts (device_id, id);
    -- Arrears (issue 14): the last month a participant's payments reach, and each payment.
    ALTER TABLE records ADD COLUMN paid_through TEXT;
    CREATE TABLE payments (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        branch      TEXT NOT NULL,
        record_id   TEXT NOT NULL,
        months      INTEGER NOT NULL CHECK (months >= 1),
        paid_through TEXT NOT NULL,
        recorded_by TEXT NOT NULL,
        at          TEXT NOT NULL
    );
    CREATE INDEX payments_record ON payments (record_id, id);
    CREATE INDEX records_arrears ON records (central_status, branch);
    CREATE TABLE targets (
        branch     TEXT NOT NULL,
        officer_id TEXT NOT NULL,  -- '' for the branch as a whole
        month      TEXT NOT NULL,  -- YYYY-MM
        target     INTEGER NOT NULL CHECK (target >= 0),
        set_by     TEXT NOT NULL,
        set_at     TEXT NOT NULL,
        PRIMARY KEY (branch, officer_id, month)
    );
    """,
    # Groups, members, events, attendance (issue 14): one DDL for both databases.
    _shared("0004_groups.sql"),
)


def migrate(conn: sqlite3.Connection, *, upto: int | None = None) -> int:
    """Bring the schema up to date inside one transaction; returns the schema version.

    `upto` stops at an older version (tests build old databases with it).
    """
    target = len(MIGRATIONS) if upto is None else upto
    current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if current > len(MIGRATIONS):
        raise RuntimeError(
            f"the central database has schema version {current}, newer than this program "
            f"({len(MIGRATIONS)}): upgrade outreach"
        )
    if current >= target:
        return current
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Read again under the write lock: another process may have migrated meanwhile.
        current = int(conn.execute("PRAGMA user_version").fetchone()[0])
        for index in range(current, target):
            for statement in _statements(MIGRATIONS[index]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {index + 1}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return max(current, target)


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
