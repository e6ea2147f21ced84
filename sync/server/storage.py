"""The central storage interface: what the API needs from a database, as `typing.Protocol`s.

The rules of the central side (validation, conflicts, NIK flags, KPJ numbers) live in `push.py`
and `central.py` and only call these methods, so a PostgreSQL backend implements the two
protocols below and nothing else. Guarantees an implementation must give:

- `write()` is one transaction that no other writer interleaves with in a way that changes what
  it read (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: SERIALIZABLE or row locks on the record).
- Uniqueness is enforced by the database, never by reading first: (record_id, version) of a
  record version, a record id, a visit id, a KPJ number, one KPJ per record, and one unflagged
  record per NIK. The `insert_*` methods answer False (or stop, for a batch) instead of raising
  when a key is already taken. A read before a write only picks the quicker path; the
  database's answer to the write decides.
- `server_changes` sequence numbers are visible to readers in rising order (a reader never sees
  seq N+1 before N), because pull cursors skip what lies behind them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from sync.protocol import ServerChange, ServerChangeKind


@dataclass(frozen=True, slots=True)
class Device:
    """A laptop allowed to sync: the officer and branch every request of its token is scoped to."""

    device_id: str
    officer_id: str
    branch: str
    created_at: str
    revoked_at: str | None = None

    @property
    def revoked(self) -> bool:
        """True once the branch has withdrawn this device's token."""
        return self.revoked_at is not None


@dataclass(frozen=True, slots=True)
class RecordState:
    """The server's current state of one record: its latest accepted version and central facts."""

    record_id: str
    branch: str
    officer_id: str
    version: int
    content_hash: str
    record: Mapping[str, Any]  # the normalized record of the latest accepted version
    central_status: str | None  # `active` once paid; overrides the officer's status
    duplicate_of: str | None  # the record holding this NIK when this one is flagged
    kpj_number: str | None
    updated_at: str
    # The consent proof sent next to the version (not hashed); None when none came.
    consent_at: str | None = None
    consent_by: str | None = None
    consent_version: str | None = None

    @property
    def status(self) -> str:
        """The status the central side holds true: `active` once paid, else the officer's."""
        return self.central_status or str(self.record.get("status") or "prospect")


@dataclass(frozen=True, slots=True)
class RecordHead:
    """What a batch needs to know of a stored record before it writes: no record content."""

    record_id: str
    branch: str
    version: int
    content_hash: str  # the hash of version `version`, the current one
    duplicate_of: str | None
    kpj_number: str | None


@dataclass(frozen=True, slots=True)
class StoredItem:
    """What identifies a stored record version or visit for replay and conflict checks."""

    id: str
    version: int
    content_hash: str
    branch: str


@dataclass(frozen=True, slots=True)
class NewVersion:
    """A record version as received, to be kept forever in the history."""

    record_id: str
    version: int
    base_version: int | None
    content_hash: str
    data_json: str  # the canonical JSON of `data` as sent: exactly what `content_hash` covers
    branch: str
    officer_id: str
    device_id: str
    received_at: str


@dataclass(frozen=True, slots=True)
class CurrentRecord:
    """The new current state of a record after an accepted version (central facts kept apart)."""

    record_id: str
    branch: str
    officer_id: str
    version: int
    content_hash: str
    record: Mapping[str, Any]
    nik: str | None
    updated_at: str
    # The consent proof sent next to the version (not hashed); None when none came.
    consent_at: str | None = None
    consent_by: str | None = None
    consent_version: str | None = None


@dataclass(frozen=True, slots=True)
class NewRecord:
    """A record the server does not hold yet: its first version as received, and its state.

    `record` is the data normalized (with the id); `record_is_data` says it equals the data as
    sent, value for value and type for type (the id aside), so a storage may keep the JSON once.
    """

    record_id: str
    version: int
    base_version: int | None
    content_hash: str
    data_json: str  # the canonical JSON of `data` as sent: exactly what `content_hash` covers
    record: Mapping[str, Any]
    record_is_data: bool
    nik: str | None
    branch: str
    officer_id: str
    device_id: str
    received_at: str
    # The consent proof sent next to the version (not hashed); None when none came.
    consent_at: str | None = None
    consent_by: str | None = None
    consent_version: str | None = None


@dataclass(frozen=True, slots=True)
class NewChange:
    """A server change to append for the branch's laptops to pull."""

    branch: str
    record_id: str
    kind: ServerChangeKind
    fields: Mapping[str, Any]
    at: str


@dataclass(frozen=True, slots=True)
class NewVisit:
    """A visit as received: immutable once stored."""

    visit_id: str
    record_id: str | None
    content_hash: str
    data_json: str  # the canonical JSON of `data` as sent
    branch: str
    officer_id: str
    device_id: str
    received_at: str


