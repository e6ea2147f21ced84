-- Groups, their members, socialisation events and their attendance (issue 14), as laptops push
-- them. A group or an event keeps its current version (the laptop that owns it writes every
-- version); a membership and an attendance are immutable, keyed by the laptop's item id
-- (`sync.protocol.pair_id` of the two ids), one per pair.
CREATE TABLE groups (
    group_id         TEXT PRIMARY KEY,
    branch           TEXT NOT NULL,
    officer_id       TEXT NOT NULL,
    device_id        TEXT NOT NULL,
    version          INTEGER NOT NULL,
    content_hash     TEXT NOT NULL,
    data             TEXT NOT NULL,  -- the checked group, canonical JSON
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    region_code      TEXT NOT NULL,
    declared_workers INTEGER,
    received_at      TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX groups_branch ON groups (branch, name);
CREATE TABLE group_members (
    item_id     TEXT PRIMARY KEY,
    group_id    TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    branch      TEXT NOT NULL,
    officer_id  TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (group_id, record_id)
);
CREATE INDEX group_members_branch ON group_members (branch, group_id);
CREATE TABLE events (
    event_id     TEXT PRIMARY KEY,
    branch       TEXT NOT NULL,
    officer_id   TEXT NOT NULL,
    device_id    TEXT NOT NULL,
    version      INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    data         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    starts_at    TEXT NOT NULL,
    held         INTEGER NOT NULL,
    place        TEXT NOT NULL,
    group_id     TEXT,
    institution  TEXT,
    received_at  TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX events_branch ON events (branch, starts_at);
CREATE TABLE attendance (
    item_id      TEXT PRIMARY KEY,
    event_id     TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    branch       TEXT NOT NULL,
    officer_id   TEXT NOT NULL,
    device_id    TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    status_then  TEXT NOT NULL,
    at           TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    UNIQUE (event_id, record_id)
);
CREATE INDEX attendance_branch ON attendance (branch, event_id);
