"""The store's schema, as sqlite-utils migrations (applied in order, each in a transaction).

Schema (version 1)
------------------
``records``: the current state of each person, one row per record.
    ``rid INTEGER PRIMARY KEY`` is an internal rowid alias: it links ``records_fts`` rows and
    breaks ties in page order, and unlike an implicit rowid it survives ``VACUUM``.
    ``id TEXT NOT NULL UNIQUE`` is the record's identity (a UUID made on the laptop); every
    foreign key points at it and it is the only id the API exposes.
    ``version`` rises by one with every change, ``base_version`` names the version it
    replaced (NULL for the first). Then the record fields of DESIGN.md, with
    ``monthly_contribution``, ``kpj_number``, ``sync_state``, ``officer_id``, ``created_at`` and
    ``updated_at`` (UTC, ISO-8601, microseconds, ``Z``: fixed width, so text order is time
    order).
    Derived columns: ``name_key`` (the folded name: sort key and the FTS name text) and
    ``content_hash`` (of the current version, to detect identical saves cheaply).
    CHECKs guard the fixed vocabularies and the legal rule that an NIK is only stored with
    consent. Indexes: ``nik``, ``phone``, ``name_key``, ``(status, name_key)``,
    ``(region_code, rw, rt, name_key)``, ``(follow_up_on, name_key)`` (partial: dated
    rows only), ``(sync_state, updated_at)``, ``updated_at``; each ends with ``rid``
    implicitly, which keyset pages use to break ties.
``record_versions``: every version of every record, ``(record_id, version)`` primary key
    (WITHOUT ROWID: a record's versions sit together, and an import writes one B-tree, not
    two). ``data`` = canonical JSON of the content fields (sorted keys, no whitespace, UTF-8,
    fields without a value left out), ``hash`` = sha256(data), ``base_version``,
    ``created_at``, ``actor``, ``officer_id`` and ``sent_at`` (set by sync when it sends the
    version). A trigger forbids changing anything but ``sent_at``: a version is frozen.
``visits``: immutable contact events (a trigger forbids UPDATE); ``record_id`` may be NULL
    (a household met before any person was recorded).
``changes``: the change log sync reads; ``seq INTEGER PRIMARY KEY AUTOINCREMENT`` rises and is
    never reused. One row per record version or visit, written in the same transaction.
``audit``: append-only (triggers forbid UPDATE and DELETE) who/what/when, with changed field
    *names* only (no personal data), chained by ``hash = sha256(prev_hash + canonical entry)``.
``meta``: key/value text (sync checkpoints, device facts).
``records_fts``: a contentless FTS5 index (``contentless_delete=1``) of ``name_key`` whose
    rowid is ``records.rid``, with prefix indexes for 2-4 characters. The store's write
    path keeps it in step inside the same transaction with explicit statements (see
    ``fts.py``): FTS5 fed row by row from triggers made a 100k-row import three times slower.
    NIK and phone prefixes are searched on the ``records_nik`` / ``records_phone`` B-trees
    instead (a prefix is a key range there; see ``search.py``).
"""

from __future__ import annotations

import sqlcipher3
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("outreach.store")