class CentralWriter(Protocol):
    """The operations of one write transaction (see the module doc for the guarantees)."""

    def item(self) -> AbstractContextManager[None]:
        """A nested unit (savepoint): an exception inside undoes only that item's writes."""
        ...

    def run(self, query: str, params: Sequence[Any] = ()) -> Any:
        """A `?` statement of another module (`sync/server/groups.py`) in this transaction."""
        ...

    def record_state(self, record_id: str) -> RecordState | None:
        """The current state of a record, or None when the server has never accepted it."""
        ...

    def record_heads(self, record_ids: Sequence[str]) -> dict[str, RecordHead]:
        """The stored records among `record_ids` (one read for a whole batch), by id."""
        ...

    def insert_new_records(self, records: Sequence[NewRecord]) -> int:
        """Store records the server does not hold, in order; returns how many were stored.

        Each becomes its current state (unflagged) and its version is kept. Stops, writing
        nothing for it, at the first record whose id or NIK is already held (the database's
        unique keys decide); the caller handles that one on its own and goes on after it.
        """
        ...

    def insert_version(self, version: NewVersion) -> bool:
        """Keep a version of a record that has its current state (`save_current`).

        False (nothing written) when (record_id, version) is already stored.
        """
        ...

    def stored_version(self, record_id: str, version: int) -> StoredItem | None:
        """The stored version `version` of a record, for replay and conflict answers."""
        ...

    def save_current(self, current: CurrentRecord) -> str | None:
        """Make `current` the record's state; returns the id of another record holding its NIK.

        When another unflagged record holds the NIK, the record is stored flagged
        (`duplicate_of` = that id) instead: the database's unique index on NIK decides.
        """
        ...

    def assign_kpj(self, record_id: str, at: str) -> tuple[str, bool]:
        """The record's KPJ number, assigning one if it has none; True when assigned now."""
        ...

    def assign_new_kpjs(self, record_ids: Sequence[str], at: str) -> list[str]:
        """KPJ numbers for records that have none (just stored), in order; one per record."""
        ...

    def set_central_status(self, record_id: str, status: str | None, at: str) -> None:
        """Set (or clear) the status only the central side decides, such as `active`."""
        ...

    def log_change(
        self,
        branch: str,
        record_id: str,
        kind: ServerChangeKind,
        fields: Mapping[str, Any],
        at: str,
    ) -> int:
        """Append a server change for the branch to pull; returns its seq."""
        ...

    def log_changes(self, changes: Sequence[NewChange]) -> None:
        """Append server changes, in order (`log_change` for many)."""
        ...

    def insert_visit(self, visit: NewVisit) -> bool:
        """Keep a visit; False (nothing written) when the visit id exists."""
        ...

    def stored_visit(self, visit_id: str) -> StoredItem | None:
        """The stored visit with this id, for replay and conflict answers."""
        ...

    def forget_record(self, record_id: str, at: str) -> bool:
        """Blank a record's personal fields everywhere it is kept (see `forget.py`)."""
        ...

    def flagged_by(self, record_id: str) -> list[str]:
        """The records flagged as duplicates of `record_id`, oldest first."""
        ...

    def reflag(self, record_id: str) -> str | None:
        """Lift a record's flag, or point it at the record that now holds its NIK (returned)."""
        ...

    def audit(
        self,
        at: str,
        actor: str,
        action: str,
        *,
        record_id: str | None = None,
        key_id: str | None = None,
        reason: str | None = None,
    ) -> None:
        """Append to the central audit log (who, when, what, why)."""
        ...


class CentralStorage(Protocol):
    """The central database: devices, the write transaction, pull and export reads."""

    def add_device(self, device: Device, token_hash: str) -> None:
        """Register a device under the sha256 of its token (the token itself is never stored)."""
        ...

    def revoke_device(self, device_id: str, at: str) -> Device | None:
        """Withdraw a device's token (idempotent); None when the device is unknown."""
        ...

    def device_by_token_hash(self, token_hash: str) -> Device | None:
        """The device holding the token with this hash, revoked or not; None when unknown."""
        ...

    def register_device_key(self, device: Device, key_id: str, public_key: str, at: str) -> bool:
        """Make `key_id` the device's one active slip key (the one before it is marked replaced,
        both audited); False when the key id belongs to another device."""
        ...

    def device_key(self, key_id: str) -> dict[str, Any] | None:
        """A slip key with officer_id, branch and `revoked`, or None."""
        ...

    def branch_keys(self, branch: str) -> list[dict[str, Any]]:
        """Every slip key of a branch's devices."""
        ...

    def write(self, branch: str | None = None) -> AbstractContextManager[CentralWriter]:
        """One write transaction: committed when the block ends, rolled back on an exception.

        `branch`: the only branch the transaction writes for (a push); None when unknown up
        front. A storage with concurrent writers serializes each branch's writers (so its
        server changes are seen in seq order) and an unknown branch with every writer.
        """
        ...

    def changes_after(
        self,
        branch: str,
        cursor: int,
        limit: int,
        officer_id: str | None = None,
        skip_kinds: tuple[str, ...] = (),
    ) -> tuple[list[ServerChange], bool]:
        """The branch's server changes with seq > cursor, oldest first, and whether more remain;
        with `officer_id`, only those of that officer's records (a device's pull)."""
        ...

    def owned_records(
        self, branch: str, officer_id: str, after: int, limit: int, since: str | None
    ) -> tuple[list[dict[str, Any]], bool]:
        """One officer's records after `after` (the storage's own record order), as
        `RecoveredRecord` dicts plus `cursor`; and whether more remain."""
        ...

    def record(self, record_id: str) -> RecordState | None:
        """The current state of one record (any branch), for commands and tests."""
        ...

    def current_records(self, branch: str | None = None) -> Iterator[RecordState]:
        """Every record's current state, one per id, optionally of one branch only."""
        ...

    def transaction(self, branch: str | None = None) -> AbstractContextManager[Any]:
        """A write transaction running other modules' `?` statements (the console's)."""
        ...

    def reader(self) -> AbstractContextManager[Any]:
        """Reads of other modules' `?` statements, outside a write transaction."""
        ...

    def ping(self) -> bool:
        """Whether the database answers now (readiness; never raises)."""
        ...

    def close(self) -> None:
        """Release the database connections this object opened."""
        ...
