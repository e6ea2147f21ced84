-- The branch console (sync/server/console): staff accounts, their sessions, setup codes for
-- new laptops, supervisors' decisions on the review queue; the audit log names the branch.
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
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    branch          TEXT NOT NULL,
    record_id       TEXT NOT NULL,
    version         INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('duplicate', 'issue')),
    decision        TEXT NOT NULL
                    CHECK (decision IN ('same_person', 'wrong_nik', 'flag_moves', 'has_issues')),
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
UPDATE records r SET
    status = d.data::jsonb ->> 'status',
    region_code = nullif(d.data::jsonb ->> 'region_code', ''),
    rw = nullif(d.data::jsonb ->> 'rw', ''),
    decline_reason = nullif(d.data::jsonb ->> 'decline_reason', '')
FROM (SELECT r2.rid, coalesce(r2.record, v.data) AS data FROM records r2
      LEFT JOIN record_versions v ON v.rid = r2.rid AND v.version = r2.version) AS d
WHERE d.rid = r.rid;
-- Covering indexes: each overview figure reads an index, never the records' JSON.
CREATE INDEX records_console_officer
    ON records (branch, officer_id, status, central_status, created_at);
CREATE INDEX records_console_place
    ON records (branch, region_code, rw, status, central_status);
CREATE INDEX records_console_day
    ON records (branch, created_at, status, central_status);
CREATE INDEX records_console_reason ON records (branch, status, decline_reason);
CREATE TABLE targets (
    branch     TEXT NOT NULL,
    officer_id TEXT NOT NULL,  -- '' for the branch as a whole
    month      TEXT NOT NULL,  -- YYYY-MM
    target     INTEGER NOT NULL CHECK (target >= 0),
    set_by     TEXT NOT NULL,
    set_at     TEXT NOT NULL,
    PRIMARY KEY (branch, officer_id, month)
);
-- A record sent back to its officer travels as a server change of kind 'review'.
ALTER TABLE server_changes DROP CONSTRAINT server_changes_kind_check;
ALTER TABLE server_changes ADD CONSTRAINT server_changes_kind_check
    CHECK (kind IN ('kpj_number', 'status', 'duplicate_nik', 'forgotten', 'review'));
-- What each push (and each pull that brought something) was answered: the console's
-- sync receipts.
CREATE TABLE sync_receipts (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    branch      TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    months      INTEGER NOT NULL CHECK (months >= 1),
    paid_through TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE INDEX payments_record ON payments (record_id, id);
CREATE INDEX records_arrears ON records (central_status, branch);