# CHECKs are written as OR chains, not IN lists: SQLite rebuilds an IN list's ephemeral
# table for every row of an executemany(), which made a 100k-row import 0.5 s slower.
_V1 = """
CREATE TABLE records (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    version INTEGER NOT NULL CHECK (version >= 1),
    base_version INTEGER CHECK (base_version IS NULL OR base_version < version),
    full_name TEXT NOT NULL,
    nik TEXT,
    birth_date TEXT,
    sex TEXT CHECK (sex = 'M' OR sex = 'F'),
    phone TEXT,
    occupation TEXT,
    monthly_income INTEGER,
    programs TEXT,
    payment_period INTEGER,
    region_code TEXT,
    rw TEXT,
    rt TEXT,
    street TEXT,
    status TEXT NOT NULL CHECK (
        status = 'prospect' OR status = 'interested' OR status = 'enrolled'
        OR status = 'declined' OR status = 'active'
    ),
    decline_reason TEXT,
    follow_up_on TEXT,
    consent INTEGER NOT NULL DEFAULT 0 CHECK (consent = 0 OR consent = 1),
    notes TEXT,
    monthly_contribution INTEGER,
    kpj_number TEXT,
    sync_state TEXT NOT NULL DEFAULT 'pending' CHECK (
        sync_state = 'pending' OR sync_state = 'synced' OR sync_state = 'duplicate'
        OR sync_state = 'conflict' OR sync_state = 'rejected'
    ),
    officer_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    name_key TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    CHECK (nik IS NULL OR consent = 1)
) STRICT;
CREATE INDEX records_nik ON records (nik);
CREATE INDEX records_phone ON records (phone);
CREATE INDEX records_name ON records (name_key);
CREATE INDEX records_status_name ON records (status, name_key);
CREATE INDEX records_area_name ON records (region_code, rw, rt, name_key);
CREATE INDEX records_follow_up ON records (follow_up_on, name_key)
    WHERE follow_up_on IS NOT NULL;
CREATE INDEX records_sync_state ON records (sync_state, updated_at);
CREATE INDEX records_updated ON records (updated_at);

CREATE TABLE record_versions (
    record_id TEXT NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    base_version INTEGER,
    data TEXT NOT NULL,
    hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    officer_id TEXT,
    sent_at TEXT,
    PRIMARY KEY (record_id, version)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER record_versions_frozen
BEFORE UPDATE OF record_id, version, base_version, data, hash, created_at, actor, officer_id
ON record_versions
BEGIN
    SELECT RAISE(ABORT, 'record versions are frozen: only sent_at may be set');
END;

CREATE TABLE visits (
    id TEXT PRIMARY KEY NOT NULL,
    record_id TEXT REFERENCES records (id),
    at TEXT NOT NULL,
    region_code TEXT,
    rw TEXT,
    rt TEXT,
    outcome TEXT NOT NULL CHECK (
        outcome = 'met' OR outcome = 'not_home' OR outcome = 'moved' OR outcome = 'refused'
    ),
    note TEXT,
    officer_id TEXT,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX visits_record ON visits (record_id, at);
CREATE INDEX visits_at ON visits (at);
CREATE INDEX visits_area ON visits (region_code, rw, rt, at);
CREATE TRIGGER visits_immutable BEFORE UPDATE ON visits
BEGIN
    SELECT RAISE(ABORT, 'visits are immutable events');
END;

CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    entity TEXT NOT NULL CHECK (entity = 'record' OR entity = 'visit'),
    entity_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    at TEXT NOT NULL
) STRICT;
CREATE TRIGGER changes_immutable BEFORE UPDATE ON changes
BEGIN
    SELECT RAISE(ABORT, 'the change log is append-only');
END;

CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    version INTEGER,
    fields TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TABLE meta (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

CREATE VIRTUAL TABLE records_fts USING fts5 (
    name,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);
"""


@migrations()
def m001_initial_schema(db: Database) -> None:
    """Create the version-1 schema (see the module docstring)."""
    # One statement at a time: executescript() would COMMIT the migration's transaction.
    for statement in _split_statements(_V1):
        db.execute(statement)


_V2_SYNC = """
ALTER TABLE records ADD COLUMN duplicate_of TEXT;

CREATE TABLE sync_acks (
    entity TEXT NOT NULL CHECK (entity = 'record' OR entity = 'visit'),
    entity_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    sent_at TEXT NOT NULL,
    sent_base INTEGER,
    ack TEXT CHECK (ack IN ('accepted', 'duplicate', 'conflict', 'rejected')),
    ack_at TEXT,
    reasons TEXT,
    duplicate_of TEXT,
    PRIMARY KEY (entity, entity_id, version)
) STRICT, WITHOUT ROWID;

CREATE TABLE sync_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    sent INTEGER NOT NULL DEFAULT 0,
    accepted INTEGER NOT NULL DEFAULT 0,
    duplicates INTEGER NOT NULL DEFAULT 0,
    flagged INTEGER NOT NULL DEFAULT 0,
    conflicts INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    pulled INTEGER NOT NULL DEFAULT 0,
    errors TEXT NOT NULL DEFAULT '',
    remaining INTEGER NOT NULL DEFAULT 0,
    set_aside INTEGER NOT NULL DEFAULT 0
) STRICT;
"""


@migrations()
def m002_sync(db: Database) -> None:
    """Sync bookkeeping: answers per sent version or visit, duplicate flags, the journal."""
    for statement in _split_statements(_V2_SYNC):
        db.execute(statement)


def _split_statements(script: str) -> list[str]:
    """Split a script into complete statements (triggers contain semicolons of their own)."""
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlcipher3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        raise ValueError(f"incomplete SQL statement in schema: {current!r}")
    return statements


def apply(db: Database) -> None:
    """Bring the database to the newest schema; already-applied migrations are skipped."""
    migrations.apply(db)


_V4_PRIVACY = """
ALTER TABLE records ADD COLUMN consent_at TEXT;
ALTER TABLE records ADD COLUMN consent_by TEXT;
ALTER TABLE records ADD COLUMN consent_version TEXT;
ALTER TABLE records ADD COLUMN purged_at TEXT;

CREATE TABLE forget_requests (
    record_id TEXT PRIMARY KEY NOT NULL,
    requested_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    sent_at TEXT,
    result TEXT CHECK (
        result IS NULL OR result = 'forgotten' OR result = 'not_held' OR result = 'forbidden'
    )
) STRICT;
"""


@migrations()
def m004_privacy(db: Database) -> None:
    """Keep less (see ``retention.py``): consent proof, ``purged_at``, forget requests to send.

    ``records.consent_at`` / ``consent_by`` / ``consent_version``: who recorded the person's
    consent, when, and to which version of the consent text (set when consent becomes true).
    ``records.purged_at``: when the personal fields were removed (retention purge or a forget
    request); the row keeps status, area, KPJ number and dates for counts and reports.
    ``forget_requests``: a person's request to be forgotten, to tell the central API at the next
    sync (``sent_at``, ``result``). Frozen ``record_versions`` rows are never updated: a purge
    deletes the versions of the records it empties (their history is personal data too).
    """
    for statement in _split_statements(_V4_PRIVACY):
        db.execute(statement)


_V3_SYNC_SETTLE = """
CREATE TABLE sync_settle (
    n INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    sync_state TEXT NOT NULL,
    duplicate_of TEXT,
    kpj_number TEXT
) STRICT;
"""


@migrations()
def m003_sync_settle(db: Database) -> None:
    """A narrow queue of server answers waiting to be copied into ``records``.

    A push stores each batch's answers here (rows appended in order, a few pages per batch)
    and copies them into the wide ``records`` rows (``sync_state``, ``duplicate_of``,
    ``kpj_number``) in one statement at the end of the push: updating 1000 scattered
    ``records`` rows per batch rewrote thousands of pages per commit. See ``syncstate.py``.
    """
    for statement in _split_statements(_V3_SYNC_SETTLE):
        db.execute(statement)


@migrations()
def m005_phone_tail(db: Database) -> None:
    """The last four digits of the phone, indexed: what the record list shows unmasked, so an
    officer types them to find a person (`search("5432")`), one index lookup at any size."""
    db.execute("CREATE INDEX IF NOT EXISTS records_phone_tail ON records (substr(phone, -4))")


@migrations()
def m006_review_notes(db: Database) -> None:
    """``review_notes``: a record a supervisor of the branch console sent back (a wrong NIK, or
    "has issues"), with the comment, as the pull brought it. The record is set aside while its
    version is the one the note was written for; saving a corrected version clears it."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS review_notes ("
        "record_id TEXT PRIMARY KEY NOT NULL, version INTEGER NOT NULL, "
        "decision TEXT NOT NULL, comment TEXT NOT NULL, decided_by TEXT, decided_at TEXT"
        ") STRICT"
    )


_V7_GROUPS = """
CREATE TABLE groups (
    id TEXT PRIMARY KEY NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    region_code TEXT NOT NULL,
    rw TEXT,
    rt TEXT,
    contact_name TEXT,
    contact_phone TEXT,
    contact_role TEXT,
    declared_workers INTEGER CHECK (declared_workers IS NULL OR declared_workers >= 0),
    officer_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES groups (id),
    record_id TEXT NOT NULL REFERENCES records (id),
    added_at TEXT NOT NULL,
    PRIMARY KEY (group_id, record_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX group_members_record ON group_members (record_id);
CREATE TABLE events (
    id TEXT PRIMARY KEY NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    kind TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    held INTEGER NOT NULL CHECK (held IN (0, 1)),
    place TEXT NOT NULL,
    group_id TEXT REFERENCES groups (id),
    institution TEXT,
    follows_event_id TEXT REFERENCES events (id),
    officer_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX events_starts ON events (starts_at);
CREATE TABLE attendance (
    event_id TEXT NOT NULL REFERENCES events (id),
    record_id TEXT NOT NULL REFERENCES records (id),
    status_then TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (event_id, record_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX attendance_record ON attendance (record_id);
CREATE TRIGGER attendance_immutable BEFORE UPDATE ON attendance
BEGIN
    SELECT RAISE(ABORT, 'attendance is an immutable event');
END;
"""


@migrations()
def m007_groups_events(db: Database) -> None:
    """Groups (kelompok) with their members, socialisation events with their attendance
    (DOMAIN.md 'Groups and events'). A person attended an event once (immutable, with their
    status at that moment); a group's members and an event's details can change (versions).
    They stay on the laptop until the sync protocol carries them (issue 14)."""
    for statement in _split_statements(_V7_GROUPS):
        db.execute(statement)


@migrations()
def m008_arrears(db: Database) -> None:
    """``arrears``: what the central API said of a participant's payments (inactive after 3
    unpaid months, active again on payment), with the months unpaid and the last month paid."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS arrears ("
        "record_id TEXT PRIMARY KEY NOT NULL REFERENCES records (id), "
        "inactive INTEGER NOT NULL CHECK (inactive IN (0, 1)), months INTEGER, "
        "paid_through TEXT, at TEXT NOT NULL) STRICT"
    )


_V9_VISIT_OUTCOMES = """
CREATE TABLE visits_v9 (
    id TEXT PRIMARY KEY NOT NULL,
    record_id TEXT REFERENCES records (id),
    at TEXT NOT NULL,
    region_code TEXT,
    rw TEXT,
    rt TEXT,
    outcome TEXT NOT NULL CHECK (
        outcome = 'met' OR outcome = 'not_home' OR outcome = 'moved' OR outcome = 'refused'
        OR outcome = 'janji_bayar'
    ),
    note TEXT,
    officer_id TEXT,
    created_at TEXT NOT NULL
) STRICT;
INSERT INTO visits_v9 (id, record_id, at, region_code, rw, rt, outcome, note, officer_id,
                       created_at)
    SELECT id, record_id, at, region_code, rw, rt, outcome, note, officer_id, created_at
    FROM visits;
DROP TABLE visits;
ALTER TABLE visits_v9 RENAME TO visits;
CREATE INDEX visits_record ON visits (record_id, at);
CREATE INDEX visits_at ON visits (at);
CREATE INDEX visits_area ON visits (region_code, rw, rt, at);
CREATE TRIGGER visits_immutable BEFORE UPDATE ON visits
BEGIN
    SELECT RAISE(ABORT, 'visits are immutable events');
END;
"""


@migrations()
def m009_visit_promise(db: Database) -> None:
    """A visit outcome `janji_bayar` (a participant in arrears promised to pay; the promised
    day becomes the record's follow-up). SQLite cannot widen a CHECK: the table is rebuilt."""
    for statement in _split_statements(_V9_VISIT_OUTCOMES):
        db.execute(statement)


_V10_GROUP_OUTBOX = """
CREATE TABLE group_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    entity TEXT NOT NULL CHECK (
        entity = 'group' OR entity = 'membership' OR entity = 'event' OR entity = 'attendance'
    ),
    entity_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    first_id TEXT,
    record_id TEXT,
    at TEXT NOT NULL,
    ack TEXT CHECK (ack IS NULL OR ack IN ('accepted', 'duplicate', 'conflict', 'rejected')),
    ack_at TEXT,
    reasons TEXT
) STRICT;
CREATE INDEX group_outbox_waiting ON group_outbox (seq) WHERE ack IS NULL;
CREATE INDEX group_outbox_entity ON group_outbox (entity_id, seq);
"""


@migrations()
def m010_group_outbox(db: Database) -> None:
    """``group_outbox``: groups, memberships, events and attendance waiting for the central API
    (sent in their own phase of a sync, only to a server that takes them), each row answered
    in place. What the laptop holds already is queued, so it syncs with the next run."""
    from sync.outbox import pair_id

    for statement in _split_statements(_V10_GROUP_OUTBOX):
        db.execute(statement)
    insert = (
        "INSERT INTO group_outbox (entity, entity_id, version, first_id, record_id, at) "
        "VALUES (?, ?, ?, ?, ?, ?)"
    )
    conn = db.conn
    conn.executemany(insert, [
        ("group", gid, version, None, None, at)
        for gid, version, at in conn.execute("SELECT id, version, updated_at FROM groups "
                                             "ORDER BY created_at")
    ])  # fmt: skip
    conn.executemany(insert, [
        ("event", eid, version, None, None, at)
        for eid, version, at in conn.execute("SELECT id, version, updated_at FROM events "
                                             "ORDER BY created_at")
    ])  # fmt: skip
    for table, first in (("group_members", "group_id"), ("attendance", "event_id")):
        stamp = "added_at" if table == "group_members" else "at"
        entity = "membership" if table == "group_members" else "attendance"
        conn.executemany(insert, [
            (entity, pair_id(one, record), 1, one, record, at)
            for one, record, at in conn.execute(
                f"SELECT {first}, record_id, {stamp} FROM {table} ORDER BY {stamp}")
        ])  # fmt: skip


@migrations()
def m011_event_officers(db: Database) -> None:
    """``events.officers``: the officers present at an event, in words (issue 14)."""
    db.execute("ALTER TABLE events ADD COLUMN officers TEXT")
